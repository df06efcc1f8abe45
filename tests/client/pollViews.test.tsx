// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { DelegatePage } from "../../client/src/pages/DelegatePage.tsx";
import { ParticipantsPanel } from "../../client/src/people/ParticipantsPanel.tsx";
import { PollsPanel } from "../../client/src/polls/PollsPanel.tsx";
import { setSentVote } from "../../client/src/polls/sentVotes.ts";
import type { ConferenceState, Organisation } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, motion, person, T0 } from "../support/fixtures.ts";

/** The server's clock as the views read it. */
const SERVER_NOW = { now: T0 + 60_000 };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;


const organisations: Organisation[] = [
  { id: "na", name: "Liên hiệp Hội tỉnh Nghệ An", shortName: "", cluster: "Bắc Trung Bộ", source: "roster" },
  { id: "hcm", name: "Liên hiệp Hội TP. Hồ Chí Minh", shortName: "", cluster: "Nam Bộ", source: "roster" },
];
const people = [
  person("chair", "Phan Xuân Dũng", { role: "chair" }),
  person("an", "Nguyễn Văn An", { organisationId: "na", organisation: organisations[0]!.name }),
  person("binh", "Trần Thị Bình", { organisationId: "na", organisation: organisations[0]!.name, checkedInAt: null, online: false, proxyId: "an" }),
  person("rep", "Đặng Văn Khoa", { organisationId: "hcm", organisation: organisations[1]!.name, representative: true }),
  person("member", "Lý Thị Mai", { organisationId: "hcm", organisation: organisations[1]!.name }),
];
const asAn: Me = { id: "an", name: "Nguyễn Văn An", organisation: organisations[0]!.name, organisationId: "na", representative: false, role: "delegate", voting: true };
const asChair: Me = { id: "chair", name: "Phan Xuân Dũng", organisation: "", organisationId: null, representative: false, role: "chair", voting: true };
const open = motion({
  status: "open",
  openedAt: T0,
  eligible: 5,
  eligibleKeys: ["person:chair", "person:an", "person:binh", "person:rep", "person:member"],
  proxies: { binh: "an" },
});
const stateWith = (extra: Partial<ConferenceState>) => conference({ participants: people, organisations, ...extra });

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
  for (const key of ["poll1", "poll1:binh"]) setSentVote(key, null);
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
const button = (text: string) => [...host.querySelectorAll("button")].find((b) => b.textContent === text);
const click = (text: string) => act(async () => button(text)!.click());
/** Types into a React-controlled input. */
async function type(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), "value")!.set!.call(input, value);
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

describe("a proxy holder's phone", () => {
  it("asks for my own vote, then for the vote of whoever gave me their proxy", async () => {
    const fake = fakeConnection({ status: "online", me: asAn, clockOffsetMs: 0, conference: stateWith({ polls: [open] }) }, SERVER_NOW);
    await render(fake, <DelegatePage />);
    expect(host.querySelector("[role=dialog]")?.textContent).not.toContain("Bỏ phiếu thay cho");
    await click("Tán thành");
    await click("Xác nhận: Tán thành");
    expect(fake.sent).toContainEqual({ type: "polls.vote", pollId: "poll1", optionId: "yes" });

    // My own is under way: the proxy's ballot takes the screen, saying whose vote it is.
    const dialog = () => host.querySelector("[role=dialog]");
    expect(dialog()?.textContent).toContain("Bỏ phiếu thay cho Trần Thị Bình");
    await click("Không tán thành");
    expect(dialog()?.textContent).toContain("Phiếu của Trần Thị Bình: Không tán thành");
    await click("Xác nhận: Không tán thành");
    expect(fake.sent).toContainEqual({ type: "polls.vote", pollId: "poll1", optionId: "no", onBehalfOf: "binh" });

    await act(async () => fake.setConference(stateWith({ polls: [{ ...open, voters: ["person:an", "person:binh"], votesCast: 2 }] })));
    expect(dialog()).toBeNull();
    expect(host.textContent).toContain("Bạn đã chọn: Tán thành");
    expect(host.textContent).toContain("Đã bỏ phiếu thay cho Trần Thị Bình: Không tán thành");
  });

  it("tells a member whose representative casts the organisation's vote, and a latecomer why there is no ballot", async () => {
    const byOrg = { ...open, weighting: "organisation" as const, eligibleKeys: ["person:chair", "org:na", "org:hcm"], eligible: 3 };
    const asMember: Me = { ...asAn, id: "member", name: "Lý Thị Mai", organisationId: "hcm", organisation: organisations[1]!.name };
    const fake = fakeConnection({ status: "online", me: asMember, clockOffsetMs: 0, conference: stateWith({ polls: [byOrg] }) }, SERVER_NOW);
    await render(fake, <DelegatePage />);
    expect(host.querySelector("[role=dialog]")).toBeNull();
    expect(host.textContent).toContain("Phiếu của Liên hiệp Hội TP. Hồ Chí Minh do trưởng đoàn Đặng Văn Khoa bỏ.");

    await act(async () => fake.setConference(stateWith({ polls: [{ ...open, eligibleKeys: ["person:chair"] }] })));
    expect(host.textContent).toContain("Bạn vào hội nghị sau khi biểu quyết mở");
  });

  it("says the result against its base, with the hall's hands", async () => {
    const closed = motion({
      status: "closed",
      closedAt: T0 + 1000,
      eligible: 5,
      votesCast: 3,
      hallCounts: { yes: 1, no: 0, abstain: 0 },
      tally: { yes: 4, no: 0, abstain: 0 },
      outcome: "adopted",
    });
    const fake = fakeConnection({ status: "online", me: asAn, clockOffsetMs: 0, conference: stateWith({ polls: [closed] }) }, SERVER_NOW);
    await render(fake, <DelegatePage />);
    expect(host.textContent).toMatch(/Thông qua: 4\/5 đại biểu có mặt tán thành \(80\s?%\), nhiều hơn số không tán thành/);
    expect(host.textContent).toContain("trong đó tại hội trường: 1 giơ tay");
  });
});

describe("the chair's console", () => {
  it("shows the base a draft would have before it opens", async () => {
    const draft = motion({ majority: "two_thirds" });
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ polls: [draft] }) }, SERVER_NOW);
    await render(fake, <PollsPanel canRun />);
    // Present: the chair, An, the representative and the member; Bình is absent but An holds her proxy.
    expect(host.querySelector(".poll .base-preview")?.textContent).toBe("5 đại biểu có mặt sẽ được biểu quyết (trên tổng số 5 đại biểu) – cần ít nhất 4 phiếu tán thành để thông qua.");
  });

  it("creates a poll on the base and cluster chosen", async () => {
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ polls: [] }) }, SERVER_NOW);
    await render(fake, <PollsPanel canRun />);
    await type(host.querySelector<HTMLTextAreaElement>(".poll-create textarea")!, "Bầu cụm trưởng?");
    const preview = () => host.querySelector(".poll-create .base-preview")?.textContent;
    expect(preview()).toContain("5 đại biểu có mặt sẽ được biểu quyết");
    const registered = [...host.querySelectorAll<HTMLInputElement>("input[name=poll-base]")][1]!;
    await act(async () => registered.click());
    const cluster = [...host.querySelectorAll<HTMLSelectElement>(".poll-create select")].find((s) => s.textContent?.includes("Toàn hội nghị"))!;
    expect([...cluster.options].map((o) => o.textContent)).toEqual(["Toàn hội nghị", "Cụm Bắc Trung Bộ", "Cụm Nam Bộ"]);
    await type(cluster, "Nam Bộ");
    expect(preview()).toContain("2 đại biểu sẽ được biểu quyết");
    await click("Tạo (chưa mở)");
    expect(fake.sent).toContainEqual(expect.objectContaining({ type: "polls.create", question: "Bầu cụm trưởng?", base: "registered", cluster: "Nam Bộ" }));
  });

  it("takes the hall's counts within the room left, and says the server's refusal", async () => {
    const voted = { ...open, voters: ["person:an", "person:binh"], votesCast: 2 };
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ polls: [voted] }) }, { ...SERVER_NOW, answer: (command) =>
      command.type === "polls.recordHall" && (command.counts.yes ?? 0) === 2 ? { ok: false, error: { code: "conflict", message: "over" } } : { ok: true, seq: 2 }, });
    await render(fake, <PollsPanel canRun />);
    const form = host.querySelector<HTMLFormElement>(".hall-votes form")!;
    const yes = form.querySelector<HTMLInputElement>('input[aria-label="Số giơ tay: Tán thành"]')!;
    expect(form.textContent).toContain("Trên thiết bị: 2 · Giơ tay: 0 · Còn lại: 3 / 5");
    await type(yes, "4");
    expect(form.textContent).toContain("Vượt quá 1");
    expect(button("Ghi số giơ tay")!.disabled).toBe(true);
    await type(yes, "2");
    expect(form.textContent).toContain("Còn lại: 1 / 5");
    await click("Ghi số giơ tay");
    expect(fake.sent).toContainEqual({ type: "polls.recordHall", pollId: "poll1", counts: { yes: 2, no: 0, abstain: 0 } });
    expect(form.querySelector("[role=alert]")?.textContent).toContain("Chưa ghi được");
    await type(yes, "1");
    await click("Ghi số giơ tay");
    expect(form.textContent).toContain("Đã ghi số giơ tay.");
  });

  it("records the vote of someone in the hall without a device, in a named poll", async () => {
    const voted = { ...open, voters: ["person:an", "person:binh", "person:chair"], votesCast: 3 };
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ polls: [voted] }) }, SERVER_NOW);
    await render(fake, <PollsPanel canRun />);
    const form = host.querySelector<HTMLFormElement>(".vote-for form")!;
    const [who, what] = [...form.querySelectorAll("select")];
    expect([...who!.options].map((o) => o.value)).toEqual(["", "rep", "member"]);
    await type(who!, "member");
    await type(what!, "abstain");
    await click("Ghi phiếu");
    expect(fake.sent).toContainEqual({ type: "polls.voteFor", pollId: "poll1", participantId: "member", optionId: "abstain" });
  });
});

describe("proxies on the roster", () => {
  it("shows who gave their vote to whom, and lets the chair change it", async () => {
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({}) }, SERVER_NOW);
    await render(fake, <ParticipantsPanel canManage />);
    const row = (name: string) => [...host.querySelectorAll("tr")].find((tr) => tr.querySelector(".person__name")?.textContent === name)!;
    expect(row("Trần Thị Bình").textContent).toContain("ủy quyền cho Nguyễn Văn An");
    expect(row("Nguyễn Văn An").textContent).toContain("giữ phiếu của Trần Thị Bình");
    // An holds a proxy: no chain, so no button to give his own away.
    expect(host.querySelector('button[aria-label="Ủy quyền bỏ phiếu: Nguyễn Văn An"]')).toBeNull();

    await act(async () => host.querySelector<HTMLButtonElement>('button[aria-label="Ủy quyền bỏ phiếu: Lý Thị Mai"]')!.click());
    const select = host.querySelector<HTMLSelectElement>(".proxy-form select")!;
    // Not herself, not An's giver Bình (she gave hers away).
    expect([...select.options].map((o) => o.value)).toEqual(["", "rep", "an", "chair"]);
    await type(select, "rep");
    await click("Lưu");
    expect(fake.sent).toContainEqual({ type: "participants.setProxy", participantId: "member", proxyId: "rep" });

    await act(async () => host.querySelector<HTMLButtonElement>('button[aria-label="Ủy quyền bỏ phiếu: Trần Thị Bình"]')!.click());
    await click("Bỏ ủy quyền");
    expect(fake.sent).toContainEqual({ type: "participants.setProxy", participantId: "binh", proxyId: null });
  });
});
