import { describe, expect, it } from "vitest";
import type { Command } from "../../shared/commands.ts";
import { evolve, mergeEvents } from "../../shared/domain/index.ts";
import { decide } from "../../shared/domain/decide.ts";
import type { DomainEvent } from "../../shared/events.ts";
import { actor, deepFreeze, participant, testContext, world } from "../support/domain.ts";

/**
 * A whole meeting in commands, each decided on a deep-frozen state and each event folded into a
 * deep-frozen state: a single mutation anywhere throws (ES modules are strict), and a structural
 * copy taken before shows that nothing changed.
 */
type Step = [who: string, command: Command | ((ids: Record<string, string>) => Command), name?: string];

const SCRIPT: Step[] = [
  ["chair", { type: "agenda.add", title: "Khai mạc", plannedMinutes: 10 }, "a"],
  ["sec", { type: "agenda.add", title: "Báo cáo", presenter: "PCT" }, "b"],
  ["chair", (ids) => ({ type: "agenda.add", title: "Đề án cụm", afterId: ids.a! }), "c"],
  ["sec", (ids) => ({ type: "agenda.update", itemId: ids.b!, plannedMinutes: 20 })],
  ["chair", (ids) => ({ type: "agenda.move", itemId: ids.c!, toIndex: 2 })],
  ["chair", { type: "conference.start" }],
  ["chair", { type: "agenda.next" }],
  ["d1", { type: "speakers.request", kind: "speech", note: "xin phát biểu" }, "r1"],
  ["sec", { type: "speakers.request", kind: "question", participantId: "d2" }, "r2"],
  ["d3", { type: "speakers.request", kind: "point_of_order" }, "r3"],
  ["d4", { type: "speakers.request", kind: "speech" }, "r4"],
  ["d4", (ids) => ({ type: "speakers.withdraw", requestId: ids.r4! })],
  ["chair", { type: "speakers.setLimit", seconds: 120 }],
  ["chair", { type: "speakers.grant" }],
  ["chair", (ids) => ({ type: "speakers.grant", requestId: ids.r1! })],
  ["d1", { type: "speakers.finish" }],
  ["chair", (ids) => ({ type: "speakers.remove", requestId: ids.r2! })],
  ["d2", { type: "speakers.request", kind: "speech" }],
  ["chair", { type: "speakers.clear" }],
  ["d1", { type: "presence.set", attendance: "online" }],
  ["chair", { type: "polls.create", base: "registered", question: "Thông qua?", secret: true, weighting: "organisation" }, "p1"],
  ["chair", { type: "polls.create", base: "registered", kind: "election", question: "Cụm trưởng", options: ["A", "B"] }, "p2"],
  ["chair", { type: "polls.create", base: "registered", question: "Nháp" }, "p3"],
  ["chair", (ids) => ({ type: "polls.delete", pollId: ids.p3! })],
  ["chair", (ids) => ({ type: "polls.open", pollId: ids.p1! })],
  ["chair", (ids) => ({ type: "polls.open", pollId: ids.p2! })],
  ["d1", (ids) => ({ type: "polls.vote", pollId: ids.p1!, optionId: "yes" })],
  ["d2", (ids) => ({ type: "polls.vote", pollId: ids.p1!, optionId: "no" })],
  ["d4", (ids) => ({ type: "polls.vote", pollId: ids.p1!, optionId: "abstain" })],
  ["d1", (ids) => ({ type: "polls.vote", pollId: ids.p2!, optionId: ids.p2opt! })],
  ["d2", (ids) => ({ type: "polls.vote", pollId: ids.p2!, optionId: ids.p2opt! })],
  ["chair", (ids) => ({ type: "polls.close", pollId: ids.p1! })],
  ["chair", (ids) => ({ type: "polls.close", pollId: ids.p2! })],
  ["chair", (ids) => ({ type: "agenda.start", itemId: ids.b! })],
  ["chair", (ids) => ({ type: "agenda.remove", itemId: ids.a! })],
  ["d3", { type: "speakers.request", kind: "speech" }],
  ["chair", { type: "speakers.grant" }],
  ["chair", { type: "conference.end" }],
];

describe("purity", () => {
  it("decide and evolve never mutate their inputs", () => {
    const ctx = testContext();
    let state = world();
    state = evolve(deepFreeze(state), deepFreeze({ type: "participant.added", data: { participant: participant("d5", "delegate") } }));
    const ids: Record<string, string> = {};
    for (const [who, make, name] of SCRIPT) {
      const command = deepFreeze(typeof make === "function" ? make(ids) : make);
      deepFreeze(state);
      const copy = structuredClone(state);
      const decision = decide(state, command, deepFreeze(actor(who)), ctx);
      expect(decision.ok, `${command.type}: ${JSON.stringify(decision)}`).toBe(true);
      expect(state).toEqual(copy);
      if (!decision.ok) return;
      if (name) ids[name] = String(decision.result?.id ?? decision.result?.requestId);
      for (const event of decision.events) {
        deepFreeze(event);
        const before = structuredClone(state);
        const eventCopy = structuredClone(event);
        const next = evolve(state, event);
        expect(state).toEqual(before);
        expect(event).toEqual(eventCopy);
        expect(next).not.toBe(state);
        state = next;
      }
      if (name === "p2") ids.p2opt = state.polls.find((p) => p.id === ids.p2)!.options[0]!.id;
    }
    expect(state.conference.status).toBe("ended");
    expect(state.polls.map((p) => p.outcome)).toEqual(["rejected", "elected"]);
  });

  it("a refusal leaves the state untouched too", () => {
    const state = deepFreeze(world());
    const copy = structuredClone(state);
    expect(decide(state, { type: "agenda.next" }, actor("chair"), testContext()).ok).toBe(false);
    expect(decide(state, { type: "polls.vote", pollId: "x", optionId: "yes" }, actor("d1"), testContext()).ok).toBe(false);
    expect(state).toEqual(copy);
  });

  it("mergeEvents does not touch the events it merges", () => {
    const a = deepFreeze<DomainEvent>({
      type: "poll.votes_cast",
      data: { pollId: "p", ballots: [{ voterKey: "person:a", participantId: "a", optionId: "yes" }] },
    });
    const b = deepFreeze<DomainEvent>({
      type: "poll.votes_cast",
      data: { pollId: "p", ballots: [{ voterKey: "person:b", participantId: "b", optionId: "no" }] },
    });
    const merged = mergeEvents(a, b);
    expect(merged).toEqual({ type: "poll.votes_cast", data: { pollId: "p", ballots: [...(a.data as any).ballots, ...(b.data as any).ballots] } });
    expect(mergeEvents(a, { ...b, data: { ...(b.data as any), pollId: "q" } } as DomainEvent)).toBeNull();
    expect(mergeEvents(a, { type: "speakers.finished", data: { at: 1 } })).toBeNull();
  });
});
