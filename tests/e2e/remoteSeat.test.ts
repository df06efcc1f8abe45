/**
 * The remote seat in real Chromium: an online delegate follows the meeting on a phone set to
 * another time zone, with the video meeting one tap away; the chair, on a laptop, gives them the
 * floor; the phone says so unmistakably (words, a chime, a vibration) and the delegate answers
 * "Tôi đang phát biểu"; the chair sees it acknowledged. Then the chair's console on a phone
 * (390 px): tabs under a sticky bar, nothing past the screen's edge, "copy my link"; the end of
 * the meeting takes away what no longer applies and offers to reopen it. Screenshots of each
 * screen go to test-output/screenshots. Every step waits for what a person would see.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, SKIP_REASON } from "../support/browser.ts";
import { addParticipant, api, createConference, startServer, type Conference, type TestServer } from "../support/server.ts";

const SHOTS = resolve(import.meta.dirname, "../../test-output/screenshots");
const shown = (locator: Locator) => locator.first().waitFor({ state: "visible", timeout: 30_000 });
const gone = (locator: Locator) => locator.first().waitFor({ state: "hidden", timeout: 30_000 });
const MEETING_URL = "https://meet.jit.si/giao-ban-2021-lien-hiep-hoi";
const PHONE = { width: 390, height: 844 };

/**
 * Counts what the page asks of the speaker and the vibration motor: each tone of the chime is an
 * oscillator started; each `navigator.vibrate` call is kept. Installed before the page's own code.
 */
function recordAlerts() {
  const w = window as unknown as { __tones: number; __vibrations: unknown[] };
  w.__tones = 0;
  w.__vibrations = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    w.__tones++;
    return start.apply(this, args);
  };
  Object.defineProperty(navigator, "vibrate", { configurable: true, value: (pattern: unknown) => (w.__vibrations.push(pattern), true) });
}

describe.skipIf(!hasChromium)(hasChromium ? "the remote seat in Chromium" : `the remote seat in Chromium (${SKIP_REASON})`, () => {
  let server: TestServer;
  let browser: Browser;
  let conference: Conference;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function open(url: string, options: { viewport?: { width: number; height: number }; timezoneId?: string; alerts?: boolean; clipboard?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, locale: "vi-VN", timezoneId: options.timezoneId ?? "Asia/Ho_Chi_Minh" });
    if (options.clipboard) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    if (options.alerts) await page.addInitScript(recordAlerts);
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    server = await startServer({ serveClient: true });
    conference = await createConference(server.url, {
      title: "Hội nghị giao ban Liên hiệp các Hội Khoa học và Kỹ thuật các tỉnh, thành phố năm 2021",
      organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      venue: "Hà Nội (trực tiếp và trực tuyến)",
      startsAt: "2021-11-15T08:30:00+07:00",
      language: "vi",
      chairName: "Phan Xuân Dũng",
    });
    const patched = await api(server.url, `/api/conferences/${conference.id}`, { method: "PATCH", token: conference.chairToken, body: { meetingUrl: MEETING_URL } });
    expect(patched.status).toBe(200);
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });

  afterEach(async (test) => {
    if (test.task.result?.state !== "fail") return;
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(pages.map((page, i) => page.screenshot({ path: join(SHOTS, `remote-failure-${i}.png`), fullPage: true }).catch(() => undefined)));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.dispose();
    expect(pageErrors).toEqual([]);
  });

  it("gives an online delegate the floor, who acknowledges it; the chair sees it", { timeout: 120_000 }, async () => {
    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);
    await shown(chair.getByRole("heading", { level: 1, name: /Hội nghị giao ban/ }));
    // The header says when the meeting is, in its own zone (this laptop is in it: no zone named).
    await shown(chair.locator(".topbar__when", { hasText: "08:30" }));
    expect(await chair.locator(".topbar__when").textContent()).not.toContain("UTC");
    for (const title of ["Phát biểu khai mạc", "Thảo luận của đại biểu"]) {
      await chair.getByLabel("Tên nội dung").last().fill(title);
      await chair.getByRole("button", { name: "Thêm", exact: true }).click();
      await shown(chair.locator(".agenda__title", { hasText: title }));
    }

    // Durations read "3 phút", never "03:00 phút".
    const limits = await chair.getByLabel("Thời gian phát biểu").locator("option").allTextContents();
    expect(limits).toContain("3 phút");
    expect(limits.some((text) => /\d\d:\d\d phút/.test(text))).toBe(false);

    // The conference starts with its own button, named apart from the item "Phát biểu khai mạc".
    await chair.getByRole("button", { name: "Bắt đầu hội nghị", exact: true }).click();
    await shown(chair.locator(".topbar .status--conf-live"));
    await chair.getByRole("button", { name: "Bắt đầu: Phát biểu khai mạc" }).click();
    await chair.getByRole("button", { name: "Chuyển nội dung tiếp theo" }).click();
    await shown(chair.locator(".agenda__item--done", { hasText: "Phát biểu khai mạc" }));
    // A finished item: a check mark and muted colour, not struck through.
    const done = chair.locator(".agenda__item--done").first();
    expect(await done.locator(".agenda__num svg").count()).toBe(1);
    expect(await done.locator(".agenda__title").evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("none");

    // The online delegate, on a phone set to Berlin time.
    const bình = await addParticipant(server.url, conference, { name: "Trần Thị Bình", role: "delegate", organisation: "Liên hiệp Hội TP. Hồ Chí Minh", attendance: "online" });
    const phone = await open(bình.url, { viewport: PHONE, timezoneId: "Europe/Berlin", alerts: true });
    await shown(phone.getByRole("heading", { name: "Xin phát biểu", exact: true }));
    // The meeting's time in its zone, and the zone named: this phone's clock is in another one.
    await shown(phone.locator(".topbar__when", { hasText: "giờ Asia/Ho_Chi_Minh (UTC+7)" }));
    expect(await phone.locator(".topbar__when").textContent()).toContain("08:30");
    // "Connecting…" and "Online" are two words.
    await shown(phone.locator(".live-state", { hasText: "Đang trực tuyến" }));
    // The video meeting, beside the agenda, opening in a new tab.
    const meeting = phone.getByRole("link", { name: /Vào phòng họp trực tuyến/ });
    await shown(meeting);
    expect(await meeting.getAttribute("href")).toBe(MEETING_URL);
    expect(await meeting.getAttribute("target")).toBe("_blank");
    expect(await meeting.getAttribute("rel")).toContain("noopener");
    await phone.screenshot({ path: join(SHOTS, "remote-delegate.png"), fullPage: true });

    await phone.getByRole("button", { name: "Xin phát biểu", exact: true }).click();
    await shown(phone.getByText("Bạn là người phát biểu tiếp theo"));
    await chair.getByRole("button", { name: "Mời người tiếp theo" }).click();

    // The phone: the words, the chime, the vibration.
    await shown(phone.getByRole("heading", { name: "Bạn đang được mời phát biểu: hãy bật micro" }));
    await phone.waitForFunction(() => (window as unknown as { __tones: number }).__tones >= 3);
    expect(await phone.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)).toBeGreaterThanOrEqual(1);
    // The meeting link is there too, where the microphone is.
    const inSignal = phone.locator(".floor-signal").getByRole("link", { name: /Vào phòng họp trực tuyến/ });
    expect(await inSignal.getAttribute("href")).toBe(MEETING_URL);
    await phone.screenshot({ path: join(SHOTS, "remote-floor-signal.png"), fullPage: true });

    // The chair sees that the speaker has not yet noticed.
    await shown(chair.locator(".speaker-card .ack--no", { hasText: "Chưa xác nhận" }));
    await phone.getByRole("button", { name: "Tôi đang phát biểu" }).click();
    await shown(phone.getByText("Chủ trì đã biết bạn đang phát biểu."));
    await gone(phone.getByRole("button", { name: "Tôi đang phát biểu" }));
    await shown(chair.locator(".speaker-card .ack--yes", { hasText: "Đã xác nhận lúc" }));
    await phone.screenshot({ path: join(SHOTS, "remote-floor-acknowledged.png"), fullPage: true });
    await chair.screenshot({ path: join(SHOTS, "remote-chair-acknowledged.png") });

    await phone.getByRole("button", { name: "Tôi đã phát biểu xong" }).click();
    await gone(phone.locator(".floor-signal"));
    await shown(chair.getByText("Chưa có ai phát biểu."));
  });

  it("runs the chair's console from a phone, then ends and reopens the meeting", { timeout: 120_000 }, async () => {
    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`, { viewport: PHONE, clipboard: true });
    await shown(chair.getByRole("heading", { level: 1 }));
    const tabs = chair.getByRole("tablist", { name: "Các mục điều hành" });
    await shown(tabs);
    // One section at a time, not one 2,400 px column of everything; nothing past the right edge.
    for (const name of ["Chương trình", "Phát biểu", "Biểu quyết, bầu cử", "Đại biểu", "Mời tham dự", "Biên bản", "Thông tin"]) {
      await shown(tabs.getByRole("tab", { name: new RegExp(`^${name}`) }));
    }
    const noOverflow = () => chair.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noOverflow()).toBe(true);
    // The title is not clipped: the h1 shows all its lines.
    const title = chair.getByRole("heading", { level: 1 });
    expect(await title.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await chair.screenshot({ path: join(SHOTS, "chair-phone-agenda.png") });
    await chair.screenshot({ path: join(SHOTS, "chair-phone-agenda-full.png"), fullPage: true });
    const height = await chair.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(2400);

    await tabs.getByRole("tab", { name: /^Phát biểu/ }).click();
    await shown(chair.getByRole("heading", { name: /Hàng chờ phát biểu/ }));
    expect(await noOverflow()).toBe(true);
    await chair.screenshot({ path: join(SHOTS, "chair-phone-floor.png"), fullPage: true });

    await tabs.getByRole("tab", { name: /^Thông tin/ }).click();
    const meetingField = chair.getByLabel("Phòng họp trực tuyến (Zoom, Jitsi, Teams…)");
    await shown(meetingField);
    expect(await meetingField.inputValue()).toBe(MEETING_URL);
    expect(await noOverflow()).toBe(true);
    // Only a web address is taken; a new one is saved for everyone.
    const save = chair.getByRole("button", { name: "Lưu", exact: true });
    await meetingField.fill("ftp://meet.example.org/giao-ban");
    await shown(chair.getByText("Địa chỉ phòng họp phải là một đường dẫn bắt đầu bằng https://"));
    expect(await save.isDisabled()).toBe(true);
    await meetingField.fill(`${MEETING_URL}-2`);
    await save.click();
    await shown(chair.getByText("Đã lưu thông tin hội nghị."));
    expect((await api(server.url, `/api/conferences/${conference.id}`)).body.meetingUrl).toBe(`${MEETING_URL}-2`);
    await chair.screenshot({ path: join(SHOTS, "chair-phone-facts.png"), fullPage: true });
    // The tab bar stays at the top while a long section scrolls.
    await chair.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await chair.waitForFunction(() => window.scrollY > (document.querySelector<HTMLElement>("header.topbar")?.offsetHeight ?? 0));
    const barTop = await tabs.evaluate((el) => el.getBoundingClientRect().top);
    expect(barTop).toBeLessThanOrEqual(1);
    await chair.screenshot({ path: join(SHOTS, "chair-phone-facts-scrolled.png") });

    // "Copy my link": this page's own link, with the chair's token.
    await chair.evaluate(() => window.scrollTo(0, 0));
    await chair.getByRole("button", { name: "Sao chép đường dẫn của tôi" }).click();
    await shown(chair.getByText("Đã sao chép đường dẫn riêng của bạn."));
    expect(await chair.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);

    // The end: what no longer applies goes, reopening is offered (and asked again).
    await chair.getByRole("button", { name: "Bế mạc", exact: true }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.locator(".topbar .status--conf-ended"));
    await tabs.getByRole("tab", { name: /^Chương trình/ }).click();
    await shown(chair.getByRole("heading", { name: "Chương trình" }));
    expect(await chair.getByRole("form", { name: "Thêm nội dung" }).count()).toBe(0);
    expect(await chair.getByRole("button", { name: /^Chuyển lên|^Chuyển xuống|^Xóa:|^Bắt đầu:/ }).count()).toBe(0);
    await tabs.getByRole("tab", { name: /^Phát biểu/ }).click();
    await shown(chair.getByRole("heading", { name: /Hàng chờ phát biểu/ }));
    expect(await chair.getByLabel("Thời gian phát biểu").count()).toBe(0);
    expect(await chair.getByRole("button", { name: "Mời người tiếp theo" }).count()).toBe(0);
    await chair.evaluate(() => window.scrollTo(0, 0));
    await chair.screenshot({ path: join(SHOTS, "chair-phone-ended.png"), fullPage: true });

    await chair.getByRole("button", { name: "Mở lại hội nghị" }).click();
    await shown(chair.getByText("Mở lại hội nghị đã kết thúc?"));
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.locator(".topbar .status--conf-live"));
    await shown(chair.getByLabel("Thời gian phát biểu"));
  });

  it("gives the secretary the same phone layout, with the minutes among its tabs; the projector's header reads well", { timeout: 90_000 }, async () => {
    const secretary = await addParticipant(server.url, conference, { name: "Thư ký hội nghị", role: "secretary", organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam" });
    const desk = await open(secretary.url);
    await shown(desk.getByRole("heading", { name: "Chương trình" }));
    await shown(desk.getByRole("textbox", { name: "Nội dung biên bản" }));
    await desk.screenshot({ path: join(SHOTS, "secretary-desktop.png") });
    const phone = await open(secretary.url, { viewport: PHONE });
    const tabs = phone.getByRole("tablist", { name: "Các mục điều hành" });
    for (const name of ["Chương trình", "Biên bản", "Phát biểu", "Biểu quyết, bầu cử", "Đại biểu", "Mời tham dự"]) {
      await shown(tabs.getByRole("tab", { name: new RegExp(`^${name}`) }));
    }
    await tabs.getByRole("tab", { name: /^Biên bản/ }).click();
    await shown(phone.getByRole("textbox", { name: "Nội dung biên bản" }));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: join(SHOTS, "secretary-phone-minutes.png"), fullPage: true });

    const screen = await addParticipant(server.url, conference, { name: "Màn hình hội trường", role: "projector" });
    const projector = await open(screen.url, { viewport: { width: 1920, height: 1080 } });
    await shown(projector.getByRole("heading", { level: 1 }));
    await shown(projector.getByRole("group", { name: "Ngôn ngữ" }));
    await projector.screenshot({ path: join(SHOTS, "projector.png") });
  });

  it("shows the ended meeting's console on a desktop, with reopening offered", { timeout: 60_000 }, async () => {
    const chairApi = await api(server.url, `/api/conferences/${conference.id}`);
    expect(chairApi.status).toBe(200);
    const chair = await open(`${server.url}/c/${conference.id}#t=${conference.chairToken}`);
    await shown(chair.getByRole("heading", { name: "Chương trình" }));
    await chair.getByRole("button", { name: "Bế mạc", exact: true }).click();
    await chair.getByRole("button", { name: "Đồng ý" }).click();
    await shown(chair.getByRole("button", { name: "Mở lại hội nghị" }));
    expect(await chair.getByRole("button", { name: /^Chuyển lên/ }).count()).toBe(0);
    await chair.screenshot({ path: join(SHOTS, "chair-desktop-ended.png") });
  });
});
