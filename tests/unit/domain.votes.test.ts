import { describe, expect, it } from "vitest";
import { commandSchema } from "../../shared/commands.ts";
import type { DomainEvent } from "../../shared/events.ts";
import { fold, orgId, participant, Sim, T0, withParticipants, emptyConference } from "../support/domain.ts";

/**
 * v1.1 votes: the base (present or registered), clusters, representatives, proxies, hall counts.
 * The world: chair (no organisation), d1 d2 of "Hội A", d3 of "Hội B", d4 d5 of "Hội C" (in the
 * cluster "Miền Bắc" with "Hội A"), obs an observer. Present: chair, d1, d3, d4 (checked in).
 */
function hall(): Sim {
  let state = withParticipants(emptyConference(), [
    participant("chair", "chair"),
    participant("d1", "delegate", "Hội A"),
    participant("d2", "delegate", "Hội A"),
    participant("d3", "delegate", "Hội B"),
    participant("d4", "delegate", "Hội C"),
    participant("d5", "delegate", "Hội C"),
    participant("obs", "observer"),
  ]);
  const events: DomainEvent[] = [
    { type: "organisation.updated", data: { organisationId: orgId("Hội A"), fields: { cluster: "Miền Bắc" } } },
    { type: "organisation.updated", data: { organisationId: orgId("Hội C"), fields: { cluster: "Miền Bắc" } } },
    { type: "organisation.updated", data: { organisationId: orgId("Hội B"), fields: { cluster: "Miền Nam" } } },
    ...["chair", "d1", "d3", "d4"].map((participantId): DomainEvent => ({ type: "participant.checked_in", data: { participantId, at: T0 } })),
  ];
  state = fold(state, events);
  return new Sim(state);
}

function poll(sim: Sim, fields: Record<string, unknown> = {}): string {
  const id = sim.ok("chair", { type: "polls.create", question: "Thông qua đề án?", ...fields } as never).id as string;
  sim.ok("chair", { type: "polls.open", pollId: id });
  return id;
}

describe("the base of a vote", () => {
  it("is fixed at opening from the voters present (default) or every registered one", () => {
    const sim = hall();
    const present = poll(sim);
    const registered = poll(sim, { base: "registered" });
    expect(sim.poll(present)).toMatchObject({ base: "present", eligible: 3 + 1 }); // chair, d1, d3, d4
    expect(sim.poll(registered)).toMatchObject({ base: "registered", eligible: 6 });
  });

  it("decides the issue's case: 3 for, 0 against, 1 abstaining, absolute majority, 2 who never came", () => {
    for (const [base, outcome] of [["present", "adopted"], ["registered", "rejected"]] as const) {
      const sim = hall();
      const id = poll(sim, { majority: "absolute", base });
      for (const [who, optionId] of [["chair", "yes"], ["d1", "yes"], ["d3", "yes"], ["d4", "abstain"]] as const) {
        sim.ok(who, { type: "polls.vote", pollId: id, optionId });
      }
      sim.ok("chair", { type: "polls.close", pollId: id });
      expect(sim.poll(id).outcome, base).toBe(outcome);
    }
  });

  it("does not change after opening: someone arriving later is not in it and may not vote", () => {
    const sim = hall();
    const id = poll(sim);
    sim.state = fold(sim.state, [{ type: "participant.checked_in", data: { participantId: "d2", at: T0 + 1 } }]);
    expect(sim.poll(id).eligible).toBe(4);
    sim.refused("d2", { type: "polls.vote", pollId: id, optionId: "yes" }, "forbidden");
    // The next poll has them.
    expect(sim.poll(poll(sim)).eligible).toBe(5);
  });

  it("nobody voting and everyone abstaining adopt nothing under any rule and base", () => {
    for (const majority of ["simple", "absolute", "two_thirds"] as const) {
      for (const base of ["present", "registered"] as const) {
        const sim = hall();
        const empty = poll(sim, { majority, base });
        const abstaining = poll(sim, { majority, base });
        for (const who of ["chair", "d1", "d3", "d4"]) sim.ok(who, { type: "polls.vote", pollId: abstaining, optionId: "abstain" });
        sim.ok("chair", { type: "polls.close", pollId: empty });
        sim.ok("chair", { type: "polls.close", pollId: abstaining });
        expect([sim.poll(empty).outcome, sim.poll(abstaining).outcome], `${majority} ${base}`).toEqual(["rejected", "rejected"]);
      }
    }
  });

  it("ties elect nobody; two thirds counts on the base", () => {
    const sim = hall();
    const tie = poll(sim, { kind: "election", options: ["Ứng viên A", "Ứng viên B"] });
    const [a, b] = sim.poll(tie).options.map((o) => o.id) as [string, string];
    sim.ok("chair", { type: "polls.vote", pollId: tie, optionId: a });
    sim.ok("d1", { type: "polls.vote", pollId: tie, optionId: b });
    sim.ok("chair", { type: "polls.close", pollId: tie });
    expect(sim.poll(tie)).toMatchObject({ outcome: "none", winnerOptionId: null });
    const twoThirds = poll(sim, { majority: "two_thirds" });
    for (const who of ["chair", "d1"]) sim.ok(who, { type: "polls.vote", pollId: twoThirds, optionId: "yes" });
    sim.ok("chair", { type: "polls.close", pollId: twoThirds });
    // 2 of the 2 who voted, but 2 of a base of 4 is not two thirds.
    expect(sim.poll(twoThirds).outcome).toBe("rejected");
  });
});

describe("a cluster electing its head", () => {
  it("counts only that cluster's organisations and members; an unknown cluster is invalid", () => {
    const sim = hall();
    const id = poll(sim, { kind: "election", options: ["Ứng viên A", "Ứng viên B"], cluster: "miền bắc", weighting: "organisation", base: "registered" });
    expect(sim.poll(id)).toMatchObject({ cluster: "Miền Bắc", eligible: 2 });
    expect([...sim.poll(id).eligibleKeys].sort()).toEqual([`org:${orgId("Hội A")}`, `org:${orgId("Hội C")}`]);
    const [a] = sim.poll(id).options.map((o) => o.id) as [string];
    sim.refused("d3", { type: "polls.vote", pollId: id, optionId: a }, "forbidden"); // Hội B is in Miền Nam
    sim.refused("chair", { type: "polls.vote", pollId: id, optionId: a }, "forbidden"); // on no organisation
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: a });
    sim.refused("chair", { type: "polls.create", question: "Cụm trưởng?", cluster: "Tây Nguyên" }, "invalid");
  });
});

describe("an organisation's vote", () => {
  it("is cast by its representative only, when it has one; by its first member otherwise", () => {
    const sim = hall();
    sim.state = fold(sim.state, [{ type: "participant.updated", data: { participantId: "d5", fields: { representative: true } } }]);
    const id = poll(sim, { weighting: "organisation", base: "registered" });
    sim.refused("d4", { type: "polls.vote", pollId: id, optionId: "yes" }, "forbidden");
    sim.ok("d5", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("d2", { type: "polls.vote", pollId: id, optionId: "no" });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "conflict");
  });
});

describe("proxies", () => {
  it("are refused to oneself, to a non-voter, in a chain either way; none is nothing", () => {
    const sim = hall();
    sim.refused("chair", { type: "participants.setProxy", participantId: "d1", proxyId: "d1" }, "invalid");
    sim.refused("chair", { type: "participants.setProxy", participantId: "d1", proxyId: "obs" }, "invalid");
    sim.refused("chair", { type: "participants.setProxy", participantId: "obs", proxyId: "d1" }, "invalid");
    sim.refused("chair", { type: "participants.setProxy", participantId: "d1", proxyId: "nobody" }, "not_found");
    sim.ok("chair", { type: "participants.setProxy", participantId: "d2", proxyId: "d1" });
    expect(sim.state.participants.find((p) => p.id === "d2")!.proxyId).toBe("d1");
    // d1 holds d2's: d1 cannot give their own away; nobody can give theirs to d2, who gave theirs.
    sim.refused("chair", { type: "participants.setProxy", participantId: "d1", proxyId: "d3" }, "conflict");
    sim.refused("chair", { type: "participants.setProxy", participantId: "d3", proxyId: "d2" }, "conflict");
    expect(sim.ok("chair", { type: "participants.setProxy", participantId: "d4", proxyId: null }).events).toEqual([]);
    sim.refused("d1", { type: "participants.setProxy", participantId: "d2", proxyId: null }, "forbidden");
  });

  it("count the absent giver in a present base and let the holder cast both votes, recorded in named ballots", () => {
    const sim = hall();
    const before = poll(sim);
    sim.ok("chair", { type: "participants.setProxy", participantId: "d2", proxyId: "d1" });
    // From the next poll that opens, not the one already open.
    sim.refused("d1", { type: "polls.vote", pollId: before, optionId: "yes", onBehalfOf: "d2" }, "forbidden");
    const id = poll(sim);
    expect(sim.poll(id)).toMatchObject({ eligible: 5, proxies: { d2: "d1" } });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "no", onBehalfOf: "d2" });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "no", onBehalfOf: "d2" }, "conflict");
    sim.refused("d3", { type: "polls.vote", pollId: id, optionId: "no", onBehalfOf: "d2" }, "forbidden");
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id).ballots).toEqual([
      { voterKey: "person:d1", participantId: "d1", optionId: "yes" },
      { voterKey: "person:d2", participantId: "d2", optionId: "no", castBy: "d1" },
    ]);
    expect(sim.poll(id).tally).toEqual({ yes: 1, no: 1, abstain: 0 });
  });

  it("let a representative's proxy cast the organisation's vote", () => {
    const sim = hall();
    sim.state = fold(sim.state, [{ type: "participant.updated", data: { participantId: "d2", fields: { representative: true } } }]);
    sim.ok("chair", { type: "participants.setProxy", participantId: "d2", proxyId: "d3" });
    const id = poll(sim, { weighting: "organisation" });
    sim.refused("d1", { type: "polls.vote", pollId: id, optionId: "yes" }, "forbidden");
    sim.ok("d3", { type: "polls.vote", pollId: id, optionId: "yes", onBehalfOf: "d2" });
    expect(sim.poll(id).voters).toContain(`org:${orgId("Hội A")}`);
  });
});

describe("hall votes", () => {
  it("add show-of-hands counts to the tally, shown apart; a second entry replaces the first", () => {
    const sim = hall();
    const id = poll(sim, { base: "registered" }); // 6
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.ok("chair", { type: "polls.recordHall", pollId: id, counts: { yes: 4 } });
    sim.ok("chair", { type: "polls.recordHall", pollId: id, counts: { yes: 3, no: 1 } });
    expect(sim.poll(id).hallCounts).toEqual({ yes: 3, no: 1, abstain: 0 });
    sim.ok("chair", { type: "polls.close", pollId: id });
    expect(sim.poll(id)).toMatchObject({ tally: { yes: 4, no: 1, abstain: 0 }, hallCounts: { yes: 3, no: 1, abstain: 0 }, votesCast: 1, outcome: "adopted" });
  });

  it("never take the total past the base, nor arrive for a closed poll or an unknown option; negative counts are invalid", () => {
    const sim = hall();
    const id = poll(sim); // 4 present
    sim.ok("d1", { type: "polls.vote", pollId: id, optionId: "yes" });
    sim.refused("chair", { type: "polls.recordHall", pollId: id, counts: { yes: 2, no: 2 } }, "conflict");
    sim.ok("chair", { type: "polls.recordHall", pollId: id, counts: { yes: 2, no: 1 } });
    // Full: 1 electronic + 3 in the hall = 4.
    sim.refused("d3", { type: "polls.vote", pollId: id, optionId: "no" }, "conflict");
    sim.refused("chair", { type: "polls.recordHall", pollId: id, counts: { maybe: 1 } }, "not_found");
    sim.ok("chair", { type: "polls.close", pollId: id });
    sim.refused("chair", { type: "polls.recordHall", pollId: id, counts: { yes: 1 } }, "conflict");
    expect(commandSchema.safeParse({ type: "polls.recordHall", pollId: id, counts: { yes: -1 } }).success).toBe(false);
    expect(commandSchema.safeParse({ type: "polls.recordHall", pollId: id, counts: { yes: 1.5 } }).success).toBe(false);
  });

  it("in a named poll, the chair records a hall voter's named choice; never in a secret one", () => {
    const sim = hall();
    const named = poll(sim, { base: "registered" });
    sim.ok("chair", { type: "polls.voteFor", pollId: named, participantId: "d5", optionId: "no" });
    sim.refused("chair", { type: "polls.voteFor", pollId: named, participantId: "d5", optionId: "yes" }, "conflict");
    sim.refused("chair", { type: "polls.voteFor", pollId: named, participantId: "obs", optionId: "yes" }, "forbidden");
    sim.ok("chair", { type: "polls.close", pollId: named });
    expect(sim.poll(named).ballots).toEqual([{ voterKey: "person:d5", participantId: "d5", optionId: "no", castBy: "chair" }]);
    const secret = poll(sim, { secret: true, base: "registered" });
    sim.refused("chair", { type: "polls.voteFor", pollId: secret, participantId: "d5", optionId: "no" }, "conflict");
    sim.refused("d1", { type: "polls.voteFor", pollId: secret, participantId: "d5", optionId: "no" }, "forbidden");
  });
});

describe("elections of several seats and votes of confidence (issue 16)", () => {
  it("a single candidate gets an against option; seats are bounded by the candidates", () => {
    const sim = hall();
    const confidence = poll(sim, { kind: "election", options: ["Nguyễn Văn X"], majority: "absolute" });
    expect(sim.poll(confidence).options.map((o) => o.label)).toEqual(["Nguyễn Văn X", "Không đồng ý"]);
    sim.refused("chair", { type: "polls.create", question: "Bầu", kind: "election", options: ["A", "B"], seats: 3 }, "invalid");
    sim.refused("chair", { type: "polls.create", question: "Thông qua", seats: 2 }, "invalid");
    const two = poll(sim, { kind: "election", options: ["A", "B", "C"], seats: 2, base: "registered" });
    const [a, b, c] = sim.poll(two).options.map((o) => o.id) as [string, string, string];
    for (const [who, option] of [["chair", a], ["d1", a], ["d2", b], ["d3", b], ["d4", c]] as const) sim.ok(who, { type: "polls.vote", pollId: two, optionId: option });
    sim.ok("chair", { type: "polls.close", pollId: two });
    expect(sim.poll(two)).toMatchObject({ seats: 2, outcome: "elected", winnerOptionId: a, winnerOptionIds: [a, b] });
  });
});
