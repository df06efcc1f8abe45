/**
 * Accessibility of every page in real Chromium, checked by axe-core against WCAG 2 A and AA: the
 * landing page, the join page, the chair's and the secretary's consoles, a delegate's phone, the
 * hall's projector. The meeting is live (an item under way, someone speaking, someone waiting, a
 * result on the screens), so the pages show what they show in use. Any violation of impact
 * "serious" or "critical" fails the test, every violation is printed.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe.ts";
import { browserPages, hasChromium, shown, SKIP_REASON } from "../support/browser.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";


describe.skipIf(!hasChromium)(hasChromium ? "accessibility (axe-core, WCAG 2 A/AA)" : `accessibility (${SKIP_REASON})`, () => {
  let server: TestServer;
  let conference: Conference;
  let chairClient: TestClient;
  const links: Record<"secretary" | "projector" | "delegate", string> = { secretary: "", projector: "", delegate: "" };

  // bypassCSP: the pages allow only their own scripts; axe is injected as an inline script.
  const { open, close } = browserPages("a11y", { timezoneId: "Asia/Ho_Chi_Minh", bypassCSP: true });

  /** Fails with every serious or critical violation found, printed in the message. */
  function expectNone(found: string[]): void {
    expect(found.length, `axe found serious or critical violations:\n${found.join("\n")}`).toBe(0);
  }

  async function expectClean(where: string, page: Page): Promise<void> {
    expectNone(await seriousViolations(where, page));
  }

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    conference = await createConference(server.url, {
      title: "Hội nghị giao ban Liên hiệp các Hội Khoa học và Kỹ thuật các tỉnh, thành phố năm 2021",
      organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      venue: "Hà Nội",
      startsAt: "2021-11-15T08:30:00+07:00",
      language: "vi",
      chairName: "Phan Xuân Dũng",
    });
    const add = (name: string, role: string, extra: Record<string, unknown> = {}) => addParticipant(server.url, conference, { name, role, ...extra });
    links.secretary = (await add("Thư ký hội nghị", "secretary")).url;
    links.projector = (await add("Màn hình hội trường", "projector")).url;
    const delegate = await add("Trần Thị Bình", "delegate", { organisation: "Liên hiệp Hội TP. Hồ Chí Minh", attendance: "online" });
    links.delegate = delegate.url;
    const other = await add("Nguyễn Văn An", "delegate", { organisation: "Liên hiệp Hội tỉnh Nghệ An", attendance: "hall" });

    // A meeting under way: an item started, a result on the screens, someone speaking, someone waiting.
    chairClient = await TestClient.connect(server.url, conference.chairToken);
    await chairClient.must({ type: "conference.start" });
    const items: string[] = [];
    for (const [title, plannedMinutes] of [["Phát biểu khai mạc", 10], ["Đề án thành lập các cụm hoạt động", 20], ["Thảo luận", 60]] as const) {
      items.push((await chairClient.must({ type: "agenda.add", title, plannedMinutes })).id as string);
    }
    await chairClient.must({ type: "agenda.start", itemId: items[0] });
    await chairClient.must({ type: "agenda.next" });
    const bình = await TestClient.connect(server.url, new URL(delegate.url).hash.slice("#t=".length));
    const an = await TestClient.connect(server.url, new URL(other.url).hash.slice("#t=".length));
    const pollId = (await chairClient.must({ type: "polls.create", kind: "motion", question: "Thông qua đề án thành lập các cụm hoạt động?" })).id as string;
    await chairClient.must({ type: "polls.open", pollId });
    await bình.must({ type: "polls.vote", pollId, optionId: "yes" });
    await an.must({ type: "polls.vote", pollId, optionId: "yes" });
    await chairClient.must({ type: "polls.close", pollId });
    await bình.must({ type: "speakers.request", kind: "speech" });
    await an.must({ type: "speakers.request", kind: "question", note: "Về kinh phí hoạt động của cụm" });
    await chairClient.must({ type: "speakers.grant" });
    bình.close();
    an.close();
  });

  afterAll(async () => {
    chairClient?.close();
    await close();
    await server?.dispose();
  });

  it("the landing page", async () => {
    const page = await open(`${server.url}/`);
    await shown(page.getByRole("heading", { level: 1 }));
    await expectClean("landing", page);
  });

  it("the join page, on a phone", async () => {
    const page = await open(`${server.url}/c/${conference.id}/join?code=${conference.joinCode}`, { viewport: { width: 390, height: 844 } });
    await shown(page.getByLabel("Họ và tên"));
    await expectClean("join", page);
  });

  it("the code-only join page", async () => {
    const page = await open(`${server.url}/join`, { viewport: { width: 390, height: 844 } });
    await shown(page.getByRole("heading", { level: 1 }));
    await expectClean("join by code", page);
  });

  it("the chair's console, on a desktop and on a phone", async () => {
    const page = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);
    await shown(page.getByRole("heading", { name: "Chương trình" }));
    const found = await seriousViolations("chair console", page);
    for (const tab of ["Đại biểu", "Mời tham dự", "Biên bản", "Thông tin"]) {
      await page.getByRole("tab", { name: tab }).click();
      await shown(page.getByRole("tab", { name: tab, selected: true }));
      if (tab === "Biên bản") await shown(page.getByLabel("Nội dung biên bản"));
      found.push(...(await seriousViolations(`chair console, tab ${tab}`, page)));
    }
    const phone = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`, { viewport: { width: 390, height: 844 } });
    await shown(phone.getByRole("heading", { level: 1 }));
    found.push(...(await seriousViolations("chair console (phone)", phone)));
    expectNone(found);
  });

  it("the secretary's console", async () => {
    const page = await open(links.secretary);
    await shown(page.getByRole("heading", { name: "Chương trình" }));
    await shown(page.getByLabel("Nội dung biên bản"));
    await expectClean("secretary console", page);
  });

  it("a delegate's phone, with the floor", async () => {
    const page = await open(links.delegate, { viewport: { width: 390, height: 844 } });
    await shown(page.getByRole("heading", { name: "Xin phát biểu", exact: true }));
    await shown(page.locator(".floor-signal"));
    await expectClean("delegate (phone)", page);
  });

  it("the projector", async () => {
    const page = await open(links.projector, { viewport: { width: 1920, height: 1080 } });
    await shown(page.getByRole("heading", { level: 1 }));
    await shown(page.getByText("Trần Thị Bình"));
    await expectClean("projector", page);
  });

  it("a ballot on the phone, and the vote under way on the projector", async () => {
    const pollId = (await chairClient.must({ type: "polls.create", kind: "election", question: "Bầu Cụm trưởng cụm miền Nam", options: ["Liên hiệp Hội TP. Hồ Chí Minh", "Liên hiệp Hội tỉnh Đồng Nai"], secret: true })).id as string;
    await chairClient.must({ type: "polls.open", pollId });
    const phone = await open(links.delegate, { viewport: { width: 390, height: 844 } });
    await shown(phone.getByRole("dialog"));
    await shown(phone.getByRole("button", { name: "Liên hiệp Hội tỉnh Đồng Nai" }));
    const found = await seriousViolations("ballot (phone)", phone);
    const projector = await open(links.projector, { viewport: { width: 1920, height: 1080 } });
    await shown(projector.getByText("Bầu Cụm trưởng cụm miền Nam"));
    found.push(...(await seriousViolations("projector, election under way", projector)));
    await chairClient.must({ type: "polls.close", pollId });
    expectNone(found);
  });
});
