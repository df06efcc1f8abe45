import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { arrivalsOf, hasVoted } from "../../shared/domain/index.ts";
import type { WireEvent } from "../../shared/events.ts";
import type { Role } from "../../shared/roles.ts";
import type { ConferenceState } from "../../shared/state.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import { ConferenceRoom, foldLogBatch, TURNOUT_WINDOW_MS } from "../../server/conferences/ConferenceRoom.ts";
import type { ConferenceFile, ConferenceStore, LogBatch, StoredConference } from "../../server/storage/ConferenceStore.ts";
import { CONFERENCE_LOG, FileConferenceStore } from "../../server/storage/FileConferenceStore.ts";
import { decodeRecords } from "../../server/storage/recordLog.ts";
import { emptyConference } from "../support/domain.ts";
import { connectMany, joinMany } from "../support/integration.ts";
import { createConference, makeDataDir, startServer, TestClient } from "../support/server.ts";

/**
 * The turnout window's log: a batch that adds ballots (or arrivals) to an event already numbered
 * is stored as an `extending` record under the same seq; a restart folds every such record in, so
 * each acked vote counts exactly once and the seq goes on where it was.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The log's records as stored (after the snapshot file's `logNext`). */
function logRecords(conferenceDir: string): LogBatch[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(conferenceDir, CONFERENCE_LOG));
  } catch {
    return [];
  }
  return decodeRecords(bytes).updates.map((u) => JSON.parse(Buffer.from(u).toString("utf8")) as LogBatch);
}

const pollOf = (state: ConferenceState, pollId: string) => state.polls.find((p) => p.id === pollId)!;

describe("restart after a burst of votes (real server, same data directory)", () => {
  it("keeps every acked vote exactly once and continues the seq", async () => {
    const N = 40;
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    let srv = await startServer({ dataDir });
    const conf = await createConference(srv.url, { title: "Khởi động lại sau biểu quyết" });
    const chair = await TestClient.connect(srv.url, conf.chairToken);
    const joined = await joinMany(srv.url, conf, N, { concurrency: 20 });
    const delegates = await connectMany(srv.url, joined.map((j) => j.token), 20);
    const late = await joinMany(srv.url, conf, 3, { prefix: "Đến muộn" });

    const pollIds: string[] = [];
    for (const question of ["Nghị quyết 1", "Nghị quyết 2"]) {
      const created = await chair.must({ type: "polls.create", question, base: "registered" });
      pollIds.push(created.id as string);
      await chair.must({ type: "polls.open", pollId: created.id as string });
    }
    const choice = (i: number, k: number) => (["yes", "no", "abstain"] as const)[(i + k) % 3]!;
    const expected = pollIds.map((_, k) => {
      const tally = { yes: 0, no: 0, abstain: 0 };
      for (let i = 0; i < N; i++) tally[choice(i, k)]++;
      return tally;
    });
    // Waves of five, each sent once the one before is acked: separate writes, most of them
    // extending the window the first one opened; the late arrivals check in among them.
    const acks: Ack[] = [];
    let lateClients: TestClient[] = [];
    for (let from = 0; from < N; from += 5) {
      const wave = delegates.slice(from, from + 5);
      const votes = wave.flatMap((d, j) => pollIds.map((pollId, k) => d.must({ type: "polls.vote", pollId, optionId: choice(from + j, k) })));
      if (from === 10) lateClients = await connectMany(srv.url, late.map((j) => j.token));
      acks.push(...(await Promise.all(votes)));
    }
    expect(acks).toHaveLength(N * pollIds.length);
    expect(acks.every((a) => a.ok)).toBe(true);
    const lastSeq = Math.max(...acks.map((a) => (a.ok ? a.seq : 0)));
    await chair.waitForSeq(lastSeq);
    const before = await chair.sync();
    if (!before.ok) throw new Error("sync refused");
    for (const pollId of pollIds) expect(pollOf(before.state, pollId).votesCast).toBe(N);
    const seqBefore = before.state.seq;
    expect(seqBefore).toBeGreaterThanOrEqual(lastSeq);
    for (const c of [chair, ...delegates, ...lateClients]) c.close();
    await srv.stop();

    const records = logRecords(join(dataDir, "conferences", conf.id));
    const extending = records.filter((r) => r.extending);
    console.info(`${records.length} log records, ${extending.length} extending`);
    // what the log holds: every vote once, across plain and extending records
    const logged = records.flatMap((r) => r.events).filter((e): e is Extract<WireEvent, { type: "poll.votes_cast" }> => e.type === "poll.votes_cast");
    for (const pollId of pollIds) {
      const keys = logged.filter((e) => e.data.pollId === pollId).flatMap((e) => e.data.ballots.map((b) => b.voterKey));
      expect(keys).toHaveLength(N);
      expect(new Set(keys).size).toBe(N);
    }

    srv = await startServer({ dataDir });
    try {
      const again = await TestClient.connect(srv.url, conf.chairToken);
      const s = again.snapshot!;
      expect(s.seq).toBe(seqBefore);
      for (const pollId of pollIds) {
        const poll = s.polls.find((p) => p.id === pollId)!;
        expect(poll.votesCast).toBe(N);
        expect(poll.voters.slice().sort()).toEqual(joined.map((j) => `person:${j.id}`).sort());
        expect(poll.voters.slice().sort()).toEqual(pollOf(before.state, pollId).voters.slice().sort());
      }
      for (const j of late) expect(s.participants.find((p) => p.id === j.id)!.checkedInAt).not.toBeNull();
      // a voter from before: still voted, a second vote still refused
      const d = await TestClient.connect(srv.url, joined[7]!.token);
      expect(d.snapshot!.polls.find((p) => p.id === pollIds[0])).toMatchObject({ voted: true, votesCast: N, voters: [`person:${joined[7]!.id}`] });
      expect(await d.command({ type: "polls.vote", pollId: pollIds[0]!, optionId: "yes" })).toMatchObject({ ok: false, error: { code: "conflict" } });
      // the seq goes on; the tally is exact (counts folded once) with the chair's vote added
      const chairVote = await again.must({ type: "polls.vote", pollId: pollIds[1]!, optionId: "yes" });
      expect(chairVote.seq).toBe(seqBefore + 1);
      const closes = [];
      for (const pollId of pollIds) closes.push(await again.must({ type: "polls.close", pollId }));
      await again.waitForSeq(closes.at(-1)!.seq);
      expect(again.events.map((e) => e.seq)).toEqual(Array.from({ length: closes.at(-1)!.seq - seqBefore }, (_, i) => seqBefore + 1 + i));
      const after = await again.sync();
      if (!after.ok) throw new Error("sync refused");
      expect(pollOf(after.state, pollIds[0]!).tally).toEqual(expected[0]);
      expect(pollOf(after.state, pollIds[1]!).tally).toEqual({ ...expected[1]!, yes: expected[1]!.yes + 1 });
      d.close();
      again.close();
    } finally {
      await srv.dispose();
    }
  });
});

/** A file store whose appends the test may hold until it releases them. */
class GatedStore implements ConferenceStore {
  readonly inner: FileConferenceStore;
  #gate: Promise<void> | null = null;
  #open: (() => void) | null = null;
  #arrived: (() => void) | null = null;
  /** Resolves once an append waits at the gate. */
  waiting: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.inner = new FileConferenceStore(dir);
  }

  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
    this.waiting = new Promise((resolve) => (this.#arrived = resolve));
  }

  release(): void {
    this.#gate = null;
    this.#open?.();
  }

  load(): Promise<StoredConference | null> {
    return this.inner.load();
  }

  async append(batch: Omit<LogBatch, "n">): Promise<void> {
    const gate = this.#gate;
    if (gate) {
      this.#arrived?.();
      await gate;
    }
    return this.inner.append(batch);
  }

  write(file: ConferenceFile): Promise<void> {
    return this.inner.write(file);
  }

  get logRecords() {
    return this.inner.logRecords;
  }

  get logBytes() {
    return this.inner.logBytes;
  }

  get bytesWritten() {
    return this.inner.bytesWritten;
  }
}

/**
 * A room on disk with a chair and `delegates` delegates (not checked in), one named poll open
 * (base `registered`); the window's timer under the test's hand (only setTimeout is faked: the
 * group commit's turn and the file system run as ever).
 */
async function roomWithPoll(delegates: number, polls = 1) {
  const dir = await makeDataDir();
  dirs.push(dir);
  const store = new GatedStore(dir);
  const broadcasts: WireEvent[][] = [];
  const order: string[] = [];
  const r = await ConferenceRoom.create(
    dir,
    emptyConference(),
    (_room, events) => {
      broadcasts.push(events);
      order.push(`broadcast ${events.map((e) => e.seq).join(",")}`);
    },
    store,
  );
  const add = async (name: string, role: Role) => {
    const ack = await r.addParticipant({ name, role, attendance: "hall", via: "chair" }, `hash-${name}`);
    if (!ack.ok) throw new Error("add refused");
    return { participantId: ack.id as string, role } as const;
  };
  const chair = await add("chair", "chair");
  const people = [];
  for (let i = 0; i < delegates; i++) people.push(await add(`d${i}`, "delegate"));
  const pollIds: string[] = [];
  for (let k = 0; k < polls; k++) {
    const created = await r.execute({ type: "polls.create", question: `P${k}`, base: "registered" }, chair);
    if (!created.ok) throw new Error("create refused");
    pollIds.push(created.id as string);
    await r.execute({ type: "polls.open", pollId: created.id as string }, chair);
  }
  await r.settled();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  broadcasts.length = 0;
  order.length = 0;
  return { dir, store, room: r, chair, people, pollIds, broadcasts, order };
}

const must = async (ack: Promise<Ack>) => {
  const a = await ack;
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};

describe("the turnout window in the log (a room, its timer faked)", () => {
  it("votes and check-ins in separate writes share their events' seqs, broadcast once; the extending records fold back to each once", async () => {
    const { dir, room: r, people, pollIds, broadcasts } = await roomWithPoll(12, 2);
    const seq0 = r.published.seq;
    const acks: Ack[] = [];
    // one write per vote or arrival, every one awaited: twelve voters in two polls, four arrivals
    for (const [i, person] of people.entries()) {
      for (const [k, pollId] of pollIds.entries()) {
        acks.push(await must(r.execute({ type: "polls.vote", pollId, optionId: (i + k) % 2 ? "no" : "yes" }, person)));
      }
      if (i % 3 === 1) acks.push(await must(r.recordArrival(person.participantId)));
    }
    // all acked, nothing broadcast yet: the window is open until its time is up
    expect(broadcasts).toEqual([]);
    expect(new Set(acks.map((a) => a.ok && a.seq))).toEqual(new Set([seq0 + 1, seq0 + 2, seq0 + 3]));
    // `published` (what a snapshot shows once the window is broadcast) lacks them until then
    expect(pollOf(r.published, pollIds[0]!).votesCast).toBe(0);

    vi.advanceTimersByTime(TURNOUT_WINDOW_MS - 1);
    expect(broadcasts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(broadcasts).toHaveLength(1);
    const events = broadcasts[0]!;
    expect(events.map((e) => e.seq)).toEqual([seq0 + 1, seq0 + 2, seq0 + 3]);
    const byPoll = (pollId: string) => events.filter((e) => e.type === "poll.votes_cast" && e.data.pollId === pollId);
    for (const pollId of pollIds) {
      expect(byPoll(pollId)).toHaveLength(1);
      const ballots = byPoll(pollId)[0]!.type === "poll.votes_cast" ? (byPoll(pollId)[0] as Extract<WireEvent, { type: "poll.votes_cast" }>).data.ballots : [];
      expect(ballots.map((b) => b.voterKey)).toEqual(people.map((p) => `person:${p.participantId}`));
    }
    const arrivals = events.flatMap((e) => arrivalsOf(e) ?? []);
    expect(arrivals.map((a) => a.participantId)).toEqual(people.filter((_, i) => i % 3 === 1).map((p) => p.participantId));
    for (const pollId of pollIds) expect(pollOf(r.published, pollId).votesCast).toBe(people.length);

    // in the log: the first write plain, every later one extending, each ballot in one record
    const records = logRecords(dir).filter((rec) => rec.events.some((e) => e.seq > seq0));
    const writes = people.length * pollIds.length + arrivals.length;
    expect(records).toHaveLength(writes);
    expect(records[0]!.extending).toBeUndefined();
    expect(records.slice(1).every((rec) => rec.extending)).toBe(true);

    // reopened as a restart would: the same state, each vote and counts once
    const reopened = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(reopened.published.seq).toBe(seq0 + 3);
    for (const [k, pollId] of pollIds.entries()) {
      const poll = pollOf(reopened.published, pollId);
      expect(poll.voters).toEqual(pollOf(r.published, pollId).voters);
      expect(poll.votesCast).toBe(people.length);
      const yes = people.filter((_, i) => (i + k) % 2 === 0).length;
      expect(poll.counts).toEqual({ yes, no: people.length - yes, abstain: 0 });
      expect(poll.ballots).toHaveLength(people.length);
    }
    for (const [i, p] of people.entries()) {
      expect(reopened.published.participants.find((x) => x.id === p.participantId)!.checkedInAt !== null).toBe(i % 3 === 1);
    }
    expect(reopened.published).toEqual(r.published);
  });

  it("foldLogBatch: a plain record already in the state is skipped; an extending one is folded with the seq unchanged", async () => {
    const { dir, room: r, people, pollIds } = await roomWithPoll(3);
    const seq0 = r.published.seq;
    for (const person of people) await must(r.execute({ type: "polls.vote", pollId: pollIds[0]!, optionId: "yes" }, person));
    await r.settled();
    const records = logRecords(dir).filter((rec) => rec.events.some((e) => e.seq > seq0));
    expect(records.map((rec) => rec.extending ?? false)).toEqual([false, true, true]);
    const before = (await ConferenceRoom.open(dir, () => undefined))!;
    // fold from a state as of seq0 (the poll open, no votes): rebuild it from the reopened one
    const base: ConferenceState = {
      ...before.published,
      seq: seq0,
      polls: before.published.polls.map((p) => ({ ...p, voters: [], votesCast: 0, ballots: [], counts: { yes: 0, no: 0, abstain: 0 } })),
    };
    const folded = records.reduce(foldLogBatch, base);
    expect(folded.seq).toBe(seq0 + 1);
    expect(pollOf(folded, pollIds[0]!).voters).toEqual(people.map((p) => `person:${p.participantId}`));
    expect(pollOf(folded, pollIds[0]!).counts).toEqual({ yes: 3, no: 0, abstain: 0 });
    // the first, plain record again: already in the state, skipped
    const again = foldLogBatch(folded, records[0]!);
    expect(again).toBe(folded);
  });

  it("a snapshot read while a write of the window is under way is the state before the window; the broadcast that follows carries every vote", async () => {
    const { store, room: r, people, pollIds, broadcasts, order } = await roomWithPoll(3);
    const [a, b] = people;
    const pollId = pollIds[0]!;
    const seq0 = r.published.seq;
    const ackA = await must(r.execute({ type: "polls.vote", pollId, optionId: "yes" }, a!));
    expect(ackA.seq).toBe(seq0 + 1);
    store.hold();
    const pendingB = r.execute({ type: "polls.vote", pollId, optionId: "no" }, b!).then((ack) => {
      order.push("ack b");
      return ack;
    });
    await store.waiting;
    // A was acked; B's write is under way. The snapshot closes the window (it holds votes) but may
    // not broadcast it yet: it shows the state before the window, older than A's ack.
    const snapshot = r.latest();
    expect(snapshot.seq).toBe(seq0);
    expect(hasVoted(pollOf(snapshot, pollId), { id: a!.participantId, organisationId: null })).toBe(false);
    expect(broadcasts).toEqual([]);
    store.release();
    const ackB = await must(pendingB);
    expect(ackB.seq).toBe(seq0 + 1);
    // the window went out once B was stored, without waiting for its timer: both votes, above the snapshot's seq
    expect(broadcasts).toHaveLength(1);
    const [event] = broadcasts[0]!;
    expect(event).toMatchObject({ seq: seq0 + 1, type: "poll.votes_cast" });
    expect(event!.type === "poll.votes_cast" && event!.data.ballots.map((x) => x.voterKey)).toEqual([`person:${a!.participantId}`, `person:${b!.participantId}`]);
    expect(pollOf(r.latest(), pollId).voters).toHaveLength(2);
    console.info(`order once B's write finished: ${order.join(" → ")}`);
    // a vote after it opens a new window, next in the seq
    const ackC = await must(r.execute({ type: "polls.vote", pollId, optionId: "yes" }, people[2]!));
    expect(ackC.seq).toBe(seq0 + 2);
    expect(broadcasts).toHaveLength(1);
    vi.advanceTimersByTime(TURNOUT_WINDOW_MS);
    expect(broadcasts.map((batch) => batch.map((e) => e.seq))).toEqual([[seq0 + 1], [seq0 + 2]]);
  });

  it("any other change broadcasts the window first; check-ins alone do not close it for a snapshot", async () => {
    const { room: r, chair, people, pollIds, broadcasts } = await roomWithPoll(4);
    const seq0 = r.published.seq;
    await must(r.recordArrival(people[0]!.participantId));
    await must(r.recordArrival(people[1]!.participantId));
    // only check-ins: a snapshot leaves the window open (and shows neither yet)
    const snap = r.latest();
    expect(snap.seq).toBe(seq0);
    expect(broadcasts).toEqual([]);
    await must(r.execute({ type: "polls.vote", pollId: pollIds[0]!, optionId: "yes" }, people[2]!));
    expect(broadcasts).toEqual([]);
    const agenda = await must(r.execute({ type: "agenda.add", title: "Mục mới" }, chair));
    expect(agenda.seq).toBe(seq0 + 3);
    expect(broadcasts.map((batch) => batch.map((e) => [e.seq, e.type]))).toEqual([
      [
        [seq0 + 1, "participants.checked_in"],
        [seq0 + 2, "poll.votes_cast"],
      ],
      [[seq0 + 3, "agenda.item_added"]],
    ]);
    // the window is gone: its timer broadcasts nothing more
    vi.advanceTimersByTime(TURNOUT_WINDOW_MS * 2);
    expect(broadcasts).toHaveLength(2);
    expect(r.published.seq).toBe(seq0 + 3);
  });
});
