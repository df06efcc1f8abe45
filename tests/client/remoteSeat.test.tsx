// @vitest-environment happy-dom
/**
 * The remote seat and the words of issue 16, in the React views: the floor signal's
 * acknowledgement, chime and vibration; the chair's view of it; the video meeting's link (only
 * http(s), only for online participants); speaking times in minutes; the agenda after the end;
 * reopening; the phone layout of the console.
 */
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AgendaPanel } from "../../client/src/agenda/AgendaPanel.tsx";
import { ConferenceHeader } from "../../client/src/components/ConferenceHeader.tsx";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { CurrentSpeakerCard, LimitSetting, limitWords } from "../../client/src/floor/SpeakerQueue.tsx";
import { meetingHref } from "../../client/src/floor/MeetingLink.tsx";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { DelegatePage } from "../../client/src/pages/DelegatePage.tsx";
import type { ConferenceState, CurrentSpeech } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, item, person, T0 } from "../support/fixtures.ts";

/** The server's clock as the views read it. */
const SERVER_NOW = { now: T0 + 5_000 };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;


const MEETING = "https://meet.jit.si/giao-ban";
const delegate: Me = { id: "me", name: "Trần Thị Bình", organisation: "Hội A", organisationId: null, representative: false, role: "delegate", voting: true };
const chair: Me = { id: "chair", name: "Phan Xuân Dũng", organisation: "", organisationId: null, representative: false, role: "chair", voting: true };
const speech = (extra: Partial<CurrentSpeech> = {}): CurrentSpeech => ({ requestId: "r1", participantId: "me", kind: "speech", startedAt: T0, limitSeconds: 180, itemId: "i1", ...extra });

function stateWith(extra: Partial<ConferenceState> = {}, attendance: "hall" | "online" = "online", meetingUrl = MEETING): ConferenceState {
  const base = conference({
    participants: [person("me", "Trần Thị Bình", { attendance }), person("chair", "Phan Xuân Dũng", { role: "chair" })],
    agenda: [item("i1", { title: "Phát biểu khai mạc", status: "done", startedAt: T0 - 60_000, endedAt: T0, spentMs: 60_000 }), item("i2", { title: "Thảo luận", status: "active", startedAt: T0 })],
    currentItemId: "i2",
    ...extra,
  });
  return { ...base, conference: { ...base.conference, meetingUrl, ...extra.conference } };
}

let root: Root;
let host: HTMLElement;

beforeEach(async () => {
  await i18n.changeLanguage("vi");
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

async function render(fake: ReturnType<typeof fakeConnection>, view: React.ReactNode) {
  await act(async () => {
    root.render(
      <ConnectionContext.Provider value={fake.connection}>
        <SessionContext.Provider value={{ conferenceId: "conf1", token: "tok", adoptToken: () => undefined }}>
          <NoticeProvider>{view}</NoticeProvider>
        </SessionContext.Provider>
      </ConnectionContext.Provider>,
    );
  });
}

const button = (text: string) => [...host.querySelectorAll("button")].find((b) => b.textContent?.includes(text));

describe("the floor on the speaker's own device", () => {
  it("says so, vibrates, and sends the acknowledgement; then says the chair knows", async () => {
    const vibrate = vi.fn(() => true);
    Object.defineProperty(navigator, "vibrate", { configurable: true, value: vibrate });
    const state = stateWith({ speakers: { limitSeconds: 180, current: speech(), queue: [], history: [] } });
    const fake = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: state }, SERVER_NOW);
    await render(fake, <DelegatePage />);
    const signal = host.querySelector(".floor-signal")!;
    expect(signal.querySelector("h2")?.textContent).toContain("Bạn đang được mời phát biểu: hãy bật micro");
    expect(signal.querySelector("[role=alert]")).not.toBeNull();
    expect(vibrate).toHaveBeenCalled();
    // The video meeting is where the microphone is.
    expect(signal.querySelector("a")?.getAttribute("href")).toBe(MEETING);

    await act(async () => button("Tôi đang phát biểu")!.click());
    expect(fake.sent).toContainEqual({ type: "speakers.acknowledge" });
    await act(async () => fake.setConference({ speakers: { limitSeconds: 180, current: speech({ acknowledgedAt: T0 + 3_000 }), queue: [], history: [] } }));
    expect(button("Tôi đang phát biểu")).toBeUndefined();
    expect(host.querySelector(".floor-signal")?.textContent).toContain("Chủ trì đã biết bạn đang phát biểu.");
  });

  it("offers the video meeting beside the agenda to an online delegate only", async () => {
    const online = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: stateWith() }, SERVER_NOW);
    await render(online, <DelegatePage />);
    const link = [...host.querySelectorAll("a")].find((a) => a.textContent?.includes("Vào phòng họp trực tuyến"));
    expect(link?.getAttribute("href")).toBe(MEETING);
    expect(link?.getAttribute("target")).toBe("_blank");
    expect(link?.getAttribute("rel")).toContain("noopener");

    const hall = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: stateWith({}, "hall") }, SERVER_NOW);
    await render(hall, <DelegatePage />);
    expect(host.textContent).not.toContain("Vào phòng họp trực tuyến");
  });

  it("never puts an address other than http(s) in the link", async () => {
    expect(meetingHref("javascript:alert(1)")).toBeNull();
    expect(meetingHref("data:text/html,hi")).toBeNull();
    expect(meetingHref("meet.jit.si/x")).toBeNull();
    expect(meetingHref("")).toBeNull();
    expect(meetingHref(" https://zoom.us/j/123 ")).toBe("https://zoom.us/j/123");
    const fake = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: stateWith({}, "online", "javascript:alert(1)") }, SERVER_NOW);
    await render(fake, <DelegatePage />);
    expect(host.querySelector('a[href^="javascript"]')).toBeNull();
    expect(host.textContent).not.toContain("Vào phòng họp trực tuyến");
  });
});

describe("the chair's console", () => {
  it("shows whether an online speaker has acknowledged the floor", async () => {
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith({ speakers: { limitSeconds: 180, current: speech(), queue: [], history: [] } }) }, SERVER_NOW);
    await render(fake, <CurrentSpeakerCard canRun />);
    expect(host.querySelector(".ack--no")?.textContent).toContain("Chưa xác nhận");
    await act(async () => fake.setConference({ speakers: { limitSeconds: 180, current: speech({ acknowledgedAt: T0 + 3_000 }), queue: [], history: [] } }));
    expect(host.querySelector(".ack--yes")?.textContent).toContain("Đã xác nhận lúc");
  });

  it("does not ask it of a speaker in the hall, nor show it to delegates", async () => {
    const hall = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith({ speakers: { limitSeconds: 180, current: speech(), queue: [], history: [] } }, "hall") }, SERVER_NOW);
    await render(hall, <CurrentSpeakerCard canRun />);
    expect(host.querySelector(".ack")).toBeNull();
    const other = { ...delegate, id: "someone-else" };
    const seen = fakeConnection({ status: "online", me: other, clockOffsetMs: 0, conference: stateWith({ speakers: { limitSeconds: 180, current: speech(), queue: [], history: [] } }) }, SERVER_NOW);
    await render(seen, <CurrentSpeakerCard canRun={false} />);
    expect(host.querySelector(".ack")).toBeNull();
  });

  it("writes speaking times as “3 phút” or “01:30”, never “03:00 phút”", async () => {
    const t = i18n.getFixedT("vi", "common");
    expect(limitWords(180, t as never)).toBe("3 phút");
    expect(limitWords(90, t as never)).toBe("01:30");
    expect(limitWords(0, t as never)).toBe("Không giới hạn");
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith() }, SERVER_NOW);
    await render(fake, <LimitSetting />);
    const options = [...host.querySelectorAll("option")].map((o) => o.textContent);
    expect(options).toContain("3 phút");
    expect(options.some((o) => /phút/.test(o ?? "") && /\d\d:\d\d/.test(o ?? ""))).toBe(false);
  });

  it("marks a finished item with a check mark, and drops what no longer applies once the meeting has ended", async () => {
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith() }, SERVER_NOW);
    await render(fake, <AgendaPanel canRun canEdit />);
    const done = host.querySelector(".agenda__item--done")!;
    expect(done.querySelector(".agenda__num svg")).not.toBeNull();
    expect(host.querySelector('form[aria-label="Thêm nội dung"]')).not.toBeNull();
    expect(host.querySelector('[aria-label^="Chuyển lên"]')).not.toBeNull();

    await act(async () => fake.setConference({ conference: { ...stateWith().conference, status: "ended" }, currentItemId: null }));
    expect(host.querySelector('form[aria-label="Thêm nội dung"]')).toBeNull();
    expect(host.querySelector('[aria-label^="Chuyển lên"]')).toBeNull();
    expect(host.querySelector('[aria-label^="Xóa:"]')).toBeNull();
    expect(host.querySelector('[aria-label^="Bắt đầu:"]')).toBeNull();
    // A title may still be corrected for the minutes.
    expect(host.querySelector('[aria-label^="Sửa:"]')).not.toBeNull();

    await render(fake, <LimitSetting />);
    expect(host.querySelector("select")).toBeNull();
  });

  it("names the page with one h1, and says online and connecting with two words", async () => {
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith() }, SERVER_NOW);
    await render(fake, <ConferenceHeader />);
    expect(host.querySelectorAll("h1")).toHaveLength(1);
    expect(host.querySelector(".live-state")?.textContent).toContain("Đang trực tuyến");
    const connecting = fakeConnection({ status: "connecting", me: chair, clockOffsetMs: 0, conference: stateWith() }, SERVER_NOW);
    await render(connecting, <ConferenceHeader />);
    expect(host.querySelector(".live-state")?.textContent).toContain("Đang kết nối…");
    expect(host.querySelector("button[aria-label='Sao chép đường dẫn của tôi']")).not.toBeNull();
  });
});
