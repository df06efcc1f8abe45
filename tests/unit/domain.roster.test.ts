import { describe, expect, it } from "vitest";
import type { InternalCommand } from "../../shared/commands.ts";
import { findMember } from "../../shared/domain/index.ts";
import { decideInternal } from "../../shared/domain/decide.ts";
import { fold, participant, Sim, T0 } from "../support/domain.ts";

/** Runs a server-internal roster command on the sim (as the REST routes do once they have authorised the chair). */
function admin(sim: Sim, command: InternalCommand) {
  const decision = decideInternal(sim.state, command, sim.ctx);
  if (decision.ok) sim.state = fold(sim.state, decision.events);
  return decision;
}

describe("participants.update", () => {
  it("emits only the fields that change, and nothing when none does", () => {
    const sim = new Sim();
    const decision = admin(sim, { type: "participants.update", participantId: "d1", fields: { name: "Mới", role: "delegate", attendance: "online" } });
    expect(decision).toEqual({
      ok: true,
      events: [{ type: "participant.updated", data: { participantId: "d1", fields: { name: "Mới", attendance: "online" } } }],
    });
    expect(findMember(sim.state, "d1")).toMatchObject({ name: "Mới", attendance: "online", role: "delegate", organisation: "Hội A" });
    expect(admin(sim, { type: "participants.update", participantId: "d1", fields: { name: "Mới" } })).toEqual({ ok: true, events: [] });
  });

  it("the last chair keeps the role; with a second chair either may change", () => {
    const sim = new Sim();
    const refused = admin(sim, { type: "participants.update", participantId: "chair", fields: { role: "delegate" } });
    expect(refused.ok ? null : refused.error.code).toBe("conflict");
    sim.add(participant("chair2", "chair"));
    expect(admin(sim, { type: "participants.update", participantId: "chair", fields: { role: "delegate" } }).ok).toBe(true);
    const last = admin(sim, { type: "participants.update", participantId: "chair2", fields: { role: "observer" } });
    expect(last.ok ? null : last.error.code).toBe("conflict");
  });

  it("who becomes a projector leaves the floor", () => {
    const sim = new Sim();
    const { requestId } = sim.ok("d1", { type: "speakers.request", kind: "speech" });
    const decision = admin(sim, { type: "participants.update", participantId: "d1", fields: { role: "projector" } });
    expect(decision.ok && decision.events.map((e) => e.type)).toEqual(["speakers.request_dropped", "participant.updated"]);
    expect(sim.state.speakers.queue.some((r) => r.requestId === requestId)).toBe(false);
  });

  it("an event cannot overwrite what a chair may not change", () => {
    const sim = new Sim();
    const forged = { participantId: "d1", fields: { name: "N", id: "x", joinedAt: 1 } as never };
    sim.state = fold(sim.state, [{ type: "participant.updated", data: forged }]);
    expect(findMember(sim.state, "d1")).toMatchObject({ id: "d1", name: "N", joinedAt: T0 });
  });
});

describe("participants.remove", () => {
  it("ends their speech, drops their requests, marks them removed and keeps their name", () => {
    const sim = new Sim();
    const first = sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant", requestId: first.requestId as string });
    const question = sim.ok("d1", { type: "speakers.request", kind: "question" });
    const forOther = sim.ok("sec", { type: "speakers.request", kind: "speech", participantId: "d2" });
    sim.ctx.advance(1000);
    const decision = admin(sim, { type: "participants.remove", participantId: "d1" });
    expect(decision).toEqual({
      ok: true,
      events: [
        { type: "speakers.finished", data: { at: T0 + 1000 } },
        { type: "speakers.request_dropped", data: { requestId: question.requestId, reason: "removed" } },
        { type: "participant.removed", data: { participantId: "d1", at: T0 + 1000 } },
      ],
    });
    expect(sim.state.speakers.current).toBeNull();
    expect(sim.state.speakers.queue.map((r) => r.requestId)).toEqual([forOther.requestId]);
    expect(sim.state.speakers.history.map((s) => s.participantId)).toEqual(["d1"]);
    expect(sim.state.participants.find((p) => p.id === "d1")).toMatchObject({ name: "Name of d1", removedAt: T0 + 1000 });
    expect(findMember(sim.state, "d1")).toBeUndefined();
  });

  it("a removed participant cannot act, be acted on, or be counted", () => {
    const sim = new Sim();
    admin(sim, { type: "participants.remove", participantId: "d1" });
    sim.refused("d1", { type: "speakers.request", kind: "speech" }, "forbidden");
    sim.refused("chair", { type: "speakers.request", kind: "speech", participantId: "d1" }, "not_found");
    sim.refused("sec", { type: "participants.checkIn", participantId: "d1" }, "not_found");
    for (const command of [
      { type: "participants.remove", participantId: "d1" },
      { type: "participants.update", participantId: "d1", fields: { name: "X" } },
      { type: "participants.reissueToken", participantId: "d1" },
    ] as const) {
      const decision = decideInternal(sim.state, command, sim.ctx);
      expect(decision.ok ? null : decision.error.code, command.type).toBe("not_found");
    }
    const { id } = sim.ok("chair", { type: "polls.create", question: "Q?" });
    sim.ok("chair", { type: "polls.open", pollId: id as string });
    expect(sim.state.polls[0]!.eligibleKeys).not.toContain("person:d1");
  });

  it("the last chair cannot be removed", () => {
    const sim = new Sim();
    const decision = admin(sim, { type: "participants.remove", participantId: "chair" });
    expect(decision.ok ? null : decision.error.code).toBe("conflict");
    sim.add(participant("chair2", "chair"));
    expect(admin(sim, { type: "participants.remove", participantId: "chair" }).ok).toBe(true);
    const last = admin(sim, { type: "participants.remove", participantId: "chair2" });
    expect(last.ok ? null : last.error.code).toBe("conflict");
  });
});

describe("participants.reissueToken", () => {
  it("checks only that they are a member, and causes no event", () => {
    const sim = new Sim();
    expect(decideInternal(sim.state, { type: "participants.reissueToken", participantId: "d1" }, sim.ctx)).toEqual({ ok: true, events: [] });
    const unknown = decideInternal(sim.state, { type: "participants.reissueToken", participantId: "nobody" }, sim.ctx);
    expect(unknown.ok ? null : unknown.error.code).toBe("not_found");
  });
});
