/**
 * The roster in real Chromium: a chair imports the delegations from a CSV file (a wrong file first,
 * then the right one), prints the invitation cards, renews their own link without losing the page,
 * corrects the conference's facts in its own time zone; a delegate joins with the join code,
 * finding their organisation by typing it without diacritics, and the chair sees them present.
 * Every step waits for what a person would see; nothing sleeps.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPages, gone, hasChromium, shown, SHOTS, SKIP_REASON } from "../support/browser.ts";
import { api, createConference, startServer, type Conference, type TestServer } from "../support/server.ts";


const HEADER = "Họ và tên,Đơn vị,Vai trò,Hình thức,Trưởng đoàn,Cụm";
const ROWS = [
  "Nguyễn Văn An,Liên hiệp Hội tỉnh Nghệ An,Đại biểu,Tại hội trường,x,Bắc Trung Bộ",
  "Lê Thị Bích,Liên hiệp Hội tỉnh Nghệ An,Đại biểu,Trực tuyến,,Bắc Trung Bộ",
  "Trần Quốc Cường,Liên hiệp Hội tỉnh Hà Tĩnh,Đại biểu,Tại hội trường,x,Bắc Trung Bộ",
  "Phạm Minh Đức,Tổng hội Xây dựng Việt Nam,Đại biểu,Tại hội trường,x,",
  "Vũ Thị Hạnh,Tổng hội Xây dựng Việt Nam,Thư ký,Tại hội trường,,",
  "Đặng Văn Khoa,Liên hiệp Hội TP. Hồ Chí Minh,Đại biểu,Trực tuyến,x,Nam Bộ",
];
const csv = (rows: string[]) => Buffer.from(`\uFEFF${[HEADER, ...rows].join("\r\n")}\r\n`, "utf8");

describe.skipIf(!hasChromium)(hasChromium ? "the roster in Chromium" : `the roster in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let conference: Conference;
  const TITLE = "Hội nghị giao ban Liên hiệp Hội các tỉnh Bắc Trung Bộ năm 2021";

  const { open, consoleErrors, close } = browserPages("roster", { acceptDownloads: true });

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    conference = await createConference(server.url, {
      title: TITLE,
      organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      venue: "Hà Nội",
      startsAt: "2021-11-15T08:30:00+07:00",
      language: "vi",
      chairName: "Phan Xuân Dũng",
    });
  });

  afterAll(async () => {
    await close();
    await server?.dispose();
  });

  it("imports the roster, prints the cards, and sees a delegate who joins by the code", { timeout: 180_000 }, async () => {
    // The chair's laptop is set to Paris time: the conference's times must still read as Hà Nội's.
    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`, { timezoneId: "Europe/Paris" });
    await shown(chair.getByRole("heading", { name: "Chương trình" }));
    await chair.getByRole("tab", { name: "Đại biểu" }).click();
    await chair.getByText("Nhập danh sách từ tệp (CSV, Excel)").click();
    const file = chair.getByLabel("Chọn tệp danh sách (.csv hoặc .xlsx)");

    // A file with mistakes: a role nobody knows and the same person twice. Nothing can be imported.
    await file.setInputFiles({ name: "danh-sach-loi.csv", mimeType: "text/csv", buffer: csv([...ROWS, "Lý Văn Long,Liên hiệp Hội tỉnh Hà Tĩnh,Đại biểu chính thức,,,", ROWS[1]!]) });
    await shown(chair.getByText("8 dòng, 2 dòng có lỗi: chưa nhập được."));
    await shown(chair.getByText(/Vai trò không rõ: “Đại biểu chính thức”/));
    await shown(chair.getByText("Trùng với dòng 3"));
    expect(await chair.getByRole("button", { name: "Nhập 8 người" }).isDisabled()).toBe(true);
    await chair.locator(".import").screenshot({ path: join(SHOTS, "roster-import-errors.png") });

    // The corrected file: previewed, then imported in one change.
    await file.setInputFiles({ name: "danh-sach.csv", mimeType: "text/csv", buffer: csv(ROWS) });
    await shown(chair.getByText("6 dòng, không có lỗi."));
    await chair.locator(".import").screenshot({ path: join(SHOTS, "roster-import-preview.png") });
    await chair.getByRole("button", { name: "Nhập 6 người" }).click();
    await shown(chair.getByText("Đã thêm 6 người vào danh sách."));
    const row = (name: string) => chair.getByRole("row").filter({ hasText: name });
    await shown(row("Đặng Văn Khoa").getByText("Đã mời"));
    await shown(chair.getByText("1/7 người có mặt", { exact: false }));
    await chair.screenshot({ path: join(SHOTS, "roster-chair-people.png") });

    // The invitation cards: everyone imported (their links are known in this page) and the chair.
    await chair.getByRole("button", { name: "In thẻ mời" }).first().click();
    await shown(chair.getByRole("heading", { name: "Thẻ mời" }));
    const cards = chair.locator("article.invitation");
    await shown(cards);
    expect(await cards.count()).toBe(7);
    await shown(cards.filter({ hasText: "Nguyễn Văn An" }).getByText("Liên hiệp Hội tỉnh Nghệ An"));
    await shown(cards.filter({ hasText: "Nguyễn Văn An" }).getByText(conference.joinCode));
    // 08:30 in Hà Nội, though the laptop's clock says 02:30.
    await shown(cards.first().getByText(/08:30.*\(UTC\+7\)/));
    expect(await chair.getByText("chưa có đường dẫn trên trang này").count()).toBe(0);
    await chair.screenshot({ path: join(SHOTS, "roster-invitations.png"), fullPage: true });
    await chair.emulateMedia({ media: "print" });
    expect(await chair.locator(".sheet__bar").isHidden()).toBe(true);
    await chair.screenshot({ path: join(SHOTS, "roster-invitations-print.png"), fullPage: true });
    // Seven cards fill one A4 page, as the print dialog would lay them out.
    const pdf = (await chair.pdf({ preferCSSPageSize: true, printBackground: true })).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await chair.emulateMedia({ media: "screen" });
    await chair.getByRole("button", { name: "Về bảng điều hành" }).click();

    // The chair renews their own link: the page moves to the new token and stays live.
    await shown(row("Phan Xuân Dũng"));
    await chair.getByRole("button", { name: "Cấp đường dẫn mới cho Phan Xuân Dũng" }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.getByText("Đường dẫn mới của bạn"));
    const renewed = await chair.evaluate((id) => localStorage.getItem(`giaoban.token.${id}`), conference.id);
    expect(renewed).not.toBe(conference.chairToken);
    expect((await api(server.url, `/api/conferences/${conference.id}/me`, { token: conference.chairToken })).status).toBe(401);
    expect((await api(server.url, `/api/conferences/${conference.id}/me`, { token: renewed! })).status).toBe(200);
    await gone(chair.getByText("Mất kết nối – đang kết nối lại…"));

    // A delegate types the code at /join and finds the organisation without diacritics.
    const delegate = await open(`${server.url}/join`, { viewport: { width: 390, height: 844 } });
    await delegate.getByLabel("Mã tham dự").fill(conference.joinCode);
    await delegate.getByRole("button", { name: "Tiếp tục" }).click();
    await shown(delegate.getByRole("heading", { name: TITLE }));
    await delegate.getByLabel("Họ và tên").fill("Hoàng Thị Mai");
    await delegate.getByLabel("Cơ quan, đơn vị").fill("xay dung");
    const organisation = delegate.getByRole("radio", { name: "Tổng hội Xây dựng Việt Nam" });
    await shown(organisation);
    expect(await delegate.getByRole("radio", { name: "Liên hiệp Hội tỉnh Nghệ An" }).count()).toBe(0);
    await organisation.check();
    await delegate.screenshot({ path: join(SHOTS, "roster-join.png"), fullPage: true });
    await delegate.getByRole("button", { name: "Vào hội nghị" }).click();
    await shown(delegate.getByRole("heading", { name: "Xin phát biểu", exact: true }));

    // The chair's page (on its new token) shows her present, and the count went up.
    await shown(row("Hoàng Thị Mai").getByText("Có mặt tại hội trường"));
    await shown(row("Hoàng Thị Mai").getByText("Tổng hội Xây dựng Việt Nam"));
    await shown(chair.getByText("2/8 người có mặt", { exact: false }));
    await chair.screenshot({ path: join(SHOTS, "roster-chair-present.png") });

    // Back on the join page later, the same phone continues as her instead of joining twice.
    await delegate.goto(`${server.url}/c/${conference.id}/join`);
    await delegate.getByRole("button", { name: "Tiếp tục với tên Hoàng Thị Mai" }).click();
    await shown(delegate.getByRole("heading", { name: "Xin phát biểu", exact: true }));
    const { body: roster } = await api(server.url, `/api/conferences/${conference.id}/participants.csv`, { token: renewed! });
    expect(String(roster).match(/Hoàng Thị Mai/g)?.length).toBe(1);

    // The roster as a file, downloaded with the chair's token.
    const [download] = await Promise.all([chair.waitForEvent("download"), chair.getByRole("button", { name: "Xuất danh sách (CSV)" }).click()]);
    const exported = await readFile((await download.path())!, "utf8");
    expect(exported).toContain("Họ và tên");
    expect(exported).toContain("Hoàng Thị Mai");

    // The facts: the start reads and is typed in Hà Nội's time, the zone named beside it.
    await chair.getByRole("tab", { name: "Thông tin" }).click();
    const start = chair.getByLabel("Thời gian bắt đầu");
    expect(await start.inputValue()).toBe("2021-11-15T08:30");
    await shown(chair.getByText("Giờ theo múi Asia/Ho_Chi_Minh (UTC+7) (trên thiết bị này: 02:30)"));
    await start.fill("2021-11-15T09:00");
    await chair.getByLabel("Địa danh (…, ngày … tháng … năm …)").fill("Hà Nội");
    await chair.getByRole("button", { name: "Lưu" }).click();
    await shown(chair.getByText("Đã lưu thông tin hội nghị."));
    const { body: facts } = await api(server.url, `/api/conferences/${conference.id}`);
    expect(facts.startsAt).toBe(Date.parse("2021-11-15T09:00:00+07:00"));
    expect(facts.city).toBe("Hà Nội");
    await chair.locator(".console__col--side").screenshot({ path: join(SHOTS, "roster-facts.png") });

    // A reload forgets every link but the chair's own: the sheet offers new ones, saying what that ends.
    await chair.goto(`${server.url}/c/${conference.id}/invitations`);
    await shown(chair.getByText("7 người chưa có đường dẫn trên trang này."));
    expect(await cards.count()).toBe(1);
    await chair.screenshot({ path: join(SHOTS, "roster-invitations-missing.png") });
    await chair.getByRole("button", { name: "Cấp đường dẫn mới cho 7 người" }).click();
    await shown(chair.getByText("Đường dẫn cũ của 7 người này sẽ hết hiệu lực ngay", { exact: false }));
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await gone(chair.getByText("chưa có đường dẫn trên trang này", { exact: false }));
    expect(await cards.count()).toBe(8);
    // The delegate's old link is gone with it: her phone says so.
    await shown(delegate.getByRole("heading", { name: "Đường dẫn không hợp lệ" }));

    expect(consoleErrors.filter((text) => !/Failed to load resource.*401/.test(text))).toEqual([]);
  });
});
