/**
 * The 2021 demo conference played through in real Chromium, one browser context per person:
 * the chair, two delegates (one in the hall, one online), two secretaries and the projector.
 * Everything is found by role and accessible name, as a person (or a screen reader) finds it.
 */
import { readFile } from "node:fs/promises";
import JSZip from "jszip";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemo, type DemoLinks } from "../../server/demo.ts";
import { browserPages, gone, hasChromium, shown, SHOTS, SKIP_REASON } from "../support/browser.ts";
import { addParticipant, createConference, startServer, TestClient, type TestServer } from "../support/server.ts";


describe.skipIf(!hasChromium)(hasChromium ? "the 2021 conference in Chromium" : `the 2021 conference in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let demo: DemoLinks;

  const { open, consoleErrors, close } = browserPages("conference", {});

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    demo = await createDemo(server.server.registry, server.url);
    console.log(`[browser tests] screenshots in ${SHOTS}`);
  });

  afterAll(async () => {
    // The Content-Security-Policy refused nothing the pages needed.
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    await close();
    await server?.dispose();
  });

  it("runs the meeting from opening to the signed minutes", { timeout: 180_000 }, async () => {
    const chair = await open(demo.chair);
    const projector = await open(demo.projector, { viewport: { width: 1920, height: 1080 } });
    const chairToken = new URL(demo.chair).hash.slice("#t=".length);
    const second = await addParticipant(server.url, { id: demo.conferenceId, chairToken, joinCode: demo.joinCode }, {
      name: "Vũ Thị Hạnh",
      role: "secretary",
    });
    const secretaries = [await open(demo.secretary), await open(second.url)];
    await shown(chair.getByRole("heading", { name: "Chương trình" }));

    // Two delegates join through the join page, one in the hall and one online.
    const joinAs = async (name: string, organisation: string, attendance: "Tại hội trường" | "Trực tuyến") => {
      const page = await open(demo.join, { viewport: { width: 390, height: 844 } });
      await page.getByLabel("Họ và tên").fill(name);
      await page.getByLabel("Cơ quan, đơn vị").fill(organisation);
      await page.getByRole("radio", { name: attendance }).check();
      await page.getByRole("button", { name: "Vào hội nghị" }).click();
      await shown(page.getByRole("heading", { name: "Xin phát biểu", exact: true }));
      return page;
    };
    const hallDelegate = await joinAs("Nguyễn Văn An", "Liên hiệp Hội tỉnh Nghệ An", "Tại hội trường");
    const onlineDelegate = await joinAs("Trần Thị Bình", "Liên hiệp Hội TP. Hồ Chí Minh", "Trực tuyến");

    // The chair opens the meeting and the first item.
    await chair.getByRole("button", { name: "Bắt đầu hội nghị", exact: true }).click();
    await chair.getByRole("button", { name: "Bắt đầu: Phát biểu khai mạc" }).click();

    // The co-chair sits in the hall without a device: the chair checks him in by hand.
    await chair.getByRole("tab", { name: "Đại biểu" }).click();
    await chair.getByRole("button", { name: "Điểm danh: Phạm Quang Thao có mặt" }).click();
    await gone(chair.getByRole("button", { name: "Điểm danh: Phạm Quang Thao có mặt" }));
    await chair.screenshot({ path: join(SHOTS, "chair-people.png") });
    await shown(hallDelegate.getByText("Phát biểu khai mạc").first());
    await shown(projector.getByText("Phát biểu khai mạc").first());

    // Both ask for the floor; the online delegate raises a point of order, which goes first.
    await hallDelegate.getByRole("button", { name: "Xin phát biểu", exact: true }).click();
    await shown(hallDelegate.getByText("Bạn là người phát biểu tiếp theo"));
    await onlineDelegate.getByRole("radio", { name: "Kiến nghị thủ tục" }).check();
    await onlineDelegate.getByRole("button", { name: "Xin phát biểu", exact: true }).click();
    await shown(onlineDelegate.getByText("Bạn là người phát biểu tiếp theo"));
    await shown(hallDelegate.getByText("Bạn đứng thứ 2 trong hàng chờ"));

    // The chair gives the floor to the head of the queue, then finishes the speech.
    await chair.getByRole("button", { name: "Mời người tiếp theo" }).click();
    await shown(onlineDelegate.getByText("Mời bạn phát biểu"));
    await shown(projector.getByText("Trần Thị Bình").first());
    await shown(hallDelegate.getByText("Bạn là người phát biểu tiếp theo"));
    await chair.getByRole("button", { name: "Kết thúc phát biểu" }).click();
    await gone(onlineDelegate.getByText("Mời bạn phát biểu"));

    // On to the cluster proposal; the chair opens a motion on it.
    await chair.getByRole("button", { name: /^Bắt đầu: Đề án thành lập các cụm/ }).click();
    await shown(projector.getByText(/Đề án thành lập các cụm hoạt động/).first());
    await chair.getByRole("button", { name: "Mời người tiếp theo" }).click();
    await shown(hallDelegate.getByText("Mời bạn phát biểu"));
    await hallDelegate.getByRole("button", { name: "Tôi đã phát biểu xong" }).click();
    await gone(hallDelegate.getByText("Mời bạn phát biểu"));
    await chair.getByRole("tab", { name: /Biểu quyết/ }).click();
    await chair.getByText("Tạo biểu quyết").click();
    await chair.getByLabel(/Nội dung biểu quyết/).fill("Thông qua đề án thành lập các cụm hoạt động?");
    await chair.getByRole("button", { name: "Tạo (chưa mở)" }).click();
    await chair.getByRole("button", { name: "Mở biểu quyết" }).click();

    // Both delegates vote on the ballot that takes over their phones.
    const vote = async (page: Page, choice: string) => {
      const ballot = page.getByRole("dialog");
      await shown(ballot);
      await ballot.getByRole("button", { name: choice, exact: true }).click();
      await ballot.getByRole("button", { name: `Xác nhận: ${choice}` }).click();
      await shown(page.getByText(`Bạn đã chọn: ${choice}`, { exact: false }));
    };
    await vote(hallDelegate, "Tán thành");
    await vote(onlineDelegate, "Tán thành");
    await shown(chair.getByText("2 / 4 đã bỏ phiếu"));

    await chair.getByRole("button", { name: "Kết thúc biểu quyết" }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    const outcome = /^Thông qua: 2\/4 đại biểu có mặt tán thành \(50\s?%\), nhiều hơn số không tán thành$/;
    await shown(projector.getByText(outcome));
    await shown(hallDelegate.getByText(outcome).first());

    // Both secretaries write the minutes at the same time; each sees the other's words.
    const editors = secretaries.map((page) => page.getByRole("textbox", { name: "Nội dung biên bản" }));
    await Promise.all(editors.map((editor) => shown(editor)));
    const lines = ["Hội nghị khai mạc lúc 8 giờ 30.", "Đại biểu thống nhất cao với đề án."];
    await editors[0]!.click();
    await editors[1]!.click();
    await Promise.all(editors.map((editor, i) => editor.pressSequentially(lines[i]!, { delay: 15 })));
    for (const editor of editors) {
      for (const line of lines) await shown(editor.getByText(line, { exact: false }));
    }

    // One of them inserts who spoke on this item and the motion's result.
    const secretary = secretaries[0]!;
    await editors[0]!.press("End");
    await editors[0]!.press("Enter");
    await secretary.getByRole("button", { name: "Người phát biểu" }).click();
    await secretary.getByRole("button", { name: "Chèn kết quả" }).click();
    await shown(editors[1]!.getByText(/Nguyễn Văn An/));
    await shown(editors[1]!.getByText(/^Thông qua: /));
    // The draft is the secretaries' until the chair shares it (v1.1); then delegates read the same text live.
    await shown(hallDelegate.getByText("Biên bản chưa được chia sẻ"));
    await chair.getByRole("tab", { name: "Biên bản" }).click();
    await chair.getByRole("button", { name: "Chia sẻ với mọi người" }).click();
    await shown(chair.getByText("Dự thảo – đã chia sẻ với mọi người"));
    await shown(hallDelegate.getByText(lines[1]!, { exact: false }));

    // The chair closes the meeting.
    await chair.getByRole("button", { name: "Bế mạc", exact: true }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.getByText("Đã kết thúc").first());

    // … and downloads the official minutes.
    await chair.getByRole("tab", { name: "Biên bản" }).click();
    const [download] = await Promise.all([
      chair.waitForEvent("download"),
      chair.getByRole("button", { name: "Tải biên bản (DOCX)" }).click(),
    ]);
    const docx = await JSZip.loadAsync(await readFile((await download.path())!));
    const body = (await docx.file("word/document.xml")!.async("string")).replace(/<[^>]+>/g, "");
    for (const expected of ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN", "Nguyễn Văn An", "Trần Thị Bình", "Vắng mặt (0)", ...lines, "Thông qua đề án thành lập các cụm hoạt động?"]) {
      expect(body).toContain(expected);
    }

    await chair.screenshot({ path: join(SHOTS, "chair.png") });
    await projector.screenshot({ path: join(SHOTS, "projector.png") });
    await hallDelegate.screenshot({ path: join(SHOTS, "delegate-hall.png"), fullPage: true });
    await onlineDelegate.screenshot({ path: join(SHOTS, "delegate-online.png"), fullPage: true });
    await secretaries[0]!.screenshot({ path: join(SHOTS, "secretary-1.png") });
    await secretaries[1]!.screenshot({ path: join(SHOTS, "secretary-2.png") });
  });

  it("brings a delegate whose network dropped back up to date by itself", { timeout: 120_000 }, async () => {
    const conference = await createConference(server.url, { title: "Giao ban quý IV" });
    const chair = await TestClient.connect(server.url, conference.chairToken);
    // A hostile name: it must show as text and never run.
    const hostileName = "<script>window.__pwned = 1</script> Lê Văn Chi";
    const other = await addParticipant(server.url, conference, { name: hostileName, role: "delegate", organisation: "<img src=x onerror=window.__pwned=2>" });
    const otherClient = await TestClient.connect(server.url, other.token);
    const me = await addParticipant(server.url, conference, { name: "Phạm Thị Dung", role: "delegate" });
    const page = await open(me.url, { viewport: { width: 390, height: 844 } });
    await chair.must({ type: "agenda.add", title: "Thảo luận" });

    await page.getByRole("button", { name: "Xin phát biểu", exact: true }).click();
    await shown(page.getByText("Bạn là người phát biểu tiếp theo"));

    await page.context().setOffline(true);
    await shown(page.getByText("Mất kết nối – đang kết nối lại…"));

    // While the delegate is away, a point of order jumps the queue and the chair starts an item.
    await otherClient.must({ type: "speakers.request", kind: "point_of_order" });
    await chair.must({ type: "agenda.next" });

    await page.context().setOffline(false);
    await gone(page.getByText("Mất kết nối – đang kết nối lại…"));
    await shown(page.getByText("Bạn đứng thứ 2 trong hàng chờ"));
    await shown(page.getByText("Thảo luận"));
    await page.screenshot({ path: join(SHOTS, "delegate-reconnected.png") });

    // And it keeps following live changes.
    await chair.must({ type: "speakers.grant" });
    await shown(page.getByText("Bạn là người phát biểu tiếp theo"));
    await shown(page.getByText(hostileName));
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    chair.close();
    otherClient.close();
  });
});
