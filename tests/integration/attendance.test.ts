import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrivalsOf } from "../../shared/domain/index.ts";
import { attendanceCounts } from "../../shared/attendance.ts";
import { applyWireEvent } from "../../shared/domain/index.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { stateOfSnapshot, type Snapshot } from "../../shared/view.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** Attendance (v1.1): `leftAt`, `participants.leave`, checking in again, the snapshot's counts. */

let srv: TestServer;
let conf: Conference;
let chair: TestClient;
let secretary: TestClient;
let delegate: TestClient;
let projector: TestClient;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

/** The counts as the server answers them now. */
async function counts(client: TestClient = chair) {
  const synced = await client.sync();
  if (!synced.ok) throw new Error("sync failed");
  return synced.state.attendance;
}

async function snapshot(client: TestClient = chair): Promise<Snapshot> {
  const synced = await client.sync();
  if (!synced.ok) throw new Error("sync failed");
  return synced.state;
}

/** What a client's mirror holds: its snapshot with every later event folded in. */
function mirror(client: TestClient): ConferenceState {
  return client.events.filter((e) => e.seq > client.snapshot!.seq).reduce(applyWireEvent, stateOfSnapshot(client.snapshot!).state);
}

const participant = async (client: TestClient, id: string) => (await snapshot(client)).participants.find((p) => p.id === id)!;

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Giao ban" });
  chair = await TestClient.connect(srv.url, conf.chairToken);
  const people = [
    ["sec", { name: "Thư ký", role: "secretary", organisation: "Văn phòng" }],
    ["d1", { name: "Đại biểu 1", role: "delegate", organisation: "Hội Hóa học", attendance: "hall" }],
    ["d2", { name: "Đại biểu 2", role: "delegate", organisation: "hội  hóa HỌC ", attendance: "online" }],
    ["d3", { name: "Đại biểu 3", role: "delegate", organisation: "Hội Vật lý", attendance: "online" }],
    ["d4", { name: "Đại biểu 4", role: "delegate", attendance: "hall" }],
    ["obs", { name: "Quan sát viên", role: "observer", organisation: "Báo chí" }],
    ["proj", { name: "Màn hình", role: "projector", organisation: "Hội trường" }],
  ] as const;
  for (const [key, body] of people) {
    const added = await addParticipant(srv.url, conf, body);
    ids[key] = added.id;
    tokens[key] = added.token;
  }
  ids.chair = chair.snapshot!.me.id;
  secretary = await TestClient.connect(srv.url, tokens.sec!);
  delegate = await TestClient.connect(srv.url, tokens.d1!);
  projector = await TestClient.connect(srv.url, tokens.proj!);
});
afterAll(async () => {
  for (const client of [chair, secretary, delegate, projector]) client?.close();
  await srv.dispose();
});

describe("attendance", () => {
  it("counts the roster: projectors nowhere, organisations by normalised name, voters by role", async () => {
    // Connected so far: chair, secretary, d1, projector.
    expect(await counts()).toEqual({
      registered: 7,
      present: 3,
      presentHall: 3,
      presentOnline: 0,
      voters: 5,
      votersPresent: 2,
      // On the roster: "Văn phòng", "Hội Hóa học" (= "hội  hóa HỌC "), "Hội Vật lý", "Báo chí",
      // "Hội trường" (the projector's: on the roster, though the projector counts nowhere)
      organisations: 5,
      organisationsPresent: 2,
    });
    const me = await participant(chair, ids.chair!);
    expect(me).toMatchObject({ checkedInAt: expect.any(Number), leftAt: null });
  });

  it("a secretary's check-in of someone online counts them present online", async () => {
    const ack = await secretary.must({ type: "participants.checkIn", participantId: ids.d3! });
    await chair.waitForSeq(ack.seq);
    expect(await counts()).toMatchObject({ present: 4, presentHall: 3, presentOnline: 1, votersPresent: 3, organisationsPresent: 3 });
  });

  it("participants.leave marks someone gone: a numbered event, leftAt set, counted out; again changes nothing", async () => {
    const ack = await chair.must({ type: "participants.leave", participantId: ids.d3! });
    await delegate.waitForSeq(ack.seq);
    const event = delegate.events.find((e) => e.seq === ack.seq)!;
    expect(event).toMatchObject({ type: "participant.left", data: { participantId: ids.d3, at: expect.any(Number) } });
    const d3 = await participant(chair, ids.d3!);
    expect(d3.leftAt).toBe((event.data as { at: number }).at);
    expect(d3.checkedInAt).not.toBeNull();
    expect(await counts()).toMatchObject({ present: 3, presentOnline: 0, votersPresent: 2, organisationsPresent: 2 });

    const again = await secretary.must({ type: "participants.leave", participantId: ids.d3! });
    expect(again.seq).toBe(ack.seq);
    // Never checked in: nothing to leave.
    expect(await chair.command({ type: "participants.leave", participantId: ids.d4! })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await chair.command({ type: "participants.leave", participantId: "nobody" })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("a client's mirror recounts the same as the server from the events it folds", async () => {
    const server = await snapshot(delegate);
    expect(attendanceCounts(mirror(delegate))).toEqual(server.attendance);
    expect(attendanceCounts(server)).toEqual(server.attendance);
  });

  it("checking them in again clears leftAt and keeps when they were first there", async () => {
    const before = await participant(chair, ids.d3!);
    const ack = await secretary.must({ type: "participants.checkIn", participantId: ids.d3! });
    expect(ack.seq).toBeGreaterThan(chair.snapshot!.seq);
    await chair.waitForSeq(ack.seq);
    expect(arrivalsOf(chair.events.find((e) => e.seq === ack.seq)!)).toEqual([expect.objectContaining({ participantId: ids.d3 })]);
    const after = await participant(chair, ids.d3!);
    expect(after).toMatchObject({ leftAt: null, checkedInAt: before.checkedInAt });
    expect(await counts()).toMatchObject({ present: 4, presentOnline: 1, votersPresent: 3 });
    // Present already: a check-in changes nothing.
    expect((await chair.must({ type: "participants.checkIn", participantId: ids.d3! })).seq).toBe(ack.seq);
  });

  it("someone marked gone who connects again is back (their own device checks them in)", async () => {
    const left = await chair.must({ type: "participants.leave", participantId: ids.d1! });
    await chair.waitForSeq(left.seq);
    expect(await counts()).toMatchObject({ present: 3, presentHall: 2, organisationsPresent: 2 });
    delegate.close();
    const back = await TestClient.connect(srv.url, tokens.d1!); // waits for its participant.checked_in
    try {
      expect(back.snapshot!.participants.find((p) => p.id === ids.d1)!.leftAt).not.toBeNull();
      const event = back.events.find((e) => arrivalsOf(e)?.some((a) => a.participantId === ids.d1))!;
      await chair.waitForSeq(event.seq);
      expect((await participant(chair, ids.d1!)).leftAt).toBeNull();
      expect(await counts()).toMatchObject({ present: 4, presentHall: 3, votersPresent: 3 });
    } finally {
      back.close();
    }
  });

  it("a projector counts nowhere, even once checked in and gone", async () => {
    const p = await participant(chair, ids.proj!);
    expect(p.checkedInAt).not.toBeNull();
    const before = await counts();
    await chair.must({ type: "participants.leave", participantId: ids.proj! });
    expect(await counts()).toEqual(before);
    // Every role's snapshot carries the counts, the projector's included.
    expect((await snapshot(projector)).attendance).toEqual(before);
  });

  it("a delegate, an observer or a projector may not participants.leave", async () => {
    const observer = await TestClient.connect(srv.url, tokens.obs!);
    const d2 = await TestClient.connect(srv.url, tokens.d2!);
    try {
      const before = await counts();
      for (const client of [d2, observer, projector]) {
        expect(await client.command({ type: "participants.leave", participantId: ids.d3! })).toMatchObject({ ok: false, error: { code: "forbidden" } });
        expect(await client.command({ type: "participants.leave", participantId: client.snapshot!.me.id })).toMatchObject({
          ok: false,
          error: { code: "forbidden" },
        });
      }
      expect((await participant(chair, ids.d3!)).leftAt).toBeNull();
      // Connecting them counted them in (observer: not a voter; d2: the same organisation as d1).
      expect(await counts()).toMatchObject({ present: before.present, votersPresent: before.votersPresent });
    } finally {
      observer.close();
      d2.close();
    }
  });
});
