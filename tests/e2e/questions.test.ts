/**
 * Questions from the floor in real Chromium (issue 16): the chair allows anonymous questions; two
 * delegates (one on a phone in the hall, one at a desk online) send questions, one of them
 * anonymous and one a duplicate; the chair approves two and merges the duplicate; they upvote and
 * take an upvote back; the projector lists the approved questions in the same order as the
 * delegates' pages; the chair marks them answered and inserts "Câu hỏi của đại biểu" into the
 * minutes. Every step waits for what a person would see; nothing sleeps. axe-core checks the three
 * screens with questions on them (no serious or critical WCAG 2 A/AA violation).
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe.ts";
import { browserPages, gone, hasChromium, shown, SHOTS, SKIP_REASON } from "../support/browser.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";


const ITEM = "Đề án thành lập các cụm hoạt động";
const Q1 = "Đề nghị làm rõ nguồn kinh phí hoạt động của các cụm trong năm 2022?";
const Q2 = "Khi nào Đoàn Chủ tịch ban hành quy chế hoạt động của cụm?";
const Q3 = "Kinh phí cho các cụm lấy từ nguồn nào?";

describe.skipIf(!hasChromium)(hasChromium ? "questions from the floor in Chromium" : `questions from the floor in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let conference: Conference;

  // bypassCSP: axe is injected as an inline script; the pages' own policy is checked by the other browser tests.
  const { open, consoleErrors, close } = browserPages("questions", { timezoneId: "Asia/Ho_Chi_Minh", reducedMotion: "reduce", bypassCSP: true });

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    conference = await createConference(server.url, {
      title: "Hội nghị giao ban Liên hiệp Hội các tỉnh Bắc Trung Bộ năm 2021",
      language: "vi",
      chairName: "Phan Xuân Dũng",
    });
  });

  afterAll(async () => {
    await close();
    await server?.dispose();
  });

  it("sends, moderates, upvotes, projects and records questions in one order", { timeout: 180_000 }, async () => {
    const add = (name: string, organisation: string, role = "delegate", attendance = "hall") => addParticipant(server.url, conference, { name, organisation, role, attendance });
    const an = await add("Nguyễn Văn An", "Liên hiệp Hội tỉnh Nghệ An");
    const binh = await add("Trần Thị Bình", "Liên hiệp Hội tỉnh Hà Tĩnh", "delegate", "online");
    const screen = await add("Màn hình hội trường", "", "projector");

    // The meeting is under way on the cluster proposal.
    const setup = await TestClient.connect(server.url, conference.chairToken);
    await setup.must({ type: "conference.start" });
    await setup.must({ type: "agenda.add", title: "Phát biểu khai mạc", plannedMinutes: 10 });
    const itemId = (await setup.must({ type: "agenda.add", title: ITEM, plannedMinutes: 30 })).id as string;
    await setup.must({ type: "agenda.start", itemId });
    setup.close();

    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);
    const projector = await open(screen.url, { viewport: { width: 1920, height: 1080 } });
    const anPhone = await open(an.url, { viewport: { width: 390, height: 844 } });
    const binhDesk = await open(binh.url, { viewport: { width: 1280, height: 900 } });
    for (const page of [anPhone, binhDesk]) await shown(page.getByRole("heading", { name: "Đặt câu hỏi", exact: true }));
    await shown(anPhone.getByText(`Câu hỏi bằng văn bản về nội dung: ${ITEM}`));

    // The chair allows anonymous questions; the delegates' pages offer it at once.
    await chair.getByRole("tab", { name: /^Câu hỏi/ }).click();
    const moderation = chair.locator(".q-mod");
    await shown(moderation.getByText("Không có câu hỏi nào chờ duyệt."));
    expect(await chair.getByLabel("Duyệt câu hỏi trước khi hiển thị").isChecked()).toBe(true);
    await chair.getByLabel("Cho phép gửi câu hỏi không ghi tên").check();
    await shown(binhDesk.getByLabel("Gửi không ghi tên"));

    // An asks on his phone; he sees it waiting, with the characters counted.
    const ask = async (page: Page, text: string, anonymous = false) => {
      const box = page.getByLabel("Câu hỏi hoặc ý kiến của bạn");
      await box.fill(text);
      await shown(page.getByText(`${text.length}/500 ký tự`));
      const checkbox = page.getByLabel("Gửi không ghi tên");
      if ((await checkbox.count()) > 0) await checkbox.setChecked(anonymous);
      await page.getByRole("button", { name: "Gửi câu hỏi" }).click();
      await shown(page.locator(".questions__mine").getByText(text));
    };
    await ask(anPhone, Q1);
    await shown(anPhone.locator(".questions__mine").getByText("Đang chờ duyệt"));
    await shown(anPhone.getByText("Đã gửi câu hỏi, đang chờ chủ trì duyệt."));
    await anPhone.locator(".questions").screenshot({ path: join(SHOTS, "questions-phone-waiting.png") });
    // Bình sends one anonymously, then a duplicate of An's under his name.
    await ask(binhDesk, Q2, true);
    await ask(binhDesk, Q3);
    // Nobody else reads a question waiting for approval.
    expect(await anPhone.getByText(Q2).count()).toBe(0);

    // The chair sees the three waiting (An's named, Bình's anonymous), approves two and merges the duplicate.
    const modItem = (text: string) => moderation.locator("li").filter({ has: chair.locator(".q-item__text", { hasText: text }) });
    await shown(chair.getByRole("heading", { name: "Chờ duyệt (3)" }));
    await shown(chair.getByRole("tab", { name: "Câu hỏi (3 chờ duyệt)" }));
    await shown(modItem(Q1).getByText("Nguyễn Văn An"));
    await shown(modItem(Q2).getByText("Không ghi tên"));
    await chair.locator(".console__col--side").screenshot({ path: join(SHOTS, "questions-chair-pending.png") });
    await modItem(Q1).getByRole("button", { name: "Duyệt" }).click();
    await shown(chair.getByRole("heading", { name: "Chờ duyệt (2)" }));
    await modItem(Q2).getByRole("button", { name: "Duyệt" }).click();
    await shown(chair.getByRole("heading", { name: "Đã duyệt, chưa trả lời (2)" }));
    await modItem(Q3).getByRole("button", { name: "Gộp vào câu hỏi khác…" }).click();
    await modItem(Q3).getByLabel("Gộp câu hỏi này vào").selectOption({ label: `${Q1} (0 lượt ủng hộ)` });
    await modItem(Q3).getByRole("button", { name: "Gộp", exact: true }).click();
    await shown(chair.getByRole("heading", { name: "Chờ duyệt (0)" }));
    await shown(binhDesk.locator(".questions__mine").getByText("Đã gộp với một câu hỏi tương tự"));

    // Listed on every screen now, in one order. The merge gave Bình's upvote to An's question.
    const listed = (page: Page) => page.locator("ol.q-list .q-item__text").allTextContents();
    const projected = () => projector.locator(".pj-q__text").allTextContents();
    const sameOrder = async (order: string[]) => {
      await expect.poll(() => listed(anPhone), { timeout: 30_000 }).toEqual(order);
      await expect.poll(() => listed(binhDesk), { timeout: 30_000 }).toEqual(order);
      await expect.poll(projected, { timeout: 30_000 }).toEqual(order);
    };
    const row = (page: Page, text: string) => page.locator("ol.q-list > li").filter({ has: page.locator(".q-item__text", { hasText: text }) });
    await sameOrder([Q1, Q2]);
    // An's own question has no upvote button; Bình's anonymous one is his own on his page only.
    expect(await row(anPhone, Q1).getByRole("button").count()).toBe(0);
    await shown(row(anPhone, Q1).getByText("Câu hỏi của bạn"));
    await shown(row(binhDesk, Q2).getByText("Câu hỏi của bạn"));
    expect(await row(binhDesk, Q2).getByRole("button").count()).toBe(0);
    await shown(row(anPhone, Q2).getByText("Không ghi tên"));

    // An upvotes Bình's question: a tie, the earlier first. Bình takes back the upvote the merge gave him: Q2 leads.
    await row(anPhone, Q2).getByRole("button", { name: "Ủng hộ câu hỏi (0 lượt ủng hộ)" }).click();
    await shown(row(anPhone, Q2).getByRole("button", { name: "Ủng hộ câu hỏi (1 lượt ủng hộ)", pressed: true }));
    await sameOrder([Q1, Q2]);
    const binhVote = row(binhDesk, Q1).getByRole("button", { name: "Ủng hộ câu hỏi (1 lượt ủng hộ)" });
    expect(await binhVote.getAttribute("aria-pressed")).toBe("true");
    await binhVote.click();
    await sameOrder([Q2, Q1]);
    await shown(row(binhDesk, Q1).getByRole("button", { name: "Ủng hộ câu hỏi (0 lượt ủng hộ)", pressed: false }));
    await shown(projector.getByRole("heading", { name: "Câu hỏi của đại biểu" }));
    await projector.screenshot({ path: join(SHOTS, "questions-projector.png") });
    await anPhone.screenshot({ path: join(SHOTS, "questions-phone.png"), fullPage: true });
    await binhDesk.locator(".questions").screenshot({ path: join(SHOTS, "questions-desktop.png") });
    await chair.locator(".console__col--side").screenshot({ path: join(SHOTS, "questions-chair-approved.png") });

    const audits = [
      ...(await seriousViolations("chair", chair)),
      ...(await seriousViolations("phone", anPhone)),
      ...(await seriousViolations("desktop", binhDesk)),
      ...(await seriousViolations("projector", projector)),
    ];
    expect(audits).toEqual([]);

    // The chair marks them answered: marked on the delegates' pages, off the projector.
    await modItem(Q2).getByRole("button", { name: "Đánh dấu đã trả lời" }).click();
    await shown(row(anPhone, Q2).getByText("Đã trả lời"));
    await expect.poll(projected, { timeout: 30_000 }).toEqual([Q1]);
    await modItem(Q1).getByRole("button", { name: "Đánh dấu đã trả lời" }).click();
    await shown(chair.getByRole("heading", { name: "Đã trả lời (2)" }));
    await gone(projector.locator(".pj-questions"));
    await shown(projector.locator(".pj-nobody"));
    await expect.poll(() => listed(anPhone), { timeout: 30_000 }).toEqual([Q2, Q1]);

    // … and inserts them into the minutes with one click.
    await chair.getByRole("tab", { name: "Biên bản" }).click();
    const editor = chair.getByRole("textbox", { name: "Nội dung biên bản" });
    await shown(editor);
    await editor.click();
    await chair.getByRole("button", { name: "Câu hỏi của đại biểu", exact: true }).click();
    await shown(editor.getByText(`Câu hỏi của đại biểu – ${ITEM}`));
    await shown(editor.getByText(`${Q2} (không ghi tên; 1 lượt ủng hộ)`));
    await shown(editor.getByText(`${Q1} (Nguyễn Văn An, Liên hiệp Hội tỉnh Nghệ An; 0 lượt ủng hộ)`));
    await chair.screenshot({ path: join(SHOTS, "questions-chair-minutes.png") });

    // The chair of a small meeting moderates from a phone too.
    await chair.setViewportSize({ width: 390, height: 844 });
    await chair.getByRole("tab", { name: /^Câu hỏi/ }).click();
    await shown(chair.getByRole("heading", { name: "Đã trả lời (2)" }));
    await chair.screenshot({ path: join(SHOTS, "questions-chair-phone.png"), fullPage: true });

    expect(consoleErrors).toEqual([]);
  });
});
