import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresenceChange, WireEvent } from "../../shared/events.ts";
import { connectOutcome } from "../support/integration.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

let srv: TestServer;
let conf: Conference;
const clients: TestClient[] = [];

async function client(token: string): Promise<TestClient> {
  const c = await TestClient.connect(srv.url, token);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Giao ban", organisation: "VUSTA", venue: "Hà Nội" });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await srv.dispose();
});

describe("authentication", () => {
  it("refuses a missing or bad token with connect_error 'unauthorized'", async () => {
    for (const auth of [undefined, {}, { token: "" }, { token: "nope" }, { token: 42 }, { token: "x".repeat(5000) }, { token: conf.chairToken + "x" }]) {
      expect(await connectOutcome(srv.url, auth), JSON.stringify(auth)?.slice(0, 40)).toBe("unauthorized");
    }
    expect(await connectOutcome(srv.url, { token: conf.chairToken })).toBe("connected");
  });

  it("a token of one conference is worthless in another", async () => {
    const other = await createConference(srv.url, { title: "Khác" });
    const a = await client(conf.chairToken);
    const b = await client(other.chairToken);
    expect(a.snapshot!.conference.id).toBe(conf.id);
    expect(b.snapshot!.conference.id).toBe(other.id);
    const ack = await b.must({ type: "agenda.add", title: "only in the other" });
    await b.waitForSeq(ack.seq);
    // a's conference is untouched and a heard nothing of it
    const sync = await a.sync();
    expect(sync.ok && sync.state.agenda.some((i) => i.title === "only in the other")).toBe(false);
    expect(a.events.some((e) => e.type === "agenda.item_added" && e.data.item.title === "only in the other")).toBe(false);
    // the other conference's ids mean nothing here
    const itemId = ack.id as string;
    const refused = await a.command({ type: "agenda.remove", itemId });
    expect(refused).toEqual({ ok: false, error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("the snapshot", () => {
  it("carries every guaranteed field", async () => {
    const chair = await client(conf.chairToken);
    const d = await addParticipant(srv.url, conf, { name: "Dương Thị Nga", organisation: "Ban Hợp tác", role: "delegate", attendance: "online" });
    const delegate = await client(d.token);
    const item = (await chair.must({ type: "agenda.add", title: "Báo cáo", presenter: "PCT", plannedMinutes: 20 })).id as string;
    await chair.must({ type: "agenda.start", itemId: item });
    await delegate.must({ type: "speakers.request", kind: "speech", note: "về cụm" });
    await delegate.must({ type: "speakers.request", kind: "question" });
    await chair.must({ type: "speakers.grant" });
    const poll = (await chair.must({ type: "polls.create", question: "Thông qua?" })).id as string;
    await chair.must({ type: "polls.open", pollId: poll });
    const last = await delegate.must({ type: "polls.vote", pollId: poll, optionId: "yes" });

    const fresh = await client(d.token);
    const s = fresh.snapshot!;
    expect(s.seq).toBeGreaterThanOrEqual(last.seq);
    expect(typeof s.serverTime).toBe("number");
    expect(Math.abs(s.serverTime - Date.now())).toBeLessThan(60_000);
    expect(s.conference).toMatchObject({
      id: conf.id,
      title: "Giao ban",
      organisation: "VUSTA",
      venue: "Hà Nội",
      startsAt: null,
      status: "live",
    });
    expect(s.conference).not.toHaveProperty("joinCode");
    expect(s.me).toEqual({
      id: d.id,
      name: "Dương Thị Nga",
      organisation: "Ban Hợp tác",
      organisationId: expect.any(String),
      representative: false,
      role: "delegate",
      voting: true,
    });
    const meRow = s.participants.find((p) => p.id === d.id)!;
    expect(meRow).toMatchObject({ id: d.id, name: "Dương Thị Nga", organisation: "Ban Hợp tác", role: "delegate", attendance: "online", online: true });
    for (const p of s.participants) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(["id", "name", "organisation", "role", "attendance", "online"]));
      expect(["hall", "online"]).toContain(p.attendance);
      expect(typeof p.online).toBe("boolean");
    }
    expect(s.agenda).toEqual([
      expect.objectContaining({ id: item, title: "Báo cáo", presenter: "PCT", plannedMinutes: 20, status: "active", startedAt: expect.any(Number), endedAt: null }),
    ]);
    expect(s.currentItemId).toBe(item);
    expect(s.speakers.limitSeconds).toBe(180);
    expect(s.speakers.current).toMatchObject({ requestId: expect.any(String), participantId: d.id, kind: "speech", startedAt: expect.any(Number), limitSeconds: 180 });
    expect(s.speakers.queue).toEqual([
      expect.objectContaining({ requestId: expect.any(String), participantId: d.id, kind: "question", note: "", requestedAt: expect.any(Number) }),
    ]);
    expect(s.speakers.history).toEqual([]);
    expect(s.polls).toHaveLength(1);
    expect(s.polls[0]).toMatchObject({
      id: poll,
      itemId: item,
      kind: "motion",
      question: "Thông qua?",
      options: [
        { id: "yes", label: "Tán thành" },
        { id: "no", label: "Không tán thành" },
        { id: "abstain", label: "Không biểu quyết" },
      ],
      status: "open",
      secret: false,
      weighting: "person",
      majority: "simple",
      votesCast: 1,
      voted: true,
      tally: null,
      outcome: null,
      winnerOptionId: null,
    });
    // eligible: the chair and the delegates present when it opened (here: chair, this delegate, maybe others)
    expect(s.polls[0]!.eligible).toBeGreaterThanOrEqual(2);
    // the chair sees the join code
    expect(chair.snapshot!.conference.joinCode).toBe(conf.joinCode);
    await chair.must({ type: "speakers.finish" });
    const after = await fresh.sync();
    expect(after.ok && after.state.speakers.history).toEqual([
      expect.objectContaining({ requestId: expect.any(String), participantId: d.id, itemId: item, kind: "speech", startedAt: expect.any(Number), endedAt: expect.any(Number) }),
    ]);
  });
});

describe("events and acks", () => {
  it("every accepted change reaches every client as {seq, type, data, serverTime}, seq rising by one", async () => {
    const chair = await client(conf.chairToken);
    const sec = await client((await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" })).token);
    const obs = await client((await addParticipant(srv.url, conf, { name: "Khách", role: "observer" })).token);
    const proj = await client((await addParticipant(srv.url, conf, { name: "Màn hình", role: "projector" })).token);
    const all = [chair, sec, obs, proj];
    const start = Math.max(...all.map((c) => c.snapshot!.seq));
    const acks = [];
    // in sequence, and then a concurrent burst from two clients
    acks.push(await chair.must({ type: "agenda.add", title: "A" }));
    acks.push(await sec.must({ type: "agenda.add", title: "B" }));
    acks.push(...(await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => chair.must({ type: "agenda.add", title: `C${i}` })),
      ...Array.from({ length: 10 }, (_, i) => sec.must({ type: "agenda.add", title: `S${i}` })),
    ])));
    for (const ack of acks) {
      expect(ack).toMatchObject({ ok: true, seq: expect.any(Number), id: expect.any(String) });
    }
    const last = Math.max(...acks.map((a) => a.seq));
    expect(new Set(acks.map((a) => a.seq)).size).toBe(acks.length);
    await Promise.all(all.map((c) => c.waitForSeq(last)));
    for (const c of all) {
      const mine = c.events.filter((e) => e.seq > start && e.seq <= last);
      expect(mine.map((e) => e.seq)).toEqual(Array.from({ length: last - start }, (_, i) => start + 1 + i));
      for (const e of mine) {
        expect(Object.keys(e).sort()).toEqual(["data", "seq", "serverTime", "type"]);
        expect(typeof e.serverTime).toBe("number");
      }
      // each ack's seq is the event it caused
      for (const ack of acks) {
        const event = mine.find((e) => e.seq === ack.seq) as Extract<WireEvent, { type: "agenda.item_added" }>;
        expect(event.type).toBe("agenda.item_added");
        expect(event.data.item.id).toBe(ack.id);
      }
    }
    const sync = await obs.sync();
    expect(sync).toMatchObject({ ok: true, state: { seq: last } });
    expect(sync.ok && sync.state.agenda.length).toBeGreaterThanOrEqual(22);
    expect(sync.ok && sync.state.me.role).toBe("observer");
  });

  it("every refusal code, with nothing changed", async () => {
    const chair = await client(conf.chairToken);
    const d = await client((await addParticipant(srv.url, conf, { name: "ĐB", role: "delegate" })).token);
    // make sure the conference is live and nobody has the floor, whatever ran before
    await chair.command({ type: "conference.start" });
    await chair.command({ type: "speakers.finish" });
    const before = await chair.sync();
    const cases: [TestClient, unknown, string][] = [
      [chair, { type: "agenda.fly" }, "invalid"],
      [chair, { title: "no type" }, "invalid"],
      [chair, "agenda.add", "invalid"],
      [chair, null, "invalid"],
      [chair, [{ type: "agenda.add", title: "x" }], "invalid"],
      [chair, { type: "agenda.add" }, "invalid"],
      [chair, { type: "agenda.add", title: "x", colour: "red" }, "invalid"],
      [chair, { type: "agenda.add", title: "x".repeat(201) }, "invalid"],
      [chair, { type: "agenda.add", title: 7 }, "invalid"],
      [chair, { type: "agenda.move", itemId: "x", toIndex: -1 }, "invalid"],
      [chair, { type: "speakers.request", kind: "rant" }, "invalid"],
      [chair, { type: "speakers.setLimit", seconds: 1.5 }, "invalid"],
      [d, { type: "agenda.add", title: "x" }, "forbidden"],
      [d, { type: "polls.create", question: "x" }, "forbidden"],
      [d, { type: "conference.end" }, "forbidden"],
      [chair, { type: "agenda.remove", itemId: "nope" }, "not_found"],
      [chair, { type: "polls.open", pollId: "nope" }, "not_found"],
      [chair, { type: "speakers.grant", requestId: "nope" }, "not_found"],
      [chair, { type: "conference.start" }, "conflict"], // already live
      [chair, { type: "speakers.finish" }, "conflict"],
    ];
    for (const [who, payload, code] of cases) {
      const ack = await who.command(payload as Record<string, unknown>);
      expect(ack, JSON.stringify(payload)).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    }
    const after = await chair.sync();
    expect(after.ok && after.state.seq).toBe(before.ok && before.state.seq);
    expect(after.ok && after.state.agenda).toEqual(before.ok && before.state.agenda);
  });
});

describe("presence", () => {
  it("a second client sees `online` flip as others connect and leave", async () => {
    const p = await addParticipant(srv.url, conf, { name: "Đến muộn", role: "delegate" });
    const watcher = await client(conf.chairToken);
    expect(watcher.snapshot!.participants.find((x) => x.id === p.id)!.online).toBe(false);
    const seen: PresenceChange[] = [];
    const waitPresence = (online: boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (seen.some((c) => c.participantId === p.id && c.online === online)) {
            watcher.socket.off("presence", onPresence);
            resolve();
          }
        };
        const onPresence = (changes: PresenceChange[]) => {
          seen.push(...changes);
          check();
        };
        watcher.socket.on("presence", onPresence);
        check();
      });
    const cameOnline = waitPresence(true);
    const late = await TestClient.connect(srv.url, p.token);
    await cameOnline;
    let sync = await watcher.sync();
    expect(sync.ok && sync.state.participants.find((x) => x.id === p.id)!.online).toBe(true);
    const wentOffline = waitPresence(false);
    late.close();
    await wentOffline;
    sync = await watcher.sync();
    expect(sync.ok && sync.state.participants.find((x) => x.id === p.id)!.online).toBe(false);
  });

  it("presence.set changes attendance for the caller only", async () => {
    const p = await addParticipant(srv.url, conf, { name: "Tại hội trường", role: "observer", attendance: "hall" });
    const c = await client(p.token);
    const ack = await c.must({ type: "presence.set", attendance: "online" });
    await c.waitForSeq(ack.seq);
    const event = c.events.find((e) => e.seq === ack.seq)!;
    expect(event).toMatchObject({ type: "participant.attendance_set", data: { participantId: p.id, attendance: "online" } });
    // no change, no event
    const same = await c.must({ type: "presence.set", attendance: "online" });
    expect(same.seq).toBe(ack.seq);
  });
});
