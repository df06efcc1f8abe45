import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { arrivalsOf } from "../../shared/domain/index.ts";
import type { Snapshot } from "../../shared/view.ts";
import { readAllFiles, record } from "../support/integration.ts";
import { addParticipant, api, createConference, makeDataDir, startServer, TestClient } from "../support/server.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const sha256 = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** The parts of a snapshot that are stored (not presence, not the clock, not the viewer). */
function stored(s: Snapshot) {
  return {
    seq: s.seq,
    conference: s.conference,
    participants: s.participants.map(({ online: _online, ...p }) => p),
    agenda: s.agenda,
    currentItemId: s.currentItemId,
    speakers: s.speakers,
    polls: s.polls,
  };
}

describe("restart on the same data directory", () => {
  it("keeps every acked change, continues the seq, and old tokens still work", async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    let srv = await startServer({ dataDir });
    const conf = await createConference(srv.url, { title: "Bền vững", language: "en" });
    const d1 = await addParticipant(srv.url, conf, { name: "D1", organisation: "Hội A", role: "delegate" });
    const d2 = await addParticipant(srv.url, conf, { name: "D2", organisation: "Hội B", role: "delegate" });
    const d3 = await addParticipant(srv.url, conf, { name: "D3", role: "delegate" });
    const sec = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
    const joined = await api(srv.url, `/api/conferences/${conf.id}/join`, { body: { joinCode: conf.joinCode, name: "J", attendance: "online" } });
    const tokens = [conf.chairToken, d1.token, d2.token, d3.token, sec.token, joined.body.token as string];

    const chair = await TestClient.connect(srv.url, conf.chairToken);
    const c1 = await TestClient.connect(srv.url, d1.token);
    const c2 = await TestClient.connect(srv.url, d2.token);
    const cs = await TestClient.connect(srv.url, sec.token);
    const recs = [chair, c1, c2, cs].map(record);

    const a = (await chair.must({ type: "agenda.add", title: "A", plannedMinutes: 5 })).id as string;
    const b = (await cs.must({ type: "agenda.add", title: "B" })).id as string;
    const c = (await chair.must({ type: "agenda.add", title: "C", afterId: a })).id as string;
    await cs.must({ type: "agenda.update", itemId: b, presenter: "Presenter B" });
    await chair.must({ type: "agenda.move", itemId: b, toIndex: 0 });
    await chair.must({ type: "agenda.start", itemId: a });
    await c1.must({ type: "speakers.request", kind: "speech" });
    await chair.must({ type: "speakers.grant" });
    await chair.must({ type: "speakers.setLimit", seconds: 90 });
    await chair.must({ type: "agenda.start", itemId: c }); // a done, the speech into history
    await c2.must({ type: "speakers.request", kind: "question", note: "a note" });
    await cs.must({ type: "speakers.request", kind: "point_of_order", participantId: d3.id });
    await c1.must({ type: "speakers.request", kind: "speech" });
    await chair.must({ type: "speakers.grant" }); // d3 speaks now
    const draft = (await chair.must({ type: "polls.create", question: "Draft" })).id as string;
    const closed = (await chair.must({ type: "polls.create", question: "Closed", secret: true })).id as string;
    const open = (await chair.must({ type: "polls.create", question: "Open", kind: "election", options: ["X", "Y"], weighting: "organisation" })).id as string;
    await chair.must({ type: "polls.open", pollId: closed });
    // Secret votes are acked once stored in a batch, here with the close; a no-op after each on
    // the same socket shows it has been decided.
    const secretVotes = [
      c1.must({ type: "polls.vote", pollId: closed, optionId: "yes" }),
      c2.must({ type: "polls.vote", pollId: closed, optionId: "no" }),
      chair.must({ type: "polls.vote", pollId: closed, optionId: "yes" }),
    ];
    await Promise.all([c1, c2, chair].map((c) => c.must({ type: "presence.set", attendance: "hall" })));
    await chair.must({ type: "polls.close", pollId: closed });
    await Promise.all(secretVotes);
    await chair.must({ type: "polls.open", pollId: open });
    const optionX = chair.snapshot && (await chair.sync());
    const x = optionX && optionX.ok ? optionX.state.polls.find((p) => p.id === open)!.options[0]!.id : "";
    await c1.must({ type: "polls.vote", pollId: open, optionId: x });
    // a final burst, all acked before the stop
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? chair : cs).must({ type: "agenda.add", title: `Burst ${i}` })));
    const lastSeq = Math.max(...burst.map((ack) => ack.seq));
    await chair.waitForSeq(lastSeq);
    const before = await chair.sync();
    if (!before.ok) throw new Error("sync failed");
    expect(before.state.seq).toBe(lastSeq);
    for (const client of [chair, c1, c2, cs]) client.close();
    await srv.stop();

    // tokens appear in no message any client received, and in no file: only their sha256 hashes
    const files = await readAllFiles(dataDir);
    expect(files.length).toBeGreaterThan(0);
    const allFiles = files.map((f) => f.text).join("\n");
    const allMessages = JSON.stringify(recs.map((r) => r.messages)) + JSON.stringify([chair, c1, c2, cs].map((cl) => [cl.snapshot, cl.events]));
    for (const token of tokens) {
      expect(allFiles.includes(token)).toBe(false);
      expect(allMessages.includes(token)).toBe(false);
      expect(allFiles.includes(sha256(token))).toBe(true);
    }

    srv = await startServer({ dataDir });
    try {
      const chairAgain = await TestClient.connect(srv.url, conf.chairToken);
      expect(stored(chairAgain.snapshot!)).toEqual(stored(before.state));
      const s = chairAgain.snapshot!;
      expect(s.agenda.slice(0, 3).map((i) => [i.id, i.status])).toEqual([
        [b, "pending"],
        [a, "done"],
        [c, "active"],
      ]);
      expect(s.agenda).toHaveLength(43);
      expect(s.speakers.limitSeconds).toBe(90);
      expect(s.speakers.current).toMatchObject({ participantId: d3.id, kind: "point_of_order", itemId: c, limitSeconds: 90 });
      expect(s.speakers.queue.map((r) => r.participantId)).toEqual([d2.id, d1.id]);
      expect(s.speakers.history).toEqual([expect.objectContaining({ participantId: d1.id, itemId: a })]);
      expect(s.polls.map((p) => [p.id, p.status])).toEqual([
        [draft, "draft"],
        [closed, "closed"],
        [open, "open"],
      ]);
      expect(s.polls[1]).toMatchObject({ tally: { yes: 2, no: 1, abstain: 0 }, outcome: "adopted", ballots: null });

      // every old token still works; votes before the restart still count and still block
      const [again1, again2, again3] = await Promise.all([d1.token, d2.token, d3.token].map((t) => TestClient.connect(srv.url, t)));
      for (const t of [sec.token, joined.body.token]) (await TestClient.connect(srv.url, t)).close();
      expect(again1!.snapshot!.polls.find((p) => p.id === open)!.voted).toBe(true);
      expect(await again1!.command({ type: "polls.vote", pollId: open, optionId: x })).toMatchObject({ ok: false, error: { code: "conflict" } });
      await again2!.must({ type: "polls.vote", pollId: open, optionId: x });
      await again3!.must({ type: "speakers.finish" });
      // the seq continues where it was: d3 and J arrived for the first time (one event or two, as
      // they were stored together or not), a vote, a finish, the close
      const next = await chairAgain.must({ type: "polls.close", pollId: open });
      expect(next.seq - lastSeq).toBeGreaterThanOrEqual(3);
      expect(next.seq - lastSeq).toBeLessThanOrEqual(5);
      await chairAgain.waitForSeq(next.seq);
      expect(chairAgain.events.map((e) => e.seq)).toEqual(Array.from({ length: next.seq - lastSeq }, (_, k) => lastSeq + k + 1));
      expect(chairAgain.events.flatMap((e) => arrivalsOf(e) ?? [])).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ participantId: d3.id }),
          expect.objectContaining({ participantId: joined.body.id }),
        ]),
      );
      const after = await chairAgain.sync();
      expect(after.ok && after.state.polls.find((p) => p.id === open)).toMatchObject({ tally: { [x]: 2 }, votesCast: 2, outcome: "elected" });
      // REST with an old chair token
      expect((await api(srv.url, `/api/conferences/${conf.id}/participants`, { token: conf.chairToken, body: { name: "New", role: "observer" } })).status).toBe(201);
      for (const client of [chairAgain, again1!, again2!, again3!]) client.close();
    } finally {
      await srv.stop();
    }
  });

  it("acks and events come only once the change is in the file", async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const srv = await startServer({ dataDir });
    try {
      const conf = await createConference(srv.url);
      // The snapshot and the log of batches since (whose records hold their events as JSON text).
      const dir = join(dataDir, "conferences", conf.id);
      const stored = () => readFileSync(join(dir, "conference.json"), "utf8") + (existsSync(join(dir, "events.log")) ? readFileSync(join(dir, "events.log"), "utf8") : "");
      const chair = await TestClient.connect(srv.url, conf.chairToken);
      const watcher = await TestClient.connect(srv.url, conf.chairToken);
      const missingAtEvent: string[] = [];
      watcher.socket.on("event", (event) => {
        if (event.type !== "agenda.item_added") return;
        // read synchronously, on arrival: the file must already hold the item
        if (!stored().includes(event.data.item.id)) missingAtEvent.push(event.data.item.id);
      });
      const missingAtAck: string[] = [];
      const acks = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          chair.must({ type: "agenda.add", title: `Mục ${i}` }).then((ack) => {
            if (!stored().includes(ack.id as string)) missingAtAck.push(ack.id as string);
            return ack;
          }),
        ),
      );
      await watcher.waitForSeq(Math.max(...acks.map((a) => a.seq)));
      expect(missingAtAck).toEqual([]);
      expect(missingAtEvent).toEqual([]);
      expect(watcher.events.filter((e) => e.type === "agenda.item_added")).toHaveLength(60);
      chair.close();
      watcher.close();
    } finally {
      await srv.stop();
    }
  });

  it("stop waits for commands decided but not yet stored", async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    let srv = await startServer({ dataDir });
    const conf = await createConference(srv.url);
    const chair = await TestClient.connect(srv.url, conf.chairToken);
    // fire without waiting, then stop as soon as the first ack is in
    const pending = Array.from({ length: 100 }, (_, i) => chair.command({ type: "agenda.add", title: `P${i}` }).catch(() => null));
    await Promise.race(pending);
    await srv.stop();
    const acked = (await Promise.all(pending)).filter((ack) => ack?.ok) as unknown as { ok: true; id: string }[];
    expect(acked.length).toBeGreaterThan(0);
    chair.close();
    srv = await startServer({ dataDir });
    try {
      const again = await TestClient.connect(srv.url, conf.chairToken);
      const ids = new Set(again.snapshot!.agenda.map((i) => i.id));
      for (const ack of acked) expect(ids.has(ack.id)).toBe(true);
      again.close();
    } finally {
      await srv.stop();
    }
  });
});
