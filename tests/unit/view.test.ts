import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../../shared/events.ts";
import { ROLES } from "../../shared/roles.ts";
import { presentEvent, presentSnapshot, publicPoll } from "../../shared/view.ts";
import { Sim, T0 } from "../support/domain.ts";

/** A meeting with an open secret poll (2 votes), an open named poll, a closed named one, a draft. */
function meeting() {
  const sim = new Sim();
  const secret = sim.ok("chair", { type: "polls.create", base: "registered", question: "Kín", secret: true }).id as string;
  const named = sim.ok("chair", { type: "polls.create", base: "registered", question: "Công khai" }).id as string;
  const closed = sim.ok("chair", { type: "polls.create", base: "registered", question: "Đã đóng" }).id as string;
  const draft = sim.ok("chair", { type: "polls.create", base: "registered", question: "Nháp" }).id as string;
  for (const id of [secret, named, closed]) sim.ok("chair", { type: "polls.open", pollId: id });
  sim.ok("d1", { type: "polls.vote", pollId: secret, optionId: "yes" });
  sim.ok("d2", { type: "polls.vote", pollId: secret, optionId: "no" });
  sim.ok("d1", { type: "polls.vote", pollId: named, optionId: "abstain" });
  sim.ok("d1", { type: "polls.vote", pollId: closed, optionId: "yes" });
  sim.ok("d2", { type: "polls.vote", pollId: closed, optionId: "no" });
  sim.ok("chair", { type: "polls.close", pollId: closed });
  return { sim, secret, named, closed, draft };
}

const viewer = (sim: Sim, id: string) => sim.state.participants.find((p) => p.id === id)!;

describe("presentSnapshot", () => {
  it("shows the join code to chairs, secretaries and projectors only", () => {
    const { sim } = meeting();
    const ids = { chair: "chair", secretary: "sec", delegate: "d1", observer: "obs", projector: "proj" };
    for (const role of ROLES) {
      const snap = presentSnapshot(sim.state, viewer(sim, ids[role]), new Set(), T0);
      const sees = role === "chair" || role === "secretary" || role === "projector";
      expect("joinCode" in snap.conference, role).toBe(sees);
      if (sees) expect(snap.conference.joinCode).toBe("ABCDEFGH");
      expect(JSON.stringify(snap).includes("ABCDEFGH"), role).toBe(sees);
    }
  });

  it("fills me, presence and serverTime", () => {
    const { sim } = meeting();
    const snap = presentSnapshot(sim.state, viewer(sim, "d1"), new Set(["d1", "chair"]), T0 + 5);
    expect(snap.me).toEqual({ id: "d1", name: "Name of d1", organisation: "Hội A", organisationId: "o-hội a", representative: false, role: "delegate", voting: true });
    expect(snap.serverTime).toBe(T0 + 5);
    expect(snap.participants.filter((p) => p.online).map((p) => p.id).sort()).toEqual(["chair", "d1"]);
    for (const [id, voting] of [["sec", false], ["obs", false], ["proj", false], ["chair", true]] as const) {
      expect(presentSnapshot(sim.state, viewer(sim, id), new Set(), T0).me.voting, id).toBe(voting);
    }
  });

  it("shows no counts, tally, outcome or choices of an open poll to anyone, and ballots only when named and closed, to chair and secretary", () => {
    const { sim, secret, named, closed, draft } = meeting();
    for (const id of ["chair", "sec", "d1", "d2", "obs", "proj"]) {
      const snap = presentSnapshot(sim.state, viewer(sim, id), new Set(), T0);
      for (const poll of snap.polls) {
        expect("counts" in poll, `${id} ${poll.question}`).toBe(false);
        if (poll.id !== closed) {
          expect(poll.tally).toBeNull();
          expect(poll.outcome).toBeNull();
          expect(poll.ballots).toBeNull();
        }
      }
      const byId = Object.fromEntries(snap.polls.map((p) => [p.id, p]));
      expect(byId[secret]!.votesCast).toBe(2);
      expect(byId[named]!.votesCast).toBe(1);
      expect(byId[closed]).toMatchObject({ tally: { yes: 1, no: 1, abstain: 0 }, outcome: "rejected" });
      if (id === "chair" || id === "sec") expect(byId[closed]!.ballots, id).toHaveLength(2);
      else expect(byId[closed]!.ballots, id).toBeNull();
      expect(byId[draft]).toMatchObject({ status: "draft", eligible: null, votesCast: 0 });
      // the open polls' snapshots carry no option id next to a participant
      const open = JSON.stringify([byId[secret], byId[named]]);
      expect(open).not.toMatch(/"optionId"/);
    }
  });

  it("sets `voted` for the caller, or for the caller's organisation", () => {
    const sim = new Sim();
    const person = sim.ok("chair", { type: "polls.create", base: "registered", question: "P" }).id as string;
    const org = sim.ok("chair", { type: "polls.create", base: "registered", question: "O", weighting: "organisation" }).id as string;
    sim.ok("chair", { type: "polls.open", pollId: person });
    sim.ok("chair", { type: "polls.open", pollId: org });
    sim.ok("d1", { type: "polls.vote", pollId: person, optionId: "yes" });
    sim.ok("d1", { type: "polls.vote", pollId: org, optionId: "yes" });
    const voted = (who: string) =>
      Object.fromEntries(presentSnapshot(sim.state, viewer(sim, who), new Set(), T0).polls.map((p) => [p.question, p.voted]));
    expect(voted("d1")).toEqual({ P: true, O: true });
    expect(voted("d3")).toEqual({ P: false, O: true }); // same organisation as d1, spelled differently
    expect(voted("d2")).toEqual({ P: false, O: false });
    expect(voted("chair")).toEqual({ P: false, O: false });
    expect(voted("sec")).toEqual({ P: false, O: false });
  });
});

describe("publicPoll", () => {
  it("drops the running counts and hides named ballots until closed", () => {
    const { sim, named, closed } = meeting();
    const open = publicPoll(sim.poll(named));
    expect(open).not.toHaveProperty("counts");
    expect(open.ballots).toBeNull();
    expect(sim.poll(named).ballots).toHaveLength(1); // the server's own copy keeps them
    expect(publicPoll(sim.poll(closed)).ballots).toHaveLength(2);
  });
});

describe("presentEvent", () => {
  it("strips the choice from every ballot of poll.votes_cast, secret or named", () => {
    const { sim } = meeting();
    const votes = sim.log.filter((e) => e.type === "poll.votes_cast");
    expect(votes.length).toBeGreaterThan(0);
    for (const event of votes) {
      const shown = presentEvent(event);
      expect(JSON.stringify(shown)).not.toMatch(/optionId|"yes"|"no"|"abstain"/);
      expect(shown).toEqual({
        type: "poll.votes_cast",
        data: {
          pollId: (event.data as { pollId: string }).pollId,
          ballots: (event.data as { ballots: { voterKey: string }[] }).ballots.map((b) => ({ voterKey: b.voterKey })),
        },
      });
    }
  });

  it("strips the running counts from poll.created", () => {
    const { sim } = meeting();
    for (const event of sim.log.filter((e) => e.type === "poll.created")) {
      const shown = presentEvent(event) as Extract<DomainEvent, { type: "poll.created" }>;
      expect(shown.data.poll).not.toHaveProperty("counts");
      expect(shown.data.poll.ballots).toBeNull();
    }
  });

  it("no presented event before a poll closes carries a count, tally or choice", () => {
    const { sim, closed } = meeting();
    for (const event of sim.log) {
      if (event.type === "poll.closed" && event.data.pollId === closed) continue;
      const text = JSON.stringify(presentEvent(event));
      expect(text, event.type).not.toMatch(/"counts"|"optionId"/);
      expect(text, event.type).not.toMatch(/"tally":\{/);
    }
  });

  it("leaves other events as they are", () => {
    const event: DomainEvent = { type: "speakers.finished", data: { at: 1 } };
    expect(presentEvent(event)).toEqual(event);
  });
});
