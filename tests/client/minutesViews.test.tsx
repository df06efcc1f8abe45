// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { MinutesControls } from "../../client/src/minutes/MinutesControls.tsx";
import MinutesViewer from "../../client/src/minutes/MinutesViewer.tsx";
import { INITIAL_MINUTES } from "../../shared/domain/minutes.ts";
import type { ConferenceState, MinutesState } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, person, T0 } from "../support/fixtures.ts";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;


/** Every minutes socket the page opens, never connected (no server here). */
const sockets: string[] = [];
class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  binaryType = "arraybuffer";
  onopen: unknown = null;
  onclose: unknown = null;
  onmessage: unknown = null;
  onerror: unknown = null;
  constructor(readonly url: string) {
    sockets.push(url);
  }
  send() {}
  close() {
    this.readyState = 3;
  }
}

const delegate: Me = { id: "d1", name: "Lê Văn Chi", organisation: "Hội A", organisationId: null, representative: false, role: "delegate", voting: true };
const chair: Me = { ...delegate, id: "ch", name: "Phan Xuân Dũng", role: "chair" };
const secretaries = [person("s1", "Vũ Thị Hạnh", { role: "secretary" }), person("s2", "Đỗ Minh Tâm", { role: "secretary" })];

function stateWith(minutes: MinutesState): ConferenceState {
  return conference({ participants: [person("ch", "Phan Xuân Dũng", { role: "chair" }), ...secretaries, person("d1", "Lê Văn Chi")], minutes });
}

let root: Root;
let host: HTMLElement;

beforeEach(async () => {
  await i18n.changeLanguage("en");
  sockets.length = 0;
  vi.stubGlobal("WebSocket", FakeWebSocket);
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.unstubAllGlobals();
});

async function render(fake: ReturnType<typeof fakeConnection>, node: React.ReactNode) {
  await act(async () => {
    root.render(
      <ConnectionContext.Provider value={fake.connection}>
        <SessionContext.Provider value={{ conferenceId: "conf1", token: "tok", adoptToken: () => undefined }}>
          <NoticeProvider>{node}</NoticeProvider>
        </SessionContext.Provider>
      </ConnectionContext.Provider>,
    );
  });
}

const button = (name: string) => [...host.querySelectorAll("button")].find((b) => b.textContent === name);

describe("the reader's minutes", () => {
  it("says the draft is not shared and does not knock until the chair shares it", async () => {
    const fake = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: stateWith(INITIAL_MINUTES) });
    await render(fake, <MinutesViewer conferenceId="conf1" token="tok" />);
    expect(host.textContent).toContain("The minutes have not been shared yet");
    expect(sockets).toEqual([]);

    await act(async () => fake.set({ conference: stateWith({ ...INITIAL_MINUTES, shared: true }) }));
    expect(host.textContent).not.toContain("not been shared");
    expect(host.textContent).toContain("Draft");
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toContain("/yjs/conf1");

    // The chair stops sharing: the viewer lets go and says so again.
    await act(async () => fake.set({ conference: stateWith(INITIAL_MINUTES) }));
    expect(host.textContent).toContain("The minutes have not been shared yet");
  });

  it("reads approved minutes even when the draft was never shared", async () => {
    const approved = { ...INITIAL_MINUTES, status: "approved" as const, approvedAt: T0, approvedBy: "ch" };
    const fake = fakeConnection({ status: "online", me: delegate, clockOffsetMs: 0, conference: stateWith(approved) });
    await render(fake, <MinutesViewer conferenceId="conf1" token="tok" />);
    expect(host.textContent).toContain("Approved");
    expect(sockets).toHaveLength(1);
  });
});

describe("the chair's minutes controls", () => {
  it("shares, approves after a confirmation, and names the signing secretary", async () => {
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith(INITIAL_MINUTES) });
    await render(fake, <MinutesControls />);
    expect(host.textContent).toContain("Draft — not shared (chairs and secretaries only)");
    await act(async () => button("Share with everyone")!.click());
    expect(fake.sent).toContainEqual({ type: "minutes.share", shared: true });

    await act(async () => fake.set({ conference: stateWith({ ...INITIAL_MINUTES, shared: true }) }));
    expect(host.textContent).toContain("Draft — shared with everyone");
    expect(button("Stop sharing")).toBeDefined();

    await act(async () => button("Approve (the meeting adopted the minutes)")!.click());
    expect(fake.sent.some((c) => c.type === "minutes.approve")).toBe(false);
    await act(async () => button("Yes")!.click());
    expect(fake.sent).toContainEqual({ type: "minutes.approve" });

    const select = host.querySelector("select")!;
    expect([...select.options].map((o) => o.textContent)).toEqual(["The first secretary (Vũ Thị Hạnh)", "Vũ Thị Hạnh", "Đỗ Minh Tâm"]);
    await act(async () => {
      select.value = "s2";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(fake.sent).toContainEqual({ type: "minutes.setSigner", participantId: "s2" });
    expect(host.querySelector<HTMLAnchorElement>("a.minutes-flow__print")?.getAttribute("href")).toBe("/c/conf1/minutes/print");
  });

  it("says when and by whom the minutes were approved, and reopens them after a confirmation", async () => {
    // 09:05 in Hà Nội.
    const approvedAt = Date.UTC(2021, 10, 15, 2, 5);
    const fake = fakeConnection({ status: "online", me: chair, clockOffsetMs: 0, conference: stateWith({ ...INITIAL_MINUTES, status: "approved", approvedAt, approvedBy: "ch" }) });
    await render(fake, <MinutesControls />);
    expect(host.textContent).toContain("Approved at 09:05 by Phan Xuân Dũng");
    expect(button("Share with everyone")).toBeUndefined();
    await act(async () => button("Reopen for editing")!.click());
    await act(async () => button("Yes")!.click());
    expect(fake.sent).toContainEqual({ type: "minutes.reopen" });
  });

  it("shows a secretary where the minutes stand without the chair's buttons", async () => {
    const fake = fakeConnection({ status: "online", me: { ...delegate, id: "s1", role: "secretary" }, clockOffsetMs: 0, conference: stateWith(INITIAL_MINUTES) });
    await render(fake, <MinutesControls />);
    expect(host.textContent).toContain("Draft — not shared");
    expect(button("Share with everyone")).toBeUndefined();
    expect(host.querySelector("select")).toBeNull();
    expect(host.textContent).toContain("Signed by the secretary: Vũ Thị Hạnh");
  });
});
