import { describe, expect, it } from "vitest";
import { elapsedMs, nextPendingItem } from "../../shared/domain/index.ts";
import { Sim, T0 } from "../support/domain.ts";

/** A conference with three agenda items a, b, c (ids id1, id2, id3). */
function withAgenda(): Sim {
  const sim = new Sim();
  for (const title of ["Khai mạc", "Báo cáo", "Thảo luận"]) sim.ok("chair", { type: "agenda.add", title, plannedMinutes: 10 });
  return sim;
}

const ids = (sim: Sim) => sim.state.agenda.map((i) => i.id);

describe("conference.start / conference.end", () => {
  it("starts a scheduled conference once, then refuses", () => {
    const sim = new Sim();
    expect(sim.state.conference.status).toBe("scheduled");
    const { events } = sim.ok("chair", { type: "conference.start" });
    expect(events).toEqual([{ type: "conference.started", data: { at: T0 } }]);
    expect(sim.state.conference).toMatchObject({ status: "live", startedAt: T0 });
    sim.refused("chair", { type: "conference.start" }, "conflict");
  });

  it("ends a conference once; an ended conference cannot start again", () => {
    const sim = new Sim();
    sim.ok("chair", { type: "conference.start" });
    sim.ctx.advance(1000);
    sim.ok("chair", { type: "conference.end" });
    expect(sim.state.conference).toMatchObject({ status: "ended", endedAt: T0 + 1000 });
    sim.refused("chair", { type: "conference.end" }, "conflict");
    sim.refused("chair", { type: "conference.start" }, "conflict");
  });

  it("may end a conference that never started", () => {
    const sim = new Sim();
    sim.ok("chair", { type: "conference.end" });
    expect(sim.state.conference.status).toBe("ended");
  });

  it("ending closes the active item and the current speech, and empties the queue", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id2" });
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("d2", { type: "speakers.request", kind: "question" });
    sim.ctx.advance(5000);
    const { events } = sim.ok("chair", { type: "conference.end" });
    expect(events.map((e) => e.type)).toEqual([
      "speakers.finished",
      "agenda.item_ended",
      "speakers.queue_cleared",
      "conference.ended",
    ]);
    expect(sim.state.speakers.queue).toEqual([]);
    expect(sim.state.currentItemId).toBeNull();
    expect(sim.item("id2")).toMatchObject({ status: "done", endedAt: T0 + 5000, spentMs: 5000 });
    expect(sim.state.speakers.current).toBeNull();
    expect(sim.state.speakers.history).toEqual([
      expect.objectContaining({ participantId: "d1", itemId: "id2", startedAt: T0, endedAt: T0 + 5000 }),
    ]);
  });

  it("after the end, items cannot start and the floor cannot be given", () => {
    const sim = withAgenda();
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "conference.end" });
    sim.refused("chair", { type: "agenda.start", itemId: "id1" }, "conflict");
    sim.refused("chair", { type: "agenda.next" }, "conflict");
    sim.refused("chair", { type: "speakers.grant" }, "conflict");
    sim.refused("d2", { type: "speakers.request", kind: "speech" }, "conflict");
  });
});

describe("agenda.add", () => {
  it("appends with defaults and answers the new id", () => {
    const sim = new Sim();
    const result = sim.ok("sec", { type: "agenda.add", title: "Khai mạc" });
    expect(result.id).toBe("id1");
    expect(sim.state.agenda).toEqual([
      {
        id: "id1",
        title: "Khai mạc",
        presenter: "",
        plannedMinutes: 0,
        status: "pending",
        startedAt: null,
        endedAt: null,
        spentMs: 0,
      },
    ]);
  });

  it("inserts right after afterId, and at the end without it", () => {
    const sim = withAgenda();
    const first = sim.ok("chair", { type: "agenda.add", title: "after first", afterId: "id1" });
    const last = sim.ok("chair", { type: "agenda.add", title: "after last", afterId: "id3" });
    const end = sim.ok("chair", { type: "agenda.add", title: "end" });
    expect(ids(sim)).toEqual(["id1", first.id, "id2", "id3", last.id, end.id]);
  });

  it("refuses an unknown afterId with not_found", () => {
    const sim = withAgenda();
    sim.refused("chair", { type: "agenda.add", title: "x", afterId: "nope" }, "not_found");
  });
});

describe("agenda.update", () => {
  it("changes only the given fields", () => {
    const sim = withAgenda();
    sim.ok("sec", { type: "agenda.update", itemId: "id2", presenter: "Phạm Quang Thao" });
    expect(sim.item("id2")).toMatchObject({ title: "Báo cáo", presenter: "Phạm Quang Thao", plannedMinutes: 10 });
    sim.ok("chair", { type: "agenda.update", itemId: "id2", title: "Báo cáo 10 tháng", plannedMinutes: 25 });
    expect(sim.item("id2")).toMatchObject({ title: "Báo cáo 10 tháng", presenter: "Phạm Quang Thao", plannedMinutes: 25 });
  });

  it("refuses an unknown item and an empty change", () => {
    const sim = withAgenda();
    sim.refused("chair", { type: "agenda.update", itemId: "nope", title: "x" }, "not_found");
    sim.refused("chair", { type: "agenda.update", itemId: "id1" }, "invalid");
  });
});

describe("agenda.remove", () => {
  it("removes a pending or done item but not the active one", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id1" });
    sim.refused("chair", { type: "agenda.remove", itemId: "id1" }, "conflict");
    sim.ok("chair", { type: "agenda.remove", itemId: "id3" });
    sim.ok("chair", { type: "agenda.next" });
    sim.ok("chair", { type: "agenda.remove", itemId: "id1" });
    expect(ids(sim)).toEqual(["id2"]);
    sim.refused("chair", { type: "agenda.remove", itemId: "id1" }, "not_found");
  });

  it("keeps the polls held under a removed item, belonging to no item", () => {
    const sim = withAgenda();
    const pollId = sim.ok("chair", { type: "polls.create", question: "Thông qua?", itemId: "id2" }).id as string;
    const other = sim.ok("chair", { type: "polls.create", question: "Khác?", itemId: "id3" }).id as string;
    sim.ok("chair", { type: "agenda.remove", itemId: "id2" });
    expect(sim.poll(pollId).itemId).toBeNull();
    expect(sim.poll(other).itemId).toBe("id3");
  });
});

describe("agenda.move", () => {
  it("moves to any index within the agenda", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.move", itemId: "id3", toIndex: 0 });
    expect(ids(sim)).toEqual(["id3", "id1", "id2"]);
    sim.ok("chair", { type: "agenda.move", itemId: "id3", toIndex: 2 });
    expect(ids(sim)).toEqual(["id1", "id2", "id3"]);
    sim.ok("chair", { type: "agenda.move", itemId: "id1", toIndex: 1 });
    expect(ids(sim)).toEqual(["id2", "id1", "id3"]);
  });

  it("refuses an index past the end and an unknown item", () => {
    const sim = withAgenda();
    sim.refused("chair", { type: "agenda.move", itemId: "id1", toIndex: 3 }, "invalid");
    sim.refused("chair", { type: "agenda.move", itemId: "nope", toIndex: 0 }, "not_found");
  });
});

describe("agenda.start", () => {
  it("makes a scheduled conference live and the item active", () => {
    const sim = withAgenda();
    const { events } = sim.ok("chair", { type: "agenda.start", itemId: "id2" });
    expect(events.map((e) => e.type)).toEqual(["conference.started", "agenda.item_started"]);
    expect(sim.state.conference.status).toBe("live");
    expect(sim.state.currentItemId).toBe("id2");
    expect(sim.item("id2")).toMatchObject({ status: "active", startedAt: T0, endedAt: null });
  });

  it("ends the previously active item (done) and the current speech", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id1" });
    sim.ok("d1", { type: "speakers.request", kind: "speech" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ctx.advance(60_000);
    const { events } = sim.ok("chair", { type: "agenda.start", itemId: "id3" });
    expect(events.map((e) => e.type)).toEqual(["speakers.finished", "agenda.item_ended", "agenda.item_started"]);
    expect(sim.item("id1")).toMatchObject({ status: "done", endedAt: T0 + 60_000, spentMs: 60_000 });
    expect(sim.item("id3").status).toBe("active");
    expect(sim.item("id2").status).toBe("pending");
    expect(sim.state.speakers.current).toBeNull();
    expect(sim.state.speakers.history[0]).toMatchObject({ participantId: "d1", itemId: "id1" });
  });

  it("refuses the active item itself and an unknown item", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id1" });
    sim.refused("chair", { type: "agenda.start", itemId: "id1" }, "conflict");
    sim.refused("chair", { type: "agenda.start", itemId: "nope" }, "not_found");
  });

  it("sums time across re-activations (spentMs) and counts the running one (elapsedMs)", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id1" });
    sim.ctx.advance(1000);
    expect(elapsedMs(sim.item("id1"), sim.ctx.now)).toBe(1000);
    sim.ok("chair", { type: "agenda.start", itemId: "id2" });
    expect(sim.item("id1").spentMs).toBe(1000);
    expect(elapsedMs(sim.item("id1"), sim.ctx.now + 99_999)).toBe(1000); // done: the clock does not run
    sim.ctx.advance(5000);
    sim.ok("chair", { type: "agenda.start", itemId: "id1" }); // back to a done item
    expect(sim.item("id1")).toMatchObject({ status: "active", startedAt: T0 + 6000, endedAt: null, spentMs: 1000 });
    expect(sim.item("id2")).toMatchObject({ status: "done", spentMs: 5000 });
    sim.ctx.advance(2500);
    expect(elapsedMs(sim.item("id1"), sim.ctx.now)).toBe(3500);
    sim.ok("chair", { type: "agenda.next" });
    expect(sim.item("id1")).toMatchObject({ status: "done", spentMs: 3500 });
  });
});

describe("agenda.next", () => {
  it("starts the first item when none is active", () => {
    const sim = withAgenda();
    const result = sim.ok("chair", { type: "agenda.next" });
    expect(result.id).toBe("id1");
    expect(sim.state.currentItemId).toBe("id1");
    expect(sim.state.conference.status).toBe("live");
  });

  it("moves to the first pending item after the active one, skipping done ones", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.add", title: "d" }); // id4
    sim.ok("chair", { type: "agenda.start", itemId: "id3" });
    sim.ok("chair", { type: "agenda.start", itemId: "id1" }); // id3 done
    expect(nextPendingItem(sim.state)?.id).toBe("id2");
    sim.ok("chair", { type: "agenda.next" });
    expect(sim.state.currentItemId).toBe("id2");
    expect(sim.item("id1").status).toBe("done");
    const result = sim.ok("chair", { type: "agenda.next" });
    expect(result.id).toBe("id4"); // id3 is done, skipped
    expect(sim.item("id2").status).toBe("done");
  });

  it("closes the last item with nothing after it, then has nothing to do", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.start", itemId: "id3" });
    const result = sim.ok("chair", { type: "agenda.next" });
    expect(result.id).toBeNull();
    expect(sim.state.currentItemId).toBeNull();
    expect(sim.item("id3").status).toBe("done");
    // id1 and id2 are still pending: with nothing active, next starts the first of them
    sim.ok("chair", { type: "agenda.next" });
    expect(sim.state.currentItemId).toBe("id1");
  });

  it("refuses with conflict when nothing is active and nothing is pending", () => {
    const empty = new Sim();
    empty.refused("chair", { type: "agenda.next" }, "conflict");
    const sim = withAgenda();
    for (let i = 0; i < 3; i++) sim.ok("chair", { type: "agenda.next" });
    sim.ok("chair", { type: "agenda.next" }); // closes the last
    sim.refused("chair", { type: "agenda.next" }, "conflict");
    expect(sim.state.agenda.every((i) => i.status === "done")).toBe(true);
  });

  it("ends the current speech", () => {
    const sim = withAgenda();
    sim.ok("chair", { type: "agenda.next" });
    sim.ok("d2", { type: "speakers.request", kind: "question" });
    sim.ok("chair", { type: "speakers.grant" });
    sim.ok("chair", { type: "agenda.next" });
    expect(sim.state.speakers.current).toBeNull();
    expect(sim.state.speakers.history).toHaveLength(1);
    expect(sim.state.speakers.history[0]).toMatchObject({ participantId: "d2", itemId: "id1", kind: "question" });
  });
});
