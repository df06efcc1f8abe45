import { describe, expect, it } from "vitest";
import { actor, participant, Sim, T0 } from "../support/domain.ts";

const queue = (sim: Sim) => sim.state.speakers.queue.map((r) => `${r.participantId}:${r.kind}`);

describe("speakers.request", () => {
  it("puts the request at the end of the queue and answers its id", () => {
    const sim = new Sim();
    const result = sim.ok("d1", { type: "speakers.request", kind: "speech", note: "cụm hoạt động" });
    expect(result.requestId).toBe("id1");
    expect(sim.state.speakers.queue).toEqual([
      { requestId: "id1", participantId: "d1", kind: "speech", note: "cụm hoạt động", requestedAt: T0, requestedBy: "d1" },
    ]);
    sim.ok("d2", { type: "speakers.request", kind: "question" });
    sim.ok("chair", { type: "speakers.request", kind: "speech" });
    expect(queue(sim)).toEqual(["d1:speech", "d2:question", "chair:speech"]);
  });

  it("allows one open request per person and kind", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.refused("d1", { type: "speakers.request", kind: "speech" }, "conflict");
    sim.ok("d1", { type: "speakers.request", kind: "question" });
    sim.ok("d1", { type: "speakers.request", kind: "point_of_order" });
    sim.refused("d1", { type: "speakers.request", kind: "point_of_order" }, "conflict");
    // the secretary cannot put in a second one for the same person either
    sim.refused("sec", { type: "speakers.request", kind: "speech", participantId: "d1" }, "conflict");
    // once granted, the request is no longer open: a new one is accepted
    sim.ok("chair", { type: "speakers.grant", requestId: sim.state.speakers.queue.find((r) => r.kind === "speech")!.requestId });
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
  });

  it("puts a point of order ahead of every other request, after earlier points of order", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("d2", { type: "speakers.request", kind: "question" });
    sim.ok("d3", { type: "speakers.request", kind: "point_of_order" });
    expect(queue(sim)).toEqual(["d3:point_of_order", "d1:speech", "d2:question"]);
    sim.ok("d4", { type: "speakers.request", kind: "point_of_order" });
    expect(queue(sim)).toEqual(["d3:point_of_order", "d4:point_of_order", "d1:speech", "d2:question"]);
    sim.ok("chair", { type: "speakers.request", kind: "speech" });
    expect(queue(sim).at(-1)).toBe("chair:speech");
    // only points of order in the queue: the next one goes last
    const only = new Sim();
    only.ok("d1", { type: "speakers.request", kind: "point_of_order" });
    only.ok("d2", { type: "speakers.request", kind: "point_of_order" });
    expect(queue(only)).toEqual(["d1:point_of_order", "d2:point_of_order"]);
  });

  it("lets a chair or a secretary put in a hand raised in the hall", () => {
    const sim = new Sim();
    sim.ok("sec", { type: "speakers.request", kind: "speech", participantId: "d2" });
    sim.ok("chair", { type: "speakers.request", kind: "question", participantId: "d3" });
    expect(sim.state.speakers.queue.map((r) => [r.participantId, r.requestedBy])).toEqual([
      ["d2", "sec"],
      ["d3", "chair"],
    ]);
  });

  it("refuses on-behalf requests from anyone but a chair or a secretary", () => {
    const sim = new Sim();
    sim.refused("d1", { type: "speakers.request", kind: "speech", participantId: "d2" }, "forbidden");
    // naming oneself is not on behalf of anyone
    sim.ok("d1", { type: "speakers.request", kind: "speech", participantId: "d1" });
  });

  it("refuses a secretary asking for the floor for themselves", () => {
    const sim = new Sim();
    sim.refused("sec", { type: "speakers.request", kind: "speech" }, "forbidden");
    sim.refused("sec", { type: "speakers.request", kind: "speech", participantId: "sec" }, "forbidden");
  });

  it("refuses an unknown participant and a projector", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "speakers.request", kind: "speech", participantId: "ghost" }, "not_found");
    sim.refused("chair", { type: "speakers.request", kind: "speech", participantId: "proj" }, "invalid");
  });
});

describe("speakers.withdraw / remove / clear", () => {
  it("lets the requester or whoever put the request in withdraw it, nobody else", () => {
    const sim = new Sim();
    const own = sim.ok("d1", { type: "speakers.request", kind: "speech" }).requestId as string;
    const hall = sim.ok("sec", { type: "speakers.request", kind: "speech", participantId: "d2" }).requestId as string;
    const third = sim.ok("d3", { type: "speakers.request", kind: "speech" }).requestId as string;
    sim.refused("d2", { type: "speakers.withdraw", requestId: own }, "forbidden");
    sim.refused("chair", { type: "speakers.withdraw", requestId: own }, "forbidden");
    sim.refused("d1", { type: "speakers.withdraw", requestId: hall }, "forbidden");
    const { events } = sim.ok("d1", { type: "speakers.withdraw", requestId: own });
    expect(events).toEqual([{ type: "speakers.request_dropped", data: { requestId: own, reason: "withdrawn" } }]);
    sim.ok("sec", { type: "speakers.withdraw", requestId: hall });
    expect(sim.state.speakers.queue.map((r) => r.requestId)).toEqual([third]);
    sim.ok("d3", { type: "speakers.withdraw", requestId: third, }); // the person themselves, too
    sim.refused("d3", { type: "speakers.withdraw", requestId: third }, "not_found");
  });

  it("the chair removes any request", () => {
    const sim = new Sim();
    const id = sim.ok("d1", { type: "speakers.request", kind: "speech" }).requestId as string;
    const { events } = sim.ok("chair", { type: "speakers.remove", requestId: id });
    expect(events).toEqual([{ type: "speakers.request_dropped", data: { requestId: id, reason: "removed" } }]);
    expect(sim.state.speakers.queue).toEqual([]);
    sim.refused("chair", { type: "speakers.remove", requestId: id }, "not_found");
  });

  it("clear empties the queue but leaves the current speech; on an empty queue it changes nothing", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("d2", { type: "speakers.request", kind: "speech" });
    sim.ok("d3", { type: "speakers.request", kind: "point_of_order" });
    const { events } = sim.ok("chair", { type: "speakers.clear" });
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("speakers.queue_cleared");
    expect(sim.state.speakers.queue).toEqual([]);
    expect(sim.state.speakers.current?.participantId).toBe("d1");
    expect(sim.ok("chair", { type: "speakers.clear" }).events).toEqual([]);
  });
});

describe("speakers.grant", () => {
  it("gives the floor to the head of the queue, with the limit and item of the moment", () => {
    const sim = new Sim();
    const item = sim.ok("chair", { type: "agenda.add", title: "Thảo luận" }).id as string;
    sim.ok("chair", { type: "agenda.start", itemId: item });
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    const head = sim.ok("d2", { type: "speakers.request", kind: "point_of_order" }).requestId;
    sim.ctx.advance(10);
    const result = sim.ok("chair", { type: "speakers.grant" });
    expect(result.requestId).toBe(head);
    expect(sim.state.speakers.current).toEqual({
      requestId: head,
      participantId: "d2",
      kind: "point_of_order",
      startedAt: T0 + 10,
      limitSeconds: 180,
      itemId: item,
    });
    expect(queue(sim)).toEqual(["d1:speech"]);
  });

  it("gives the floor to a chosen request and ends the current speech into history", () => {
    const sim = new Sim();
    const first = sim.ok("chair", { type: "agenda.add", title: "A" }).id as string;
    const second = sim.ok("chair", { type: "agenda.add", title: "B" }).id as string;
    sim.ok("chair", { type: "agenda.start", itemId: first });
    const r1 = sim.ok("d1", { type: "speakers.request", kind: "speech" }).requestId;
    sim.ok("d2", { type: "speakers.request", kind: "speech" });
    const r3 = sim.ok("d3", { type: "speakers.request", kind: "question" }).requestId as string;
    sim.ok("chair", { type: "speakers.grant" });
    // the item changes while d1 still speaks? No: starting an item ends the speech. Grant again instead.
    sim.ctx.advance(30_000);
    const { events } = sim.ok("chair", { type: "speakers.grant", requestId: r3 });
    expect(events.map((e) => e.type)).toEqual(["speakers.finished", "speakers.granted"]);
    expect(sim.state.speakers.history).toEqual([
      { requestId: r1, participantId: "d1", itemId: first, kind: "speech", startedAt: T0, endedAt: T0 + 30_000 },
    ]);
    expect(sim.state.speakers.current?.participantId).toBe("d3");
    expect(queue(sim)).toEqual(["d2:speech"]);
    sim.ok("chair", { type: "agenda.start", itemId: second });
    expect(sim.state.speakers.history.map((h) => [h.participantId, h.itemId])).toEqual([
      ["d1", first],
      ["d3", first],
    ]);
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("chair", { type: "speakers.finish" });
    expect(sim.state.speakers.history.at(-1)).toMatchObject({ participantId: "d2", itemId: second });
  });

  it("records a null item when no item is active", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("chair", { type: "speakers.finish" });
    expect(sim.state.speakers.history[0]!.itemId).toBeNull();
  });

  it("conflict when the queue is empty, not_found for an unknown request", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "speakers.grant" }, "conflict");
    sim.refused("chair", { type: "speakers.grant", requestId: "nope" }, "not_found");
  });
});

describe("speakers.finish", () => {
  it("the current speaker or a chair ends the speech; nobody else", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("d2", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.refused("d2", { type: "speakers.finish" }, "forbidden");
    sim.ctx.advance(42);
    sim.ok("d1", { type: "speakers.finish" });
    expect(sim.state.speakers.current).toBeNull();
    expect(sim.state.speakers.history[0]).toMatchObject({ participantId: "d1", endedAt: T0 + 42 });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("chair", { type: "speakers.finish" });
    expect(sim.state.speakers.history.map((h) => h.participantId)).toEqual(["d1", "d2"]);
  });

  it("conflict when nobody has the floor", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "speakers.finish" }, "conflict");
  });

  it("a hall speaker of any role who holds the floor may end their own speech", () => {
    // The chair may put anyone but a projector in the queue, e.g. an invited guest (observer):
    // the contract lets "the current speaker" finish.
    for (const who of ["obs", "sec"]) {
      const sim = new Sim();
      sim.ok("chair", { type: "speakers.request", kind: "speech", participantId: who });
      sim.ok("chair", { type: "speakers.grant" });
      sim.ok(who, { type: "speakers.finish" });
      expect(sim.state.speakers.history[0]!.participantId).toBe(who);
    }
  });
});

describe("speakers.setLimit", () => {
  it("applies to speeches that start later, not to the current one", () => {
    const sim = new Sim();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("d2", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("chair", { type: "speakers.setLimit", seconds: 120 });
    expect(sim.state.speakers.limitSeconds).toBe(120);
    expect(sim.state.speakers.current?.limitSeconds).toBe(180);
    sim.ok("chair", { type: "speakers.grant" });
    expect(sim.state.speakers.current?.limitSeconds).toBe(120);
    sim.ok("chair", { type: "speakers.setLimit", seconds: 0 });
    sim.ok("d3", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    expect(sim.state.speakers.current?.limitSeconds).toBe(0);
  });

  it("is the chair's alone", () => {
    const sim = new Sim();
    sim.refused(actor("d1"), { type: "speakers.setLimit", seconds: 1 }, "forbidden");
  });
});

describe("an actor that is not a participant", () => {
  it("is forbidden", () => {
    const sim = new Sim();
    sim.refused({ participantId: "ghost", role: "chair" }, { type: "conference.start" }, "forbidden");
    sim.add(participant("late", "delegate"));
    sim.ok("late", { type: "speakers.request", kind: "speech" });
  });
});
