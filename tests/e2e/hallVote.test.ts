/**
 * A motion with the hall's hands in real Chromium: the chair gives an absent delegate's proxy to a
 * delegate from the roster, checks in a delegate without a phone, creates a motion on the default
 * base (the delegates present) and sees that base before opening it; two delegates vote on their
 * phones, the proxy holder casting her own vote and the absent one's; the chair enters the show of
 * hands (too many first, then right), closes, and the projector shows the result sentence with the
 * hall line. Every step waits for what a person would see; nothing sleeps.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPages, gone, hasChromium, shown, SHOTS, SKIP_REASON } from "../support/browser.ts";
import { addParticipant, createConference, startServer, type Conference, type TestServer } from "../support/server.ts";

describe.skipIf(!hasChromium)(hasChromium ? "a vote with the hall's hands in Chromium" : `a vote with the hall's hands in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let conference: Conference;

  // Without motion: a bar caught mid-transition would not show what the text says.
  const { open, consoleErrors, close } = browserPages("hallvote", { reducedMotion: "reduce" });

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

  it("counts device votes, a proxy's and the hall's hands against the delegates present", { timeout: 180_000 }, async () => {
    const add = (name: string, organisation: string, role = "delegate") => addParticipant(server.url, conference, { name, organisation, role });
    const an = await add("Nguyễn Văn An", "Liên hiệp Hội tỉnh Nghệ An");
    const binh = await add("Trần Thị Bình", "Liên hiệp Hội tỉnh Hà Tĩnh");
    await add("Lê Văn Cường", "Liên hiệp Hội tỉnh Hà Tĩnh"); // absent: gives his vote to Bình
    await add("Phạm Quang Thao", "Liên hiệp Hội tỉnh Quảng Bình"); // in the hall, no phone
    await add("Hoàng Văn Em", "Liên hiệp Hội tỉnh Thanh Hóa"); // absent, no proxy
    const screen = await add("Màn hình hội trường", "", "projector");

    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);
    const projector = await open(screen.url, { viewport: { width: 1920, height: 1080 } });
    await shown(chair.getByRole("heading", { name: "Chương trình" }));
    await chair.getByRole("button", { name: "Bắt đầu hội nghị", exact: true }).click();

    // The roster: Cường's proxy goes to Bình; Thao is checked in by hand.
    await chair.getByRole("tab", { name: "Đại biểu" }).click();
    const row = (name: string) => chair.getByRole("row").filter({ has: chair.locator(".person__name", { hasText: name }) });
    await chair.getByRole("button", { name: "Ủy quyền bỏ phiếu: Lê Văn Cường" }).click();
    await chair.getByLabel("Lê Văn Cường ủy quyền bỏ phiếu cho").selectOption({ label: "Trần Thị Bình – Liên hiệp Hội tỉnh Hà Tĩnh" });
    await chair.getByRole("button", { name: "Lưu", exact: true }).click();
    await shown(row("Lê Văn Cường").getByText("ủy quyền cho Trần Thị Bình"));
    await shown(row("Trần Thị Bình").getByText("giữ phiếu của Lê Văn Cường"));
    await chair.getByRole("button", { name: "Điểm danh: Phạm Quang Thao có mặt" }).click();
    await gone(chair.getByRole("button", { name: "Điểm danh: Phạm Quang Thao có mặt" }));

    // Two delegates on their phones: their first connection checks them in.
    const phoneOf = async (url: string) => {
      const page = await open(url, { viewport: { width: 390, height: 844 } });
      await shown(page.getByRole("heading", { name: "Xin phát biểu", exact: true }));
      return page;
    };
    const anPhone = await phoneOf(an.url);
    const binhPhone = await phoneOf(binh.url);
    await shown(row("Nguyễn Văn An").getByText("Có mặt tại hội trường"));
    await shown(row("Trần Thị Bình").getByText("Có mặt tại hội trường"));
    await chair.locator(".console__col--side").screenshot({ path: join(SHOTS, "hallvote-roster-proxy.png") });

    // A motion on the default base: the chair sees who it would count before opening it.
    await chair.getByRole("tab", { name: /Biểu quyết/ }).click();
    await chair.getByText("Tạo biểu quyết").click();
    await chair.getByLabel(/Nội dung biểu quyết/).fill("Thông qua đề án thành lập các cụm hoạt động?");
    expect(await chair.getByRole("radio", { name: "Đại biểu có mặt" }).isChecked()).toBe(true);
    // Present: the chair, An, Bình, Thao, and Cường through Bình's proxy; Em is absent: 5 of 6.
    await shown(chair.locator(".poll-create").getByText("5 đại biểu có mặt sẽ được biểu quyết (trên tổng số 6 đại biểu)"));
    await chair.getByRole("button", { name: "Tạo (chưa mở)" }).click();
    const card = chair.locator("article.poll").first();
    await shown(card.getByText("5 đại biểu có mặt sẽ được biểu quyết (trên tổng số 6 đại biểu)"));
    await chair.getByRole("button", { name: "Mở biểu quyết" }).click();
    await shown(card.getByText("0 / 5 đã bỏ phiếu"));

    const vote = async (page: Page, choice: string, forWhom?: string) => {
      const ballot = page.getByRole("dialog");
      await shown(forWhom ? ballot.getByText(`Bỏ phiếu thay cho ${forWhom}`) : ballot.getByRole("button", { name: choice, exact: true }));
      await ballot.getByRole("button", { name: choice, exact: true }).click();
      await ballot.getByRole("button", { name: `Xác nhận: ${choice}` }).click();
    };
    await vote(anPhone, "Tán thành");
    await shown(anPhone.getByText("Bạn đã chọn: Tán thành", { exact: false }));
    // Bình casts her own vote, then the ballot of Cường, whose proxy she holds.
    await vote(binhPhone, "Tán thành");
    await shown(binhPhone.getByRole("dialog").getByText("Bỏ phiếu thay cho Lê Văn Cường"));
    await binhPhone.screenshot({ path: join(SHOTS, "hallvote-phone-proxy-ballot.png") });
    await vote(binhPhone, "Không tán thành", "Lê Văn Cường");
    await shown(binhPhone.getByText("Đã bỏ phiếu thay cho Lê Văn Cường: Không tán thành"));
    await shown(binhPhone.getByText("Bạn đã chọn: Tán thành", { exact: false }));
    await shown(card.getByText("3 / 5 đã bỏ phiếu"));
    await binhPhone.screenshot({ path: join(SHOTS, "hallvote-phone-voted.png") });

    // The show of hands: too many is said before anything is sent; then Thao's hand.
    await card.getByText("Giơ tay tại hội trường").click();
    const hall = card.locator(".hall-votes");
    await shown(hall.getByText("Trên thiết bị: 3 · Giơ tay: 0 · Còn lại: 2 / 5"));
    await hall.getByLabel("Số giơ tay: Tán thành").fill("3");
    await shown(hall.getByText("Vượt quá 1: số phiếu trên thiết bị cộng số giơ tay không được quá 5."));
    expect(await hall.getByRole("button", { name: "Ghi số giơ tay" }).isDisabled()).toBe(true);
    await hall.getByLabel("Số giơ tay: Tán thành").fill("1");
    await shown(hall.getByText("Trên thiết bị: 3 · Giơ tay: 1 · Còn lại: 1 / 5"));
    await hall.getByRole("button", { name: "Ghi số giơ tay" }).click();
    await shown(hall.getByText("Đã ghi số giơ tay."));
    await shown(card.getByText("4 / 5 đã bỏ phiếu"));
    await shown(projector.getByText("4 / 5 đã bỏ phiếu"));
    await shown(projector.getByText("Tính trên 5 đại biểu có mặt"));
    await projector.screenshot({ path: join(SHOTS, "hallvote-projector-open.png") });
    await chair.screenshot({ path: join(SHOTS, "hallvote-chair-console.png") });
    await card.screenshot({ path: join(SHOTS, "hallvote-chair-poll.png") });

    await card.getByRole("button", { name: "Kết thúc biểu quyết" }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    const sentence = /^Thông qua: 3\/5 đại biểu có mặt tán thành \(60\s?%\), nhiều hơn số không tán thành$/;
    await shown(projector.getByText(sentence));
    await shown(projector.getByText("trong đó tại hội trường: 1 giơ tay"));
    await shown(projector.getByText("Tán thành 3, không tán thành 1, không biểu quyết 0"));
    await shown(binhPhone.getByText(sentence));
    await shown(card.getByText(sentence));
    await shown(card.getByText("1 phiếu do người được ủy quyền bỏ"));
    await card.getByText("Ai đã chọn gì").click();
    await shown(card.getByRole("row").filter({ hasText: "Lê Văn Cường" }).getByText("(do Trần Thị Bình bỏ thay)"));
    await projector.screenshot({ path: join(SHOTS, "hallvote-projector.png") });
    await binhPhone.screenshot({ path: join(SHOTS, "hallvote-phone.png"), fullPage: true });
    await card.screenshot({ path: join(SHOTS, "hallvote-chair-result.png") });

    expect(consoleErrors).toEqual([]);
  });
});
