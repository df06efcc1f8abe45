import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWireEvent } from "../../shared/domain/index.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

let srv: TestServer;
let conf: Conference;
let chair: TestClient;
let d1: TestClient;
let d2: TestClient;
let sec: TestClient;
let hallId: string;

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Giao ban Liên hiệp Hội các tỉnh" });
  const a = await addParticipant(srv.url, conf, { name: "Phạm Hữu Duệ", organisation: "Ban Tổ chức", role: "delegate" });
  const b = await addParticipant(srv.url, conf, { name: "Lê Công Lương", organisation: "Hội B", role: "delegate", attendance: "online" });
  const s = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
  // a delegate in the hall without a phone: never connects
  hallId = (await addParticipant(srv.url, conf, { name: "Đại biểu không có điện thoại", role: "delegate" })).id;
  [chair, d1, d2, sec] = (await Promise.all([conf.chairToken, a.token, b.token, s.token].map((t) => TestClient.connect(srv.url, t)))) as [
    TestClient,
    TestClient,
    TestClient,
    TestClient,
  ];
});
afterAll(async () => {
  for (const c of [chair, d1, d2, sec]) c?.close();
  await srv.dispose();
});

/** Waits until every client has seen `seq`, then answers the chair's fresh snapshot. */
async function settle(seq: number) {
  await Promise.all([chair, d1, d2, sec].map((c) => c.waitForSeq(seq)));
  const sync = await chair.sync();
  if (!sync.ok) throw new Error("sync failed");
  return sync.state;
}

/** The state a client builds by folding the events it received onto its first snapshot. */
function mirror(client: TestClient, initial: ConferenceState): ConferenceState {
  return client.events.filter((e) => e.seq > initial.seq).reduce(applyWireEvent, initial);
}

describe("agenda and speakers, end to end", () => {
  it("runs an agenda item by item with a speaker queue across clients", async () => {
    const initial = structuredClone([chair, d1, d2, sec].map((c) => c.snapshot!)) as unknown as ConferenceState[];
    const uids = d1.snapshot!.me.id;
    const d2id = d2.snapshot!.me.id;

    // the secretary drafts, the chair orders
    const open = (await sec.must({ type: "agenda.add", title: "Phát biểu khai mạc", presenter: "Chủ tịch", plannedMinutes: 10 })).id as string;
    const report = (await sec.must({ type: "agenda.add", title: "Báo cáo 10 tháng", plannedMinutes: 20 })).id as string;
    const cluster = (await chair.must({ type: "agenda.add", title: "Đề án cụm hoạt động", afterId: open })).id as string;
    await sec.must({ type: "agenda.update", itemId: cluster, presenter: "Phạm Hữu Duệ", plannedMinutes: 20 });
    await chair.must({ type: "agenda.move", itemId: cluster, toIndex: 2 });
    let state = await settle((await chair.must({ type: "agenda.start", itemId: open })).seq);
    expect(state.agenda.map((i) => [i.id, i.status])).toEqual([
      [open, "active"],
      [report, "pending"],
      [cluster, "pending"],
    ]);
    expect(state.conference.status).toBe("live");
    expect(state.currentItemId).toBe(open);

    // requests: a speech, then a point of order that goes first, then a hand raised in the hall
    await d1.must({ type: "speakers.request", kind: "speech", note: "về phương thức hoạt động" });
    const again = await d1.command({ type: "speakers.request", kind: "speech" });
    expect(again).toMatchObject({ ok: false, error: { code: "conflict" } });
    const poo = (await d2.must({ type: "speakers.request", kind: "point_of_order" })).requestId as string;
    const hall = await sec.must({ type: "speakers.request", kind: "speech", participantId: hallId, note: "giơ tay" });
    const notForOthers = await d1.command({ type: "speakers.request", kind: "question", participantId: d2id });
    expect(notForOthers).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const notTheirs = await d1.command({ type: "speakers.withdraw", requestId: poo });
    expect(notTheirs).toMatchObject({ ok: false, error: { code: "forbidden" } });
    state = await settle(hall.seq);
    expect(state.speakers.queue.map((r) => [r.participantId, r.kind])).toEqual([
      [d2id, "point_of_order"],
      [uids, "speech"],
      [hallId, "speech"],
    ]);

    // the point of order has the floor; its speaker ends it; then the chair picks the hall
    const granted = await chair.must({ type: "speakers.grant" });
    expect(granted.requestId).toBe(poo);
    await d2.must({ type: "speakers.finish" });
    await chair.must({ type: "speakers.setLimit", seconds: 120 });
    await chair.must({ type: "speakers.grant", requestId: hall.requestId as string });
    state = await settle((await chair.must({ type: "agenda.next" })).seq); // ends the hall speech, moves on
    expect(state.currentItemId).toBe(report);
    expect(state.agenda.find((i) => i.id === open)).toMatchObject({ status: "done", endedAt: expect.any(Number) });
    expect(state.speakers.current).toBeNull();
    expect(state.speakers.history.map((h) => [h.participantId, h.itemId, h.kind])).toEqual([
      [d2id, open, "point_of_order"],
      [hallId, open, "speech"],
    ]);

    // the next item: d1 speaks under the new limit, and a non-speaker cannot end it
    const d1speech = await chair.must({ type: "speakers.grant" });
    state = await settle(d1speech.seq);
    expect(state.speakers.current).toMatchObject({ participantId: uids, limitSeconds: 120 });
    expect(await d2.command({ type: "speakers.finish" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await d1.must({ type: "speakers.finish" });
    // d2 asks, withdraws; the secretary's hand for the hall is removed by the chair
    const q = (await d2.must({ type: "speakers.request", kind: "question" })).requestId as string;
    await d2.must({ type: "speakers.withdraw", requestId: q });
    const h2 = (await sec.must({ type: "speakers.request", kind: "question", participantId: hallId })).requestId as string;
    await chair.must({ type: "speakers.remove", requestId: h2 });
    await d1.must({ type: "speakers.request", kind: "question" });
    await d2.must({ type: "speakers.request", kind: "speech" });
    await chair.must({ type: "speakers.clear" });
    expect(await chair.command({ type: "speakers.grant" })).toMatchObject({ ok: false, error: { code: "conflict" } });
    await chair.must({ type: "agenda.start", itemId: cluster });
    expect(await chair.command({ type: "agenda.remove", itemId: cluster })).toMatchObject({ ok: false, error: { code: "conflict" } });
    await chair.must({ type: "agenda.remove", itemId: open });
    const end = await chair.must({ type: "conference.end" });
    state = await settle(end.seq);
    expect(state.conference.status).toBe("ended");
    expect(state.currentItemId).toBeNull();
    expect(state.agenda.map((i) => [i.id, i.status])).toEqual([
      [report, "done"],
      [cluster, "done"],
    ]);
    expect(state.speakers.queue).toEqual([]);
    expect(state.speakers.history.map((h) => [h.participantId, h.itemId])).toEqual([
      [d2id, open],
      [hallId, open],
      [uids, report],
    ]);
    for (const h of state.speakers.history) expect(h.endedAt).toBeGreaterThanOrEqual(h.startedAt);

    // every client's mirror, built from its events alone, agrees with the server's snapshot
    [chair, d1, d2, sec].forEach((c, i) => {
      const m = mirror(c, initial[i]!);
      expect(m.seq).toBe(state.seq);
      expect(m.agenda).toEqual(state.agenda);
      expect(m.currentItemId).toEqual(state.currentItemId);
      expect(m.speakers).toEqual(state.speakers);
      expect(m.conference.status).toBe("ended");
    });
  });
});
