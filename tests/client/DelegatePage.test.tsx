// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { DelegatePage } from "../../client/src/pages/DelegatePage.tsx";
import type { ConferenceState } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, item, motion, person, T0 } from "../support/fixtures.ts";

/** The server's clock as the views read it. */
const SERVER_NOW = { now: T0 + 65_000 };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A stand-in for the socket module: the store the hooks read, and the commands sent. */

const me: Me = { id: "me", name: "Lê Văn Chi", organisation: "Hội A", organisationId: "org-a", representative: false, role: "delegate", voting: true };
const people = [
  person("me", "Lê Văn Chi", { organisation: "Hội A" }),
  person("p1", "<script>alert(1)</script>", { attendance: "online" }),
  person("p2", "Trần Thị Bình"),
];

function stateWith(extra: Partial<ConferenceState>): ConferenceState {
  return conference({
    participants: people,
    agenda: [item("i1", { title: "Thảo luận", status: "active", startedAt: T0, plannedMinutes: 1 })],
    currentItemId: "i1",
    ...extra,
  });
}

let root: Root;
let host: HTMLElement;

beforeEach(async () => {
  await i18n.changeLanguage("en");
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.useRealTimers();
});

async function render(fake: ReturnType<typeof fakeConnection>) {
  await act(async () => {
    root.render(
      <ConnectionContext.Provider value={fake.connection}>
        <SessionContext.Provider value={{ conferenceId: "conf1", token: "tok", adoptToken: () => undefined }}>
          <NoticeProvider>
            <DelegatePage />
          </NoticeProvider>
        </SessionContext.Provider>
      </ConnectionContext.Provider>,
    );
  });
}

const queued = (requestId: string, participantId: string) => ({
  requestId,
  participantId,
  kind: "speech" as const,
  note: "",
  requestedAt: T0,
  requestedBy: participantId,
});

describe("the delegate's phone", () => {
  it("shows my place in the queue, names as text, and the item's overrun", async () => {
    const fake = fakeConnection({
      status: "online",
      me,
      clockOffsetMs: 0,
      conference: stateWith({ speakers: { limitSeconds: 180, current: null, queue: [queued("r1", "p1"), queued("r2", "p2"), queued("r3", "me")], history: [] } }),
    }, SERVER_NOW);
    await render(fake);
    expect(host.textContent).toContain("You are 3rd in the queue");
    expect(host.querySelector("script")).toBeNull();
    expect(host.textContent).toContain("Thảo luận");
    expect(host.querySelector(".clock--over")?.textContent).toContain("+00:05");

    const withdraw = [...host.querySelectorAll("button")].find((b) => b.textContent === "Withdraw my request")!;
    await act(async () => withdraw.click());
    expect(fake.sent).toContainEqual({ type: "speakers.withdraw", requestId: "r3" });
  });

  it("signals the floor with my countdown and lets me finish", async () => {
    const fake = fakeConnection({
      status: "online",
      me,
      clockOffsetMs: 0,
      conference: stateWith({
        speakers: { limitSeconds: 180, current: { requestId: "r3", participantId: "me", kind: "speech", startedAt: T0, limitSeconds: 120, itemId: "i1" }, queue: [], history: [] },
      }),
    }, SERVER_NOW);
    await render(fake);
    expect(host.querySelector(".floor-signal")?.textContent).toContain("You have the floor");
    expect(host.querySelector(".floor-signal [role=timer]")?.textContent).toBe("00:55");
    const finish = [...host.querySelectorAll("button")].find((b) => b.textContent?.includes("I have finished"))!;
    await act(async () => finish.click());
    expect(fake.sent).toContainEqual({ type: "speakers.finish" });
  });

  it("takes over the screen with a ballot, asks to confirm, and locks once cast", async () => {
    const open = motion({ status: "open", openedAt: T0, eligible: 3, eligibleKeys: ["person:me", "person:p1", "person:p2"] });
    const fake = fakeConnection({ status: "online", me, clockOffsetMs: 0, conference: stateWith({ polls: [open] }) }, SERVER_NOW);
    await render(fake);
    expect(host.querySelector("[role=dialog]")).not.toBeNull();
    const yes = [...host.querySelectorAll("button")].find((b) => b.textContent === "For")!;
    await act(async () => yes.click());
    expect(fake.sent).toEqual([]);
    expect(host.textContent).toContain("Your choice: For");
    const confirm = [...host.querySelectorAll("button")].find((b) => b.textContent === "Confirm: For")!;
    await act(async () => confirm.click());
    expect(fake.sent).toContainEqual({ type: "polls.vote", pollId: "poll1", optionId: "yes" });

    await act(async () => fake.set({ conference: stateWith({ polls: [{ ...open, voters: ["person:me"], votesCast: 1 }] }) }));
    expect(host.querySelector("[role=dialog]")).toBeNull();
    expect(host.textContent).toContain("You chose: For");
  });

  it("says so when the link is down", async () => {
    const fake = fakeConnection({ status: "offline", me, clockOffsetMs: 0, conference: stateWith({}) }, SERVER_NOW);
    await i18n.changeLanguage("vi");
    await render(fake);
    expect(host.textContent).toContain("Mất kết nối – đang kết nối lại…");
  });

  it("gives an observer no ballot and no request form", async () => {
    const open = motion({ status: "open", openedAt: T0, eligible: 1, eligibleKeys: ["person:p1"] });
    const fake = fakeConnection({ status: "online", me: { ...me, role: "observer", voting: false }, clockOffsetMs: 0, conference: stateWith({ polls: [open] }) }, SERVER_NOW);
    await render(fake);
    expect(host.querySelector("[role=dialog]")).toBeNull();
    expect(host.textContent).not.toContain("Request to speak");
  });
});
