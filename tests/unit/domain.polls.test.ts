import { describe, expect, it } from "vitest";
import { hasVoted, voterKeyOf } from "../../shared/domain/index.ts";
import { participant, Sim, T0, world } from "../support/domain.ts";

function createMotion(sim: Sim, fields: Record<string, unknown> = {}): string {
  // Nobody in the rules' small world has checked in: the base is every registered voter.
  return sim.ok("chair", { type: "polls.create", question: "Thông qua đề án cụm hoạt động?", base: "registered", ...fields } as never).id as string;
}

describe("polls.create", () => {
  it("a motion gets the fixed yes/no/abstain options, labelled in the conference's language", () => {
    const vi = new Sim();
    const id = createMotion(vi);
    expect(vi.poll(id)).toMatchObject({
      kind: "motion",
      status: "draft",
      secret: false,
      weighting: "person",
      majority: "simple",
      itemId: null,
      eligible: null,
      votesCast: 0,
      tally: null,
      outcome: null,
      winnerOptionId: null,
      createdAt: T0,
    });
    expect(vi.poll(id).options).toEqual([
      { id: "yes", label: "Tán thành" },
      { id: "no", label: "Không tán thành" },
      { id: "abstain", label: "Không biểu quyết" },
    ]);
    const en = new Sim(world("en"));
    expect(en.poll(createMotion(en)).options).toEqual([
      { id: "yes", label: "Yes" },
      { id: "no", label: "No" },
      { id: "abstain", label: "Abstain" },
    ]);
  });

  it("refuses options for a motion", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "polls.create", question: "Q", options: ["a", "b"] }, "invalid");
  });

  it("an election's options are its candidates, which must be distinct and at least one", () => {
    const sim = new Sim();
    const id = sim.ok("chair", {
      type: "polls.create",
      kind: "election",
      question: "Bầu Cụm trưởng",
      options: ["Nguyễn Văn A", "Trần Thị B"],
    }).id as string;
    const poll = sim.poll(id);
    expect(poll.kind).toBe("election");
    expect(poll.options.map((o) => o.label)).toEqual(["Nguyễn Văn A", "Trần Thị B"]);
    expect(new Set(poll.options.map((o) => o.id)).size).toBe(2);
    sim.refused("chair", { type: "polls.create", kind: "election", question: "Q", options: ["An", "an"] }, "invalid");
    sim.refused("chair", { type: "polls.create", kind: "election", question: "Q", options: [] }, "invalid");
    sim.refused("chair", { type: "polls.create", kind: "election", question: "Q" }, "invalid");
  });

  it("itemId defaults to the current item; null or an explicit item is kept; an unknown item is not_found", () => {
    const sim = new Sim();
    const a = sim.ok("chair", { type: "agenda.add", title: "A" }).id as string;
    const b = sim.ok("chair", { type: "agenda.add", title: "B" }).id as string;
    expect(sim.poll(createMotion(sim)).itemId).toBeNull();
    sim.ok("chair", { type: "agenda.start", itemId: a });
    expect(sim.poll(createMotion(sim)).itemId).toBe(a);
    expect(sim.poll(createMotion(sim, { itemId: b })).itemId).toBe(b);
    expect(sim.poll(createMotion(sim, { itemId: null })).itemId).toBeNull();
    sim.refused("chair", { type: "polls.create", question: "Q", itemId: "nope" }, "not_found");
  });

  it("keeps the given options of secrecy, weighting and majority", () => {
    const sim = new Sim();
    const id = createMotion(sim, { secret: true, weighting: "organisation", majority: "two_thirds" });
    expect(sim.poll(id)).toMatchObject({ secret: true, weighting: "organisation", majority: "two_thirds" });
  });
});

describe("polls.open", () => {
  it("fixes the eligible voters: chairs and delegates", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    const { events } = sim.ok("chair", { type: "polls.open", pollId: id });
    expect(events).toEqual([
      {
        type: "poll.opened",
        data: { pollId: id, at: T0, eligibleKeys: ["person:chair", "person:d1", "person:d2", "person:d3", "person:d4"], proxies: {} },
      },
    ]);
    expect(sim.poll(id)).toMatchObject({ status: "open", openedAt: T0, eligible: 5 });
    sim.add(participant("late", "delegate"));
    expect(sim.poll(id).eligible).toBe(5);
  });

  it("weighted by organisation, counts distinct organisations; a voter without one counts alone", () => {
    const sim = new Sim();
    const id = createMotion(sim, { weighting: "organisation" });
    sim.ok("chair", { type: "polls.open", pollId: id });
    // chair (none), d1 "Hội A" and d3 "hội  a " (the same organisation), d2 "Hội B", d4 (none)
    expect(sim.poll(id).eligible).toBe(4);
    expect([...sim.poll(id).eligibleKeys].sort()).toEqual(["org:o-hội a", "org:o-hội b", "person:chair", "person:d4"]);
  });

  it("only a draft opens; an ended conference opens nothing", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.refused("chair", { type: "polls.open", pollId: id }, "conflict");
    sim.ok("chair", { type: "polls.close", pollId: id });
    sim.refused("chair", { type: "polls.open", pollId: id }, "conflict");
    sim.refused("chair", { type: "polls.open", pollId: "nope" }, "not_found");
    const other = createMotion(sim);
    sim.ok("chair", { type: "conference.end" });
    sim.refused("chair", { type: "polls.open", pollId: other }, "conflict");
  });
});

describe("polls.vote", () => {
  it("an open poll takes no vote once the conference has ended; the chair can still close it", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("chair", { type: "conference.end" });
    sim.refused("d2", { type: "polls.vote", pollId: id, optionId: "no" }, "conflict");
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id).tally).toEqual({ yes: 1, no: 0, abstain: 0 });
  });

  it("one vote per person; counted once", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.ok("chair", { type: "polls.open", pollId: id });
    const { events } = sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    expect(events).toEqual([
      { type: "poll.votes_cast", data: { pollId: id, ballots: [{ voterKey: "person:d1", participantId: "d1", optionId: "yes" }] } },
    ]);
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "no" }, "conflict");
    sim.ok("chair", { type: "polls.vote", pollId: id, optionId: "no" });
    expect(sim.poll(id)).toMatchObject({ votesCast: 2, tally: null, outcome: null });
    expect(sim.poll(id).counts).toEqual({ yes: 1, no: 1, abstain: 0 });
  });

  it("per organisation: the first member's vote counts, later members get conflict", () => {
    const sim = new Sim();
    const id = createMotion(sim, { weighting: "organisation" });
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("d3", { type: "polls.vote", pollId: id, optionId: "no" });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
    sim.ok("d2", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("d4", { type: "polls.vote", pollId: id, optionId: "yes" });
    expect(hasVoted(sim.poll(id), sim.state.participants.find((p) => p.id === "d1")!)).toBe(true);
    expect(sim.poll(id).votesCast).toBe(3);
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id).tally).toEqual({ yes: 2, no: 1, abstain: 0 });
  });

  it("conflict when the poll is not open (draft or closed)", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("chair", { type: "polls.close", pollId: id });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
  });

  it("forbidden for someone who joined after the poll opened", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    const orgPoll = createMotion(sim, { weighting: "organisation" });
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("chair", { type: "polls.open", pollId: orgPoll });
    sim.add(participant("late", "delegate", "Hội C (mới)"));
    sim.refused("late", { type: "polls.vote", pollId: id, optionId: "yes" }, "forbidden");
    sim.refused("late", { type: "polls.vote", pollId: orgPoll, optionId: "yes" }, "forbidden");
  });

  it("weighted by organisation, the entitled organisations are fixed, not their members", () => {
    // A member who arrives after the opening may cast the vote of an organisation that was
    // entitled at the opening and has not voted yet; the eligible count does not change.
    const sim = new Sim();
    const id = createMotion(sim, { weighting: "organisation" });
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.add(participant("lateB", "delegate", "HỘI B"));
    sim.ok("lateB", { type: "polls.vote", pollId: id, optionId: "no" });
    sim.refused("d2", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
    expect(sim.poll(id)).toMatchObject({ eligible: 4, votesCast: 1 });
  });

  it("not_found for an unknown option or poll", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "maybe" }, "not_found");
    sim.refused("d1", { type: "polls.vote", pollId: "nope", optionId: "yes" }, "not_found");
  });

  it("voterKeyOf: person, or the organisation on the roster", () => {
    expect(voterKeyOf("person", { id: "x", organisationId: "o1" })).toBe("person:x");
    expect(voterKeyOf("organisation", { id: "x", organisationId: "o1" })).toBe("org:o1");
    expect(voterKeyOf("organisation", { id: "x", organisationId: null })).toBe("person:x");
  });
});

describe("polls.close", () => {
  it("sets tally, outcome and drops the running counts", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("d2", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("d3", { type: "polls.vote", pollId: id, optionId: "no" });
    sim.ctx.advance(100);
    const { events } = sim.ok("chair", { type: "polls.close", pollId: id });
    expect(events[0]).toMatchObject({
      type: "poll.closed",
      data: { pollId: id, at: T0 + 100, tally: { yes: 2, no: 1, abstain: 0 }, outcome: "adopted", winnerOptionId: null },
    });
    const poll = sim.poll(id);
    expect(poll).toMatchObject({ status: "closed", closedAt: T0 + 100, tally: { yes: 2, no: 1, abstain: 0 }, outcome: "adopted" });
    expect(poll.counts).toBeUndefined();
    // named: the ballots are published at close
    expect(poll.ballots).toEqual([
      { voterKey: "person:d1", participantId: "d1", optionId: "yes" },
      { voterKey: "person:d2", participantId: "d2", optionId: "yes" },
      { voterKey: "person:d3", participantId: "d3", optionId: "no" },
    ]);
    sim.refused("chair", { type: "polls.close", pollId: id }, "conflict");
  });

  it("a secret poll never holds ballots, neither open nor closed", () => {
    const sim = new Sim();
    const id = createMotion(sim, { secret: true });
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    expect(sim.poll(id).ballots).toBeNull();
    const { events } = sim.ok("chair", { type: "polls.close", pollId: id });
    expect((events[0]!.data as { ballots: unknown }).ballots).toBeNull();
    expect(sim.poll(id).ballots).toBeNull();
    expect(sim.poll(id).voters).toEqual(["person:d1"]);
  });

  it("an election elects the candidate with the most votes", () => {
    const sim = new Sim();
    const id = sim.ok("chair", { type: "polls.create", kind: "election", question: "Cụm trưởng", options: ["A", "B", "C"], base: "registered" }).id as string;
    const [a, b] = sim.poll(id).options.map((o) => o.id);
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: b! });
    sim.ok("d2", { type: "polls.vote", pollId: id, optionId: b! });
    sim.ok("d3", { type: "polls.vote", pollId: id, optionId: a! });
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id)).toMatchObject({ outcome: "elected", winnerOptionId: b, votesCast: 3 });
  });

  it("closing a poll with no votes rejects the motion", () => {
    const sim = new Sim();
    const id = createMotion(sim, { majority: "two_thirds" });
    sim.ok("chair", { type: "polls.open", pollId: id });
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id)).toMatchObject({ tally: { yes: 0, no: 0, abstain: 0 }, outcome: "rejected", votesCast: 0 });
  });

  it("a draft cannot be closed", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    sim.refused("chair", { type: "polls.close", pollId: id }, "conflict");
  });
});

describe("polls.delete", () => {
  it("deletes a draft only", () => {
    const sim = new Sim();
    const id = createMotion(sim);
    const open = createMotion(sim);
    sim.ok("chair", { type: "polls.delete", pollId: id });
    expect(sim.state.polls.map((p) => p.id)).toEqual([open]);
    sim.refused("chair", { type: "polls.delete", pollId: id }, "not_found");
    sim.ok("chair", { type: "polls.open", pollId: open });
    sim.refused("chair", { type: "polls.delete", pollId: open }, "conflict");
    sim.ok("chair", { type: "polls.close", pollId: open });
    sim.refused("chair", { type: "polls.delete", pollId: open }, "conflict");
  });
});
