/**
 * Issue 12, item 6: secret ballots must not be linkable from the data files. An attacker copies
 * every file in DATA_DIR after every ack the test receives, then works on the sequence of copies:
 * each write of a secret poll adds either nobody or at least SECRET_BATCH voters at once, the stored
 * voters are sorted (not in the order they voted), no file holds the pool or a time per vote, and
 * an actual linking attempt (the choices consistent with the counts' change of the batch a voter
 * first appears in) links nobody. Every acked vote is counted once; a double vote while the first
 * is pooled is `conflict`; kill -9 with votes in the pool loses only unacked votes.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWireEvent, evolve } from "../../shared/domain/index.ts";
import { decide } from "../../shared/domain/decide.ts";
import { foldLogBatch } from "../../server/conferences/ConferenceRoom.ts";
import { CONFERENCE_LOG } from "../../server/storage/FileConferenceStore.ts";
import type { LogBatch } from "../../server/storage/ConferenceStore.ts";
import { decodeRecords } from "../../server/storage/recordLog.ts";
import { poolVotes, releasePool, SECRET_BATCH, withoutPools } from "../../shared/domain/polls.ts";
import type { WireEvent } from "../../shared/events.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { ConferenceState, Poll } from "../../shared/state.ts";
import { connectMany, joinMany, walk, type Joined } from "../support/integration.ts";
import { actor, participant, testContext, withParticipants, emptyConference } from "../support/domain.ts";
import { createConference, makeDataDir, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";
import { spawnServer } from "../support/spawnServer.ts";

const K = SECRET_BATCH;
const MOTION = ["yes", "no", "abstain"] as const;

/** What a stored poll may hold: nothing per vote (no times, no pool, no ballots of a secret poll). */
const STORED_POLL_KEYS = new Set([
  "id", "itemId", "kind", "question", "options", "status", "secret", "weighting", "majority", "createdAt", "openedAt",
  "closedAt", "eligible", "eligibleKeys", "voters", "votesCast", "tally", "outcome", "winnerOptionId", "ballots", "counts",
  // v1.1: the base, the cluster, the proxies fixed at opening, the hall counts: nothing of a voter's choice
  "base", "cluster", "proxies", "hallCounts",
  // issue 16: an election's seats and everyone it elected
  "seats", "winnerOptionIds",
]);

const isSorted = (keys: readonly string[]) => keys.every((k, i) => i === 0 || keys[i - 1]! < k);

describe("the pool, as pure rules", () => {
  const ctx = testContext();
  const people = Array.from({ length: 12 }, (_, i) => participant(`v${String(i).padStart(2, "0")}`, "delegate"));
  const start = () => {
    let state = withParticipants(emptyConference(), [participant("chair", "chair"), ...people]);
    const created = decide(state, { type: "polls.create", question: "Kín?", secret: true, base: "registered" }, actor("chair"), ctx);
    if (!created.ok) throw new Error("create refused");
    state = created.events.reduce(evolve, state);
    const pollId = created.result!.id as string;
    const opened = decide(state, { type: "polls.open", pollId }, actor("chair"), ctx);
    if (!opened.ok) throw new Error("open refused");
    return { state: opened.events.reduce(evolve, state), pollId };
  };
  const vote = (state: ConferenceState, who: string, pollId: string, optionId: string) =>
    decide(state, { type: "polls.vote", pollId, optionId }, actor(who, "delegate"), ctx);

  it("holds votes until 2K, then releases all but the newest K, sorted by voter key; refuses a pooled voter again", () => {
    let { state, pollId } = start();
    const poll = () => state.polls.find((p) => p.id === pollId)!;
    // in descending key order, so that the order of arrival is not the sorted one
    const order = [...people].reverse();
    for (const [i, p] of order.entries()) {
      const decision = vote(state, p.id, pollId, MOTION[i % 3]!);
      if (!decision.ok || decision.events[0]?.type !== "poll.votes_cast") throw new Error("vote refused");
      state = poolVotes(state, decision.events[0]);
      expect(vote(state, p.id, pollId, "yes")).toMatchObject({ ok: false, error: { code: "conflict" } });
      const due = releasePool(poll(), "due");
      if (i + 1 < 2 * K) {
        expect(due).toBeNull();
        expect(poll().voters).toEqual([]);
        continue;
      }
      if (i + 1 === 2 * K) {
        expect(due!.data.ballots.map((b) => b.voterKey)).toEqual(order.slice(0, K).map((x) => `person:${x.id}`).sort());
        state = evolve(state, due!);
        expect(poll().voters).toEqual(order.slice(0, K).map((x) => `person:${x.id}`).sort());
        expect(poll().pool).toHaveLength(K);
        expect(poll().counts).toEqual({ yes: 2, no: 2, abstain: 1 });
      } else {
        expect(due).toBeNull(); // 11 and 12 pooled: 7 in the pool, fewer than 2K
      }
    }
    expect(poll().pool).toHaveLength(order.length - K);
    expect(withoutPools(state).polls.find((p) => p.id === pollId)).not.toHaveProperty("pool");
    // closing stores the rest with the close, in one decision
    const closed = decide(state, { type: "polls.close", pollId }, actor("chair"), ctx);
    if (!closed.ok) throw new Error("close refused");
    expect(closed.events.map((e) => e.type)).toEqual(["poll.votes_cast", "poll.closed"]);
    const rest = closed.events[0]!.type === "poll.votes_cast" ? closed.events[0]!.data.ballots : [];
    expect(rest.map((b) => b.voterKey)).toEqual(order.slice(K).map((x) => `person:${x.id}`).sort());
    state = closed.events.reduce(evolve, state);
    expect(poll()).toMatchObject({ status: "closed", votesCast: 12, tally: { yes: 4, no: 4, abstain: 4 } });
    expect(poll()).not.toHaveProperty("pool");
    expect(isSorted(poll().voters)).toBe(true);
  });
});

/** Every regular file under `dir`, read now; a file renamed away while we read it is skipped. */
async function copyAll(dir: string): Promise<{ path: string; text: string; bytes: Buffer }[]> {
  const out: { path: string; text: string; bytes: Buffer }[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await copyAll(path)));
    else if (entry.isFile()) {
      try {
        const bytes = await readFile(path);
        out.push({ path, text: bytes.toString("utf8"), bytes });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }
  return out;
}

/** The log's batches in one copy of a conference's files (a torn tail is what a crash would leave: ignored, as the server does). */
function logBatchesOf(copy: { path: string; bytes: Buffer }[], conferenceId: string): LogBatch[] {
  const log = copy.find((f) => f.path.includes(conferenceId) && f.path.endsWith(CONFERENCE_LOG));
  return log ? decodeRecords(log.bytes).updates.map((u) => JSON.parse(Buffer.from(u).toString("utf8")) as LogBatch) : [];
}

/**
 * The distinct stored states of a conference seen in the copies, in the order they were written:
 * each copy's snapshot with its log folded in, as the server would load it, and every state
 * between (each batch of the log is one write the copier could have caught on its own).
 */
function storedStates(copies: { path: string; text: string; bytes: Buffer }[][], conferenceId: string): ConferenceState[] {
  const bySeq = new Map<number, string>();
  for (const copy of copies) {
    for (const file of copy) {
      if (!file.path.includes(conferenceId) || !/conference\.json(\.tmp)?$/.test(file.path)) continue;
      let stored: { state: ConferenceState; logNext?: number };
      try {
        stored = JSON.parse(file.text) as { state: ConferenceState; logNext?: number };
      } catch {
        continue; // a temporary file caught while being written
      }
      const states = [stored.state];
      for (const batch of logBatchesOf(copy, conferenceId).filter((b) => b.n >= (stored.logNext ?? 0))) {
        const state = foldLogBatch(states.at(-1)!, batch);
        if (state !== states.at(-1)) states.push(state);
      }
      for (const state of states) {
        const text = JSON.stringify(state);
        // Every write carries at least one event or later ballots or check-ins of one (the same
        // seq, more voters or arrivals): one write order, one content for each place in it.
        const key = writeOrder(state);
        if (bySeq.has(key)) expect(bySeq.get(key)).toBe(text);
        bySeq.set(key, text);
      }
    }
  }
  return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => JSON.parse(text) as ConferenceState);
}

/** Where a stored state falls in the order of writes: by seq, and within one seq by the votes and check-ins stored. */
function writeOrder(state: ConferenceState): number {
  const checkedIn = state.participants.filter((p) => p.checkedInAt != null).length;
  return state.seq * 1e6 + state.polls.reduce((n, p) => n + p.voters.length, 0) + checkedIn;
}

/** One write of a secret poll as the attacker sees it: who was added, and how the counts moved. */
interface Batch {
  voters: string[];
  delta: Record<string, number>;
  closing: boolean;
}

/** The attacker's reading of one secret poll across the stored states; checks each state on the way. */
function batchesOf(states: ConferenceState[], pollId: string): { batches: Batch[]; final: Poll } {
  const batches: Batch[] = [];
  let prev: Poll | undefined;
  for (const state of states) {
    const poll = state.polls.find((p) => p.id === pollId);
    if (!poll) continue;
    for (const key of Object.keys(poll)) expect(STORED_POLL_KEYS.has(key), `stored poll field ${key}`).toBe(true);
    expect(poll.ballots).toBeNull();
    expect(isSorted(poll.voters), `voters stored sorted at seq ${state.seq}`).toBe(true);
    expect(new Set(poll.voters).size).toBe(poll.voters.length);
    expect(poll.votesCast).toBe(poll.voters.length);
    if (prev) {
      const before = new Set(prev.voters);
      const added = poll.voters.filter((v) => !before.has(v));
      expect(prev.voters.every((v) => poll.voters.includes(v))).toBe(true);
      const was = (prev.status === "closed" ? prev.tally : prev.counts) ?? {};
      const now = (poll.status === "closed" ? poll.tally : poll.counts) ?? {};
      const delta = Object.fromEntries(poll.options.map((o) => [o.id, (now[o.id] ?? 0) - (was[o.id] ?? 0)]));
      expect(Object.values(delta).reduce((a, b) => a + b, 0)).toBe(added.length);
      const closing = prev.status === "open" && poll.status === "closed";
      if (added.length > 0) batches.push({ voters: added, delta, closing });
    }
    prev = poll;
  }
  return { batches, final: prev! };
}

/** The linking attempt: per voter, the options their batch's counts allow. */
function linkAttempt(batches: Batch[]): Map<string, string[]> {
  const consistent = new Map<string, string[]>();
  for (const batch of batches) {
    const possible = Object.entries(batch.delta)
      .filter(([, n]) => n > 0)
      .map(([o]) => o);
    for (const v of batch.voters) consistent.set(v, possible);
  }
  return consistent;
}

describe("someone copying every data file after every ack", () => {
  let srv: TestServer;
  let conf: Conference;
  let chair: TestClient;
  let joined: Joined[];
  let delegates: TestClient[];
  const copies: { path: string; text: string; bytes: Buffer }[][] = [];
  const copying: Promise<void>[] = [];

  beforeAll(async () => {
    srv = await startServer();
    conf = await createConference(srv.url, { title: "Bầu cử kín" });
    chair = await TestClient.connect(srv.url, conf.chairToken);
    // 23 delegates: two per organisation, "Hội 11" has one
    joined = await joinMany(srv.url, conf, 23, { organisationOf: (i) => `Hội ${Math.floor(i / 2)}` });
    delegates = await connectMany(srv.url, joined.map((j) => j.token));
  }, 60_000);
  afterAll(async () => {
    chair?.close();
    for (const d of delegates ?? []) d.close();
    await srv?.dispose();
  });

  /** Copies every file now, as the attacker does after each ack. */
  const copyNow = () => {
    const done = copyAll(srv.dataDir).then((files) => void copies.push(files));
    copying.push(done);
    return done;
  };
  /** Waits for an ack, then copies every file (without holding up whoever waits for the ack). */
  const watched = (ack: Promise<Ack>): Promise<Ack> =>
    ack.then(async (a) => {
      await copyNow();
      return a;
    });
  /** A command that changes nothing: its ack says that what the socket sent before is decided. */
  const noop = (client: TestClient) => {
    const me = client.snapshot!.participants.find((p) => p.id === client.snapshot!.me.id)!;
    return watched(client.must({ type: "presence.set", attendance: me.attendance }));
  };

  it("learns no voter's choice; every acked vote is counted once; a pooled voter cannot vote again", { timeout: 90_000 }, async () => {
    const mustOk = async (command: Record<string, unknown>) => {
      const ack = await watched(chair.must(command));
      return ack as Extract<Ack, { ok: true }>;
    };
    const motion = (await mustOk({ type: "polls.create", question: "Thông qua nhân sự (kín)?", secret: true })).id as string;
    const election = (await mustOk({ type: "polls.create", kind: "election", question: "Bầu Chủ tịch", options: ["Ứng viên A", "Ứng viên B", "Ứng viên C"], secret: true })).id as string;
    const byOrg = (await mustOk({ type: "polls.create", question: "Thông qua theo đơn vị (kín)?", secret: true, weighting: "organisation" })).id as string;
    for (const pollId of [motion, election, byOrg]) await mustOk({ type: "polls.open", pollId });
    const sync = await chair.sync();
    if (!sync.ok) throw new Error("sync refused");
    const candidates = sync.state.polls.find((p) => p.id === election)!.options.map((o) => o.id);
    expect(sync.state.polls.find((p) => p.id === byOrg)!.eligible).toBe(13); // 12 organisations and the chair

    const chairId = chair.snapshot!.me.id;
    const roster = sync.state.participants;
    const organisationIdOf = (id: string) => roster.find((p) => p.id === id)!.organisationId;
    interface Voter {
      client: TestClient;
      key: string;
      id: string;
    }
    const everyone: Voter[] = [
      { client: chair, id: chairId, key: `person:${chairId}` },
      ...joined.map((j, i) => ({ client: delegates[i]!, id: j.id, key: `person:${j.id}` })),
    ];
    // Voters in descending key order: the order of arrival is the reverse of the sorted one.
    const persons = [...everyone].sort((a, b) => (a.key < b.key ? 1 : -1));
    // For the organisation: the chair (no organisation) and the first member of each.
    const representatives: Voter[] = [
      { client: chair, id: chairId, key: `person:${chairId}` },
      ...joined.flatMap((j, i) => (i % 2 === 0 ? [{ client: delegates[i]!, id: j.id, key: `org:${organisationIdOf(j.id)}` }] : [])),
    ].sort((a, b) => (a.key < b.key ? 1 : -1));

    /** Every vote sent, with its choice, its ack, and whether the ack has come. */
    const cast: { pollId: string; key: string; optionId: string; ack: Promise<Ack>; acked: boolean }[] = [];
    const send = (pollId: string, voter: Voter, optionId: string) => {
      const sent = voter.client.command({ type: "polls.vote", pollId, optionId });
      const entry = { pollId, key: voter.key, optionId, ack: watched(sent), acked: false };
      void sent.then(() => (entry.acked = true));
      cast.push(entry);
    };
    const refusals: Ack[] = [];

    // The arrival order is fixed where it matters: batches are K consecutive arrivals (the pool
    // is first in, first out), so each choice is set by position. 24 voters per person: 10 one
    // after another (blocks 1–5 and 6–10 mix options), then a wave of 10 at once (at most 4 of an
    // option: no 5 of them agree), then a wave of 4 (not all alike; they close with 5 of the first wave).
    const choiceOf = (pollId: string, position: number) =>
      pollId === election ? candidates[(position + 1) % 3]! : MOTION[position % 3]!;
    const waves = (list: Voter[], sizes: number[]) => {
      const out: Voter[][] = [];
      let at = 0;
      for (const size of sizes) {
        out.push(list.slice(at, at + size));
        at += size;
      }
      return out;
    };
    const runPlan = async (pollIds: string[], list: Voter[], sizes: number[]) => {
      let position = 0;
      for (const [w, wave] of waves(list, sizes).entries()) {
        if (w === 0) {
          // one after another: the next vote goes once the last is decided (its no-op is acked)
          for (const voter of wave) {
            for (const pollId of pollIds) send(pollId, voter, choiceOf(pollId, position));
            await noop(voter.client);
            position++;
            if (position === 1) {
              // the first vote sits in the pool, unacked: the same voter again is a double vote
              for (const pollId of pollIds) refusals.push(await watched(voter.client.command({ type: "polls.vote", pollId, optionId: choiceOf(pollId, 1) })));
            }
          }
        } else {
          const start = position;
          wave.forEach((voter, i) => {
            for (const pollId of pollIds) send(pollId, voter, choiceOf(pollId, start + i));
          });
          position += wave.length;
          await Promise.all(wave.map((voter) => noop(voter.client)));
        }
      }
    };
    await runPlan([motion, election], persons, [10, 10, 4]);
    // 13 by organisation: 5 one after another, then 8 at once (at most 3 alike)
    await runPlan([byOrg], representatives, [5, 8]);
    // a second member of an organisation whose vote is pooled: already voted
    const second = delegates[1]!; // Hội 0; its representative's vote is in the pool
    refusals.push(await watched(second.command({ type: "polls.vote", pollId: byOrg, optionId: "yes" })));
    expect(refusals.length).toBe(4); // the first voter in each poll, and the second member
    for (const refusal of refusals) expect(refusal).toMatchObject({ ok: false, error: { code: "conflict" } });

    // Before the close, the chair hears of the batches stored so far: 24 votes make three of 5
    // (released at the 10th, 15th and 20th), 13 make one; the rest stay pooled and unacked.
    const storedVoters = (pollId: string) =>
      new Set(chair.events.flatMap((e) => (e.type === "poll.votes_cast" && e.data.pollId === pollId ? e.data.ballots.map((b) => b.voterKey) : [])));
    const storedBefore = { [motion]: 15, [election]: 15, [byOrg]: K };
    await chair.waitFor(() => Object.entries(storedBefore).every(([pollId, n]) => storedVoters(pollId).size >= n));
    for (const [pollId, n] of Object.entries(storedBefore)) {
      const stored = storedVoters(pollId);
      expect(stored.size).toBe(n);
      expect(cast.filter((c) => c.pollId === pollId && !stored.has(c.key) && c.acked)).toEqual([]);
    }

    for (const pollId of [motion, election, byOrg]) await mustOk({ type: "polls.close", pollId });
    const acks = await Promise.all(cast.map((c) => c.ack));
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    await Promise.all(copying);
    await srv.server.registry.settled();
    await copyNow();

    // The attacker's work.
    const states = storedStates(copies, conf.id);
    const secretPolls = new Set([motion, election, byOrg]);
    const totals: Record<string, number> = { [motion]: 24, [election]: 24, [byOrg]: 13 };
    const labels: Record<string, string> = { [motion]: "motion", [election]: "election", [byOrg]: "by organisation" };
    for (const pollId of [motion, election, byOrg]) {
      const { batches, final } = batchesOf(states, pollId);
      const total = totals[pollId]!;
      console.info(`${labels[pollId]}: ${states.length} stored states copied; voters added per write: ${batches.map((b) => b.voters.length).join(", ")}`);
      for (const batch of batches) {
        expect(batch.voters.length, `a write of ${pollId}`).toBeGreaterThanOrEqual(batch.closing ? Math.min(K, total) : K);
        expect(isSorted(batch.voters)).toBe(true);
      }
      // the copies are fine-grained enough to see each batch on its own (at least the first two)
      expect(batches[0]!.voters).toHaveLength(K);
      expect(batches.at(-1)!.closing).toBe(true);
      expect(batches.flatMap((b) => b.voters).sort()).toEqual(final.voters);
      // the linking attempt: nobody is pinned to one choice (no batch here is unanimous)
      const consistent = linkAttempt(batches);
      expect(consistent.size).toBe(total);
      const linked = [...consistent].filter(([, options]) => options.length === 1);
      expect(linked, `${pollId}: linked voters`).toEqual([]);

      // every acked vote is in the final tally, exactly once
      const mine = cast.filter((c) => c.pollId === pollId);
      expect(final.status).toBe("closed");
      expect(final.voters).toEqual(mine.map((c) => c.key).sort());
      const expected: Record<string, number> = Object.fromEntries(final.options.map((o) => [o.id, 0]));
      for (const c of mine) expected[c.optionId]! += 1;
      expect(final.tally).toEqual(expected);
    }
    // Nothing per vote anywhere in the files: no pool, no ballots of a secret poll, no vote times;
    // the log stores a secret poll's votes as voter keys and summed counts, never a choice.
    for (const copy of copies) {
      for (const batch of logBatchesOf(copy, conf.id)) {
        for (const event of batch.events) {
          if (event.type !== "poll.votes_cast" || !secretPolls.has(event.data.pollId)) continue;
          for (const ballot of event.data.ballots) expect(Object.keys(ballot), `a stored secret ballot at seq ${event.seq}`).toEqual(["voterKey"]);
          expect(event.data.counts, `a stored secret batch at seq ${event.seq}`).toBeDefined();
        }
      }
      for (const file of copy) {
        expect(file.text.includes('"pool"'), `${file.path} holds a pool`).toBe(false);
        let parsed: unknown;
        try {
          parsed = JSON.parse(file.text);
        } catch {
          continue;
        }
        walk(parsed, (node, path) => {
          if (node.secret === true) {
            for (const key of Object.keys(node)) expect(STORED_POLL_KEYS.has(key), `${file.path} ${path}.${key}`).toBe(true);
          }
        });
      }
    }

    // What clients heard: votes in steps of at least K (or with the close), without choices; each
    // ack carries the seq of the event that stored its vote.
    const lastSeq = Math.max(...acks.map((a) => (a.ok ? a.seq : 0)));
    await chair.waitForSeq(lastSeq + 1);
    const secretIds = new Set([motion, election, byOrg]);
    const voteEvents = chair.events.filter(
      (e): e is Extract<WireEvent, { type: "poll.votes_cast" }> => e.type === "poll.votes_cast" && secretIds.has(e.data.pollId),
    );
    for (const e of voteEvents) {
      const closes = chair.events.some((x) => x.seq === e.seq + 1 && x.type === "poll.closed" && x.data.pollId === e.data.pollId);
      expect(e.data.ballots.length).toBeGreaterThanOrEqual(closes ? 1 : K);
      for (const b of e.data.ballots) expect(Object.keys(b)).toEqual(["voterKey"]);
    }
    cast.forEach((c, i) => {
      const ack = acks[i] as Extract<Ack, { ok: true }>;
      const event = voteEvents.find((e) => e.seq === ack.seq);
      expect(event?.data.pollId).toBe(c.pollId);
      expect(event?.data.ballots.some((b) => b.voterKey === c.key)).toBe(true);
    });
  });
});

describe("kill -9 with votes in the pool", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it("keeps every acked vote; the unacked voters have not voted and vote again", { timeout: 90_000 }, async () => {
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await spawnServer(dataDir);
    cleanup.push(() => server.kill9());
    const conference = await createConference(server.url, { title: "Sự cố khi bỏ phiếu kín" });
    const chair = await TestClient.connect(server.url, conference.chairToken);
    const joined = await joinMany(server.url, conference, 12);
    const delegates = await connectMany(server.url, joined.map((j) => j.token));
    cleanup.push(() => [chair, ...delegates].forEach((c) => c.close()));
    const pollId = (await chair.must({ type: "polls.create", question: "Kín?", secret: true })).id as string;
    await chair.must({ type: "polls.open", pollId });

    // 12 votes one after another: the 10th releases the first 5; 7 stay in the pool, unacked.
    const acks: Promise<Ack | null>[] = [];
    for (const [i, d] of delegates.entries()) {
      acks.push(d.command({ type: "polls.vote", pollId, optionId: MOTION[i % 3]! }).catch(() => null));
      await d.must({ type: "presence.set", attendance: "online" });
    }
    const early = await Promise.all(acks.slice(0, K));
    expect(early.every((a) => a?.ok)).toBe(true);
    const ackedKeys = joined.slice(0, K).map((j) => `person:${j.id}`);
    await server.kill9();
    const lost = await Promise.all(acks.slice(K));
    expect(lost.every((a) => a === null)).toBe(true); // never acked: the sockets died with the server

    const restarted = await startServer({ dataDir });
    cleanup.push(() => restarted.stop());
    const chairAgain = await TestClient.connect(restarted.url, conference.chairToken);
    cleanup.push(() => chairAgain.close());
    const poll = chairAgain.snapshot!.polls.find((p) => p.id === pollId)!;
    expect(poll.voters).toEqual([...ackedKeys].sort());
    for (const file of await copyAll(dataDir)) expect(file.text.includes('"pool"')).toBe(false);

    // An acked voter is still refused; the unacked ones vote again (some choosing otherwise).
    const again = await Promise.all(joined.map((j) => TestClient.connect(restarted.url, j.token)));
    cleanup.push(() => again.forEach((c) => c.close()));
    expect(await again[0]!.command({ type: "polls.vote", pollId, optionId: "no" })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const revotes = again.slice(K).map((c) => c.command({ type: "polls.vote", pollId, optionId: "abstain" }));
    await Promise.all(again.slice(K).map((c) => c.must({ type: "presence.set", attendance: "online" })));
    await chairAgain.must({ type: "polls.close", pollId });
    expect((await Promise.all(revotes)).every((a) => a.ok)).toBe(true);
    const closed = await chairAgain.sync();
    if (!closed.ok) throw new Error("sync refused");
    const final = closed.state.polls.find((p) => p.id === pollId)!;
    // the first five as they voted (yes, no, abstain, yes, no), then seven abstentions
    expect(final).toMatchObject({ status: "closed", votesCast: 12, tally: { yes: 2, no: 2, abstain: 8 } });
    expect(final.voters).toEqual(joined.map((j) => `person:${j.id}`).sort());
  });
});
