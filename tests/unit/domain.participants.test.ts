import { describe, expect, it } from "vitest";
import { decideInternal } from "../../shared/domain/decide.ts";
import { Sim, T0 } from "../support/domain.ts";

const checkedIn = (sim: Sim, id: string) => sim.state.participants.find((p) => p.id === id)!.checkedInAt;

describe("checking in", () => {
  it("a chair or a secretary checks in someone in the hall without a phone, once", () => {
    const sim = new Sim();
    expect(checkedIn(sim, "d1")).toBeNull();
    const { events } = sim.ok("sec", { type: "participants.checkIn", participantId: "d1" });
    expect(events).toEqual([{ type: "participant.checked_in", data: { participantId: "d1", at: T0 } }]);
    expect(checkedIn(sim, "d1")).toBe(T0);
    sim.ctx.advance(60_000);
    // Again: nothing changes, and the first time stands.
    expect(sim.ok("chair", { type: "participants.checkIn", participantId: "d1" }).events).toEqual([]);
    expect(checkedIn(sim, "d1")).toBe(T0);
  });

  it("refuses an unknown participant, and delegates", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "participants.checkIn", participantId: "nobody" }, "not_found");
    sim.refused("d2", { type: "participants.checkIn", participantId: "d1" }, "forbidden");
  });

  it("a participant's first connection checks them in (the server's own command)", () => {
    const sim = new Sim();
    const decision = decideInternal(sim.state, { type: "participants.arrived", participantId: "d4" }, sim.ctx);
    expect(decision).toEqual({
      ok: true,
      events: [{ type: "participant.checked_in", data: { participantId: "d4", at: T0 } }],
    });
  });
});

describe("reopening a meeting and acknowledging the floor (issue 16)", () => {
  it("reopens only an ended meeting, live again without its end; only the speaker acknowledges, once", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "conference.reopen" }, "conflict");
    sim.ok("chair", { type: "conference.start" });
    sim.ok("chair", { type: "conference.end" });
    sim.refused("d1", { type: "conference.reopen" }, "forbidden");
    sim.ok("chair", { type: "conference.reopen" });
    expect(sim.state.conference).toMatchObject({ status: "live", endedAt: null });
    const { requestId } = sim.ok("d1", { type: "speakers.request", kind: "speech" }) as unknown as { requestId: string };
    sim.refused("d1", { type: "speakers.acknowledge" }, "conflict");
    sim.ok("chair", { type: "speakers.grant", requestId });
    sim.refused("d2", { type: "speakers.acknowledge" }, "forbidden");
    const { events } = sim.ok("d1", { type: "speakers.acknowledge" });
    expect(events).toEqual([{ type: "speakers.acknowledged", data: { requestId, at: sim.ctx.now } }]);
    expect(sim.state.speakers.current?.acknowledgedAt).toBe(sim.ctx.now);
    expect(sim.ok("d1", { type: "speakers.acknowledge" }).events).toEqual([]);
  });
});
