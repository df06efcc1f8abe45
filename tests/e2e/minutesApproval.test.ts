/**
 * The minutes' workflow in real Chromium: a secretary writes while a delegate is told the draft is
 * not shared; the chair shares it and the delegate reads along; the speaking time per organisation
 * goes into the minutes in one click and out as CSV; the chair approves, the secretary's editor
 * turns read-only and the hall's screen shows the adopted minutes full-screen; the print view lays
 * out the whole text on A4 pages (a PDF of more than one page), and so does printing the console;
 * the chair reopens them and writing goes on. Every step waits for what a person would see.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, SKIP_REASON } from "../support/browser.ts";
import { appendParagraph, connectMinutes, roundTrip } from "../support/minutesClient.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

const SHOTS = resolve(import.meta.dirname, "../../test-output/screenshots");
const shown = (locator: Locator) => locator.first().waitFor({ state: "visible", timeout: 30_000 });
const gone = (locator: Locator) => locator.first().waitFor({ state: "hidden", timeout: 30_000 });

/** Pages in a PDF as Chromium writes it: one `/Type /Page` dictionary each. */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(!hasChromium)(hasChromium ? "the minutes' approval in Chromium" : `the minutes' approval in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let browser: Browser;
  let conference: Conference;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function open(url: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: "vi-VN", acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    conference = await createConference(server.url, {
      title: "Hội nghị giao ban Liên hiệp Hội các tỉnh Bắc Trung Bộ năm 2021",
      organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Nghệ An",
      parentOrganisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      shortName: "LHH",
      city: "Vinh",
      venue: "Hội trường Liên hiệp Hội tỉnh Nghệ An, 45 Phan Đăng Lưu, TP. Vinh",
      startsAt: "2021-11-15T08:30:00+07:00",
      language: "vi",
      chairName: "Phan Xuân Dũng",
    });
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });

  afterEach(async (test) => {
    if (test.task.result?.state !== "fail") return;
    if (pageErrors.length > 0) console.error("page errors:", pageErrors);
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(pages.map((page, i) => page.screenshot({ path: join(SHOTS, `minutes-failure-${i}.png`) }).catch(() => undefined)));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.dispose();
  });

  it("shares, approves, shows, prints and reopens the minutes", { timeout: 240_000 }, async () => {
    const link = (token: string) => `${server.url}/c/${conference.id}#t=${token}`;
    const secretaryLink = await addParticipant(server.url, conference, { name: "Vũ Thị Hạnh", role: "secretary", organisation: "Văn phòng Liên hiệp Hội" });
    const projectorLink = await addParticipant(server.url, conference, { name: "Màn hình hội trường", role: "projector" });
    const delegateLink = await addParticipant(server.url, conference, { name: "Nguyễn Văn An", role: "delegate", organisation: "Liên hiệp Hội tỉnh Hà Tĩnh" });
    const other = await addParticipant(server.url, conference, { name: "Trần Quốc Cường", role: "delegate", organisation: "Liên hiệp Hội tỉnh Quảng Bình" });

    // The meeting runs an item on which two organisations spoke.
    const chairClient = await TestClient.connect(server.url, conference.chairToken);
    const otherClient = await TestClient.connect(server.url, other.token);
    await chairClient.must({ type: "conference.start" });
    await chairClient.must({ type: "agenda.add", title: "Thảo luận về mô hình cụm hoạt động" });
    await chairClient.must({ type: "agenda.next" });
    await otherClient.must({ type: "speakers.request", kind: "speech" });
    await chairClient.must({ type: "speakers.grant" });
    await chairClient.must({ type: "speakers.finish" });

    const chair = await open(link(conference.chairToken));
    const secretary = await open(link(secretaryLink.token));
    const delegate = await open(link(delegateLink.token), { width: 390, height: 844 });
    const projector = await open(link(projectorLink.token), { width: 1920, height: 1080 });

    // The secretary writes; the delegate is told the draft is not shared, and reads nothing.
    const editor = secretary.getByRole("textbox", { name: "Nội dung biên bản" });
    await shown(editor);
    await shown(secretary.getByText("Dự thảo – chưa chia sẻ (chỉ chủ tọa và thư ký xem được)"));
    await editor.click();
    const first = "Hội nghị khai mạc lúc 8 giờ 30, đồng chí Phan Xuân Dũng chủ trì.";
    await editor.pressSequentially(first, { delay: 10 });
    await shown(delegate.getByText("Biên bản chưa được chia sẻ"));
    await delegate.screenshot({ path: join(SHOTS, "minutes-delegate-not-shared.png"), fullPage: true });
    expect(await delegate.getByText(first).count()).toBe(0);

    // The chair shares the draft: the delegate reads it live.
    await chair.getByRole("tab", { name: "Biên bản" }).click();
    await shown(chair.getByText("Dự thảo – chưa chia sẻ (chỉ chủ tọa và thư ký xem được)"));
    await chair.getByRole("button", { name: "Chia sẻ với mọi người" }).click();
    await shown(chair.getByText("Dự thảo – đã chia sẻ với mọi người"));
    await shown(delegate.getByText(first));
    await gone(delegate.getByText("Biên bản chưa được chia sẻ"));
    await chair.screenshot({ path: join(SHOTS, "minutes-chair-shared.png") });

    // Speaking time per organisation: the table, one click into the minutes, and the CSV.
    await secretary.getByText("Thời gian phát biểu theo đơn vị").click();
    const table = secretary.getByRole("table");
    await shown(table.getByRole("rowheader", { name: "Liên hiệp Hội tỉnh Quảng Bình" }));
    await editor.press("End");
    await secretary.getByRole("button", { name: "Chèn vào biên bản" }).click();
    await shown(editor.getByText("Thời gian phát biểu theo đơn vị – Thảo luận về mô hình cụm hoạt động"));
    await shown(editor.getByText(/^Liên hiệp Hội tỉnh Quảng Bình: 1 lượt, .*\(100\s?%\)$/));
    await shown(delegate.getByText("Thời gian phát biểu theo đơn vị – Thảo luận về mô hình cụm hoạt động"));
    await secretary.screenshot({ path: join(SHOTS, "minutes-secretary-speaking-time.png") });
    const [csvDownload] = await Promise.all([secretary.waitForEvent("download"), secretary.getByRole("button", { name: "Tải CSV" }).click()]);
    const csv = await readFile((await csvDownload.path())!, "utf8");
    expect(csv).toContain("Liên hiệp Hội tỉnh Quảng Bình");

    // A long text: sixty paragraphs from a second writer, so the printout runs over several pages.
    const writer = await connectMinutes(server.url, conference.id, secretaryLink.token);
    const lines = Array.from(
      { length: 60 },
      (_, i) =>
        `${i + 1}. Đại biểu các tỉnh thảo luận về mô hình cụm hoạt động, cách tổ chức giao ban luân phiên giữa các Liên hiệp Hội, kinh phí và chế độ báo cáo định kỳ; ý kiến số ${i + 1} được ghi nhận đầy đủ.`,
    );
    writer.doc.transact(() => {
      for (const line of lines) appendParagraph(writer.doc, line);
    });
    await roundTrip(writer);
    writer.close();
    const last = lines[lines.length - 1]!;
    await shown(delegate.getByText(last));
    await shown(editor.getByText(last));

    // The meeting adopts the minutes: the chair approves, after a confirmation.
    await chair.getByRole("button", { name: "Thông qua (hội nghị đã nhất trí biên bản)" }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.getByText(/^Đã thông qua lúc \d\d:\d\d, do Phan Xuân Dũng xác nhận$/));

    // The secretary's editor turns read-only, under a banner; typing changes nothing.
    await shown(secretary.getByText(/^Biên bản đã được thông qua lúc \d\d:\d\d\.$/));
    const locked = secretary.locator('[role="textbox"][aria-readonly="true"]');
    await shown(locked);
    expect(await locked.getAttribute("contenteditable")).toBe("false");
    await shown(locked.getByText(last));
    await locked.click();
    await secretary.keyboard.type("Sửa sau khi thông qua");
    expect(await secretary.getByText("Sửa sau khi thông qua").count()).toBe(0);
    await expect(secretary.getByRole("toolbar", { name: "Định dạng" }).count()).resolves.toBe(0);
    await secretary.screenshot({ path: join(SHOTS, "minutes-secretary-approved.png") });
    await shown(delegate.getByText("Đã thông qua", { exact: true }));
    await delegate.getByText("Đã thông qua", { exact: true }).scrollIntoViewIfNeeded();
    await delegate.screenshot({ path: join(SHOTS, "minutes-delegate-approved.png") });

    // The hall's screen shows the adopted minutes full-screen, in large type.
    const reading = projector.getByRole("region", { name: "Biên bản đã thông qua" });
    await shown(reading);
    await shown(reading.getByText(first));
    await projector.screenshot({ path: join(SHOTS, "minutes-projector-reading.png") });

    // The print view: the official frame around the whole text.
    const [print] = await Promise.all([chair.context().waitForEvent("page"), chair.getByRole("link", { name: "In biên bản" }).click()]);
    print.on("pageerror", (error) => pageErrors.push(error.message));
    await print.waitForSelector('article[data-synced="true"]');
    for (const words of ["LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN", first, last, "THƯ KÝ", "Vũ Thị Hạnh"]) {
      await shown(print.getByText(words, { exact: false }));
    }
    await shown(print.getByText("Số: ....../BB-LHH", { exact: false }));
    // Dated the day the meeting opened (today, in Hà Nội).
    await shown(print.getByText(/^Vinh, ngày \d\d tháng \d\d năm \d{4}$/));
    await print.screenshot({ path: join(SHOTS, "minutes-print-screen.png") });
    await print.emulateMedia({ media: "print" });
    await gone(print.getByRole("button", { name: "In", exact: true }));
    await print.screenshot({ path: join(SHOTS, "minutes-print-emulated.png"), fullPage: true });
    const pdf = await print.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(join(SHOTS, "minutes-print.pdf"), pdf);
    expect(pdfPages(pdf)).toBeGreaterThan(1);

    // Printing the chair's console itself: the minutes alone, their whole length.
    await chair.emulateMedia({ media: "print" });
    const content = chair.locator(".minutes-editor__content");
    expect(await content.evaluate((el) => getComputedStyle(el).maxHeight)).toBe("none");
    expect(await content.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await gone(chair.getByRole("heading", { name: "Chương trình" }));
    const consolePdf = await chair.pdf({ format: "A4" });
    await writeFile(join(SHOTS, "minutes-chair-console.pdf"), consolePdf);
    expect(pdfPages(consolePdf)).toBeGreaterThan(1);
    await chair.screenshot({ path: join(SHOTS, "minutes-chair-print-emulated.png"), fullPage: true });
    await chair.emulateMedia({ media: "screen" });
    await chair.screenshot({ path: join(SHOTS, "minutes-chair-approved.png") });

    // The chair reopens them: the projector goes back to the meeting, the secretary writes again.
    await chair.getByRole("button", { name: "Mở lại để sửa" }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.getByText("Dự thảo – đã chia sẻ với mọi người"));
    await gone(reading);
    const writable = secretary.locator('[role="textbox"][contenteditable="true"]');
    await shown(writable);
    await shown(writable.getByText(last));
    await writable.click();
    await writable.press("Control+End");
    await writable.press("Enter");
    const after = "Bổ sung sau khi mở lại biên bản.";
    await writable.pressSequentially(after, { delay: 10 });
    await shown(delegate.getByText(after));

    expect(pageErrors).toEqual([]);
    chairClient.close();
    otherClient.close();
  });
});
