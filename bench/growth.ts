/**
 * Growth: what a conference costs as it grows, over a day and with its size.
 *
 * - `dayLong`: a whole day's meeting (1,000 participants joining through the join code, 10 agenda
 *   items, 200 speeches, 30 polls most of the hall votes in) replayed against our real server;
 *   bytes written to storage per command, the files at the end, and how long a restart from those
 *   files takes until the chair has the meeting back.
 * - `costBySize`: joins, snapshot, memory, fan-out and a vote burst for 10 … 5,000 participants,
 *   to see which costs grow with N and which faster than N.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { ConferenceRoom } from "../server/conferences/ConferenceRoom.ts";
import { LIMITS } from "../shared/limits.ts";
import { Child, emit, joinDelegates, json, median, now, percentile, RUNS, round, split, summary, tempDir } from "./lib.ts";
import { row, type Row } from "./scenarios.ts";

const SERVER = "processes/giaoBanServer.ts";
const CLIENTS = "processes/socketClients.ts";
const KiB = 1024;
const MiB = 1024 * 1024;

const verbose = process.env.BENCH_VERBOSE === "1";
const log = (...parts: unknown[]) => verbose && console.error("[growth]", ...parts);

// ——— small equivalents of scenarios.ts's helpers (not exported there) ———

type Ack = { ok: boolean; seq: number } & Record<string, any>;

async function startServer(dataDir: string): Promise<{ server: Child; url: string }> {
  const { child, ready } = await Child.start(SERVER, { DATA_DIR: dataDir });
  return { server: child, url: `http://127.0.0.1:${ready.port}` };
}

function startWorkers(count: number): Promise<Child[]> {
  return Promise.all(Array.from({ length: count }, () => Child.start(CLIENTS).then((w) => w.child)));
}

/** Tokens for one worker, and where they connect. */
interface Share {
  url: string;
  tokens: string[];
}

/**
 * Connects each worker to its shares of tokens, `chunk` at a time (a worker connects each message's
 * tokens in waves of 200, so a smaller chunk makes smaller waves); answers the time until all are in.
 */
async function connectWorkers(workers: Child[], perWorker: Share[][], chunk = Infinity): Promise<number> {
  const started = now();
  await Promise.all(
    workers.map(async (worker, i) => {
      for (const { url, tokens } of perWorker[i] ?? []) {
        for (let at = 0; at < tokens.length; at += chunk) {
          const connected = worker.next("connected");
          worker.send({ type: "connect", url, tokens: tokens.slice(at, at + chunk) });
          await within(connected, 600_000, "the worker's clients to connect");
        }
      }
    }),
  );
  return now() - started;
}

/**
 * Stops the children still running. (`Child.stop` waits for an exit that already happened when a
 * child killed by the signal is stopped twice, as `exitCode` stays null: so never twice.)
 */
async function stopAll(children: Child[]): Promise<void> {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) await child.stop();
  }
}

/** The promise, or a failure after `ms` (a client cut off never gets its event: fail, do not hang). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up waiting ${ms / 1000} s for ${what}`)), ms);
    }),
  ]);
}

/** Every worker client's arrival time of the event numbered `seq`. */
async function arrivals(workers: Child[], seq: number): Promise<number[]> {
  const replies = await within(Promise.all(workers.map((w) => w.ask({ type: "await", seq }, "arrivals"))), 120_000, `every client to have event ${seq}`);
  return replies.flatMap((r) => r.times as number[]);
}

/** A socket of our own, once the server has greeted it with its snapshot. */
function socketFor(url: string, token: string): Promise<{ socket: Socket; state: any; ms: number }> {
  const started = now();
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ["websocket"], forceNew: true, reconnection: false });
    socket.once("state", (state: unknown) => resolve({ socket, state, ms: now() - started }));
    socket.once("connect_error", reject);
  });
}


interface Stats {
  rss: number;
  heap: number;
  writes: number;
  bytes: number;
}

/** The server's memory (after a full GC) and its storage writes and bytes, summed over its conferences. */
async function serverStats(server: Child): Promise<Stats> {
  const s = await server.ask({ type: "stats" }, "stats");
  const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
  return { rss: s.rss, heap: s.heap, writes: sum(s.writes), bytes: sum(s.bytes) };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

/**
 * Notices each rewrite of conference.json (a compaction: the log folded into a new snapshot). The
 * file is replaced by a rename, so a new inode is a new snapshot, of the size it has. Sampled at
 * the points where bytes are counted; two rewrites between samples (4,000 log records) would count as one.
 */
function snapshotWatch(path: string) {
  let ino = -1;
  const watch = {
    rewrites: 0,
    bytes: 0,
    /** Samples the file; answers the bytes of a snapshot written since the last sample (0: none). */
    async sample(): Promise<number> {
      const file = await stat(path);
      if (file.ino === ino) return 0;
      const first = ino === -1;
      ino = file.ino;
      if (first) return 0;
      watch.rewrites++;
      watch.bytes += file.size;
      return file.size;
    },
  };
  return watch;
}

/**
 * A command's bytes in the log: the growth of events.log across its ack (nothing else is written
 * meanwhile); NaN when a snapshot was written instead (a compaction empties the log).
 */
async function logBytesOf<T>(conferenceDir: string, snapshots: ReturnType<typeof snapshotWatch>, run: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const log = join(conferenceDir, "events.log");
  await snapshots.sample();
  const before = await sizeOf(log);
  const result = await run();
  const rewritten = await snapshots.sample();
  return { result, bytes: rewritten > 0 ? NaN : (await sizeOf(log)) - before };
}

const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));

/** The poll's votes from the workers named (each worker's clients all vote for one option). */
async function voteWith(workers: Child[], pollId: string, options: string[], spreadMs: number) {
  const replies = await Promise.all(workers.map((w, i) => w.ask({ type: "vote", pollId, optionId: options[i]!, spreadMs }, "voted")));
  return replies.flatMap((r) => r.results as { ok: boolean; latency: number }[]);
}

const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);

// ——— 1. A day-long conference ———

const DAY = {
  participants: 1000,
  items: 10,
  speeches: 200,
  polls: 30,
  /** The delegates who speak (each also has a socket of our own, besides the worker's). */
  speakers: 40,
  /** The workers' shares of the delegates: which of them vote makes each poll's turnout (50 % to 100 %). */
  workerShares: [500, 300, 200],
  spreadMs: 500,
};

/** Which workers vote in poll `p`, and for what: turnouts of 100, 80, 70, 50 (500 + 0) and 50 (300 + 200) per cent. */
const TURNOUTS: number[][] = [[0, 1, 2], [0, 1], [0, 2], [0], [1, 2]];
const OPTIONS = ["yes", "yes", "no", "yes", "abstain"];

interface DayRun {
  commands: number;
  byKind: { joins: number; votes: number; other: number };
  votesAcked: number;
  voteAck: ReturnType<typeof summary>;
  bytes: number;
  bytesForVotes: number;
  writes: number;
  bytesPerCommand: number;
  /** New snapshots written during the day (compactions) and their bytes, part of `bytes`. */
  snapshotRewrites: number;
  snapshotBytes: number;
  /** Log bytes only (snapshots apart): per vote, and per other command (check-ins on connect included). */
  logBytesPerVote: number;
  logBytesPerOtherCommand: number;
  /** Medians over the day's polls: opening records the eligible keys, closing the named ballots. */
  logBytesPerPollOpen: number;
  logBytesPerPollClose: number;
  conferenceJsonBytes: number;
  eventsLogBytes: number;
  /** The whole state as one file at the end (conference.json as a rewrite-everything store would write it). */
  wholeFileBytes: number;
  startupReadyMs: number;
  startupChairSnapshotMs: number;
  /** Chair socket from its connect to its snapshot, on the restarted server. */
  chairSocketMs: number;
  /** The same server on an empty data directory: what start-up costs without any conference. */
  emptyStartupReadyMs: number;
  reloaded: { seq: number; seqBefore: number; participants: number; pollsClosed: number; history: number };
  phasesMs: Record<string, number>;
}

async function dayLongRun(): Promise<DayRun> {
  const dir = await tempDir();
  const empty = await tempDir();
  const children: Child[] = [];
  const sockets: Socket[] = [];
  const phasesMs: Record<string, number> = {};
  let phaseStart = now();
  const phase = (name: string) => {
    const at = now();
    phasesMs[name] = round(at - phaseStart);
    phaseStart = at;
    log(`day-long: ${name} ${phasesMs[name]} ms`);
  };
  try {
    const { server, url } = await startServer(dir.path);
    children.push(server);
    const workers = await startWorkers(DAY.workerShares.length);
    children.push(...workers);

    const conference = await json(url, "/api/conferences", {
      title: "Hội nghị giao ban công tác Hội quý III",
      organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      venue: "Hội trường tầng 5",
      city: "Hà Nội",
      chairName: "Chủ trì hội nghị",
    });
    const conferenceDir = join(dir.path, "conferences", conference.id);
    // What creating it wrote (its first snapshot, the chair): the room's counter has it once the chair's batch is stored.
    const createdBytes = (await serverStats(server)).bytes;
    const bytesBefore = createdBytes > 0 ? createdBytes : await sizeOf(join(conferenceDir, "conference.json"));
    const snapshots = snapshotWatch(join(conferenceDir, "conference.json"));
    await snapshots.sample();
    let joins = 0;
    let votes = 0;
    let other = 0;
    phase("start");

    const tokens = await joinDelegates(url, conference, DAY.participants);
    joins += tokens.length;
    await snapshots.sample();
    phase("joins");

    const chair = await socketFor(url, conference.chairToken);
    sockets.push(chair.socket);
    const shares: string[][] = [];
    let at = 0;
    for (const share of DAY.workerShares) {
      shares.push(tokens.slice(at, at + share));
      at += share;
    }
    await connectWorkers(workers, shares.map((share) => [{ url, tokens: share }]));
    // The speakers, spread over the hall; their own sockets are their second connection (a laptop beside the phone).
    const speakerTokens = Array.from({ length: DAY.speakers }, (_, i) => tokens[Math.floor((i * DAY.participants) / DAY.speakers) + 7]!);
    const speakers: Socket[] = [];
    for (const part of split(speakerTokens, 4)) {
      const connected = await Promise.all(part.map((t) => socketFor(url, t)));
      for (const c of connected) {
        speakers.push(c.socket);
        sockets.push(c.socket);
      }
    }
    await snapshots.sample();
    phase("connect");

    const c = chair.socket;
    const command = async (socket: Socket, cmd: Record<string, unknown>) => {
      other++;
      return emit(socket, cmd);
    };
    await command(c, { type: "speakers.setLimit", seconds: 300 });
    const itemIds: string[] = [];
    for (let i = 0; i < DAY.items; i++) {
      const added = await command(c, {
        type: "agenda.add",
        title: `Mục ${i + 1}: Báo cáo kết quả hoạt động của các cụm thi đua, phương hướng nhiệm vụ thời gian tới`,
        presenter: `Phó Chủ tịch ${i + 1}`,
        plannedMinutes: 30 + (i % 4) * 15,
      });
      itemIds.push(added.id);
    }
    await command(c, { type: "conference.start" });
    phase("agenda");

    const voteResults: { ok: boolean; latency: number }[] = [];
    const openBytes: number[] = [];
    const closeBytes: number[] = [];
    /** Log bytes of the vote bursts (without the snapshots written meanwhile). */
    let bytesForVotes = 0;
    let speech = 0;
    let poll = 0;
    for (let item = 0; item < DAY.items; item++) {
      await command(c, { type: "agenda.start", itemId: itemIds[item]! });
      const speechesHere = Math.round(((item + 1) * DAY.speeches) / DAY.items) - Math.round((item * DAY.speeches) / DAY.items);
      const pollsHere = Math.round(((item + 1) * DAY.polls) / DAY.items) - Math.round((item * DAY.polls) / DAY.items);
      // Speeches come in rounds of up to 10 hands raised at once (one request per person and kind at a time).
      const pollAfter = new Set(Array.from({ length: pollsHere }, (_, k) => Math.round(((k + 1) * speechesHere) / pollsHere)));
      let done = 0;
      const runPoll = async () => {
        const p = poll++;
        const created = await command(c, {
          type: "polls.create",
          question: `Biểu quyết thông qua nội dung ${p + 1}: kiện toàn nhân sự Ban Chấp hành và chương trình công tác năm`,
        });
        const opened = await logBytesOf(conferenceDir, snapshots, () => command(c, { type: "polls.open", pollId: created.id }));
        openBytes.push(opened.bytes);
        const who = TURNOUTS[p % TURNOUTS.length]!;
        const voting = who.map((w) => workers[w]!);
        await snapshots.sample();
        const before = await serverStats(server);
        const results = await voteWith(voting, created.id, who.map((w) => OPTIONS[(p + w) % OPTIONS.length]!), DAY.spreadMs);
        const after = await serverStats(server);
        bytesForVotes += after.bytes - before.bytes - (await snapshots.sample());
        votes += results.length;
        voteResults.push(...results);
        const closed = await logBytesOf(conferenceDir, snapshots, () => command(c, { type: "polls.close", pollId: created.id }));
        closeBytes.push(closed.bytes);
      };
      while (done < speechesHere) {
        const hands = Math.min(10, speechesHere - done);
        const who = Array.from({ length: hands }, (_, k) => speakers[(speech + k) % speakers.length]!);
        const requests: { socket: Socket; requestId: string }[] = [];
        // Hands go up at once; the queue keeps their order of arrival.
        const acks = await Promise.all(
          who.map((socket, k) => {
            other++;
            return emit(socket, { type: "speakers.request", kind: (speech + k) % 7 === 3 ? "question" : "speech", note: `Ý kiến về mục ${item + 1}, đoạn ${k + 1}` });
          }),
        );
        acks.forEach((ack, k) => requests.push({ socket: who[k]!, requestId: ack.requestId }));
        for (const request of requests) {
          await command(c, { type: "speakers.grant", requestId: request.requestId });
          // Every other speech is ended by its speaker, the rest by the chair.
          await command(speech % 2 === 0 ? request.socket : c, { type: "speakers.finish" });
          speech++;
          done++;
          if (pollAfter.has(done)) await runPoll();
        }
      }
    }
    await command(c, { type: "conference.end" });
    phase("day");

    const final = await serverStats(server);
    await snapshots.sample();
    const seqBefore = (await c.timeout(30_000).emitWithAck("sync")).state.seq as number;
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const worker of workers) await worker.stop();
    await server.stop();
    const conferenceJsonBytes = await sizeOf(join(conferenceDir, "conference.json"));
    const eventsLogBytes = await sizeOf(join(conferenceDir, "events.log"));
    phase("stop");

    // Start-up from the files: fork → ready (every stored conference is loaded before `ready`), → the chair's snapshot.
    const forkedAt = now();
    const restarted = await startServer(dir.path);
    children.push(restarted.server);
    const readyAt = now();
    const chairAgain = await socketFor(restarted.url, conference.chairToken);
    sockets.push(chairAgain.socket);
    const snapshotAt = now();
    const state = chairAgain.state;
    const reloaded = {
      seq: state.seq as number,
      seqBefore,
      participants: (state.participants as unknown[]).length,
      pollsClosed: (state.polls as { status: string }[]).filter((p) => p.status === "closed").length,
      history: (state.speakers.history as unknown[]).length,
    };
    chairAgain.socket.disconnect();
    await restarted.server.stop();
    phase("restart");

    // The whole state at the end as one file: what a store rewriting conference.json on every commit writes each time.
    const room = await ConferenceRoom.open(conferenceDir, () => undefined);
    const wholeFileBytes = room
      ? Buffer.byteLength(JSON.stringify({ version: 1, state: room.published, tokenHashes: Object.fromEntries(room.tokenHashes()) }))
      : NaN;

    // For comparison: the same server starting on an empty data directory.
    const emptyForkedAt = now();
    const emptyServer = await startServer(empty.path);
    children.push(emptyServer.server);
    const emptyStartupReadyMs = now() - emptyForkedAt;
    await emptyServer.server.stop();

    const bytes = final.bytes - bytesBefore;
    const commands = joins + votes + other;
    return {
      commands,
      byKind: { joins, votes, other },
      votesAcked: voteResults.filter((r) => r.ok).length,
      voteAck: summary(voteResults.map((r) => r.latency)),
      bytes,
      bytesForVotes,
      writes: final.writes,
      bytesPerCommand: bytes / commands,
      logBytesPerPollOpen: median(finite(openBytes)),
      logBytesPerPollClose: median(finite(closeBytes)),
      snapshotRewrites: snapshots.rewrites,
      snapshotBytes: snapshots.bytes,
      logBytesPerVote: bytesForVotes / votes,
      logBytesPerOtherCommand: (bytes - snapshots.bytes - bytesForVotes) / (joins + other),
      conferenceJsonBytes,
      eventsLogBytes,
      wholeFileBytes,
      startupReadyMs: readyAt - forkedAt,
      startupChairSnapshotMs: snapshotAt - forkedAt,
      chairSocketMs: chairAgain.ms,
      emptyStartupReadyMs,
      reloaded,
      phasesMs,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await stopAll(children);
    await dir.remove();
    await empty.remove();
  }
}

/** 1. A day-long conference against our server: bytes per command, the files, and a restart from them. */
export async function dayLong(): Promise<{ rows: Row[]; raw: unknown }> {
  const runs: DayRun[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await dayLongRun());
  const of = (f: (r: DayRun) => number) => runs.map(f);
  const shape = `${DAY.participants} participants, ${DAY.items} items, ${DAY.speeches} speeches, ${DAY.polls} polls`;
  return {
    raw: { shape, runs },
    rows: [
      row(`day-long: commands (${shape}; joins and votes included)`, "commands", of((r) => r.commands), null),
      row("day-long: votes acked", "votes", of((r) => r.votesAcked), null, "every vote sent"),
      row("day-long: bytes written per command (log and snapshots)", "B", of((r) => r.bytesPerCommand), null),
      row("day-long: log bytes per vote", "B", of((r) => r.logBytesPerVote), null),
      row("day-long: log bytes per other command (joins, agenda, speeches, polls; check-ins on connect included)", "B", of((r) => r.logBytesPerOtherCommand), null),
      row("day-long: log bytes of a polls.open (median of the day's polls)", "B", of((r) => r.logBytesPerPollOpen), null),
      row("day-long: log bytes of a polls.close (median of the day's polls)", "B", of((r) => r.logBytesPerPollClose), null),
      row("day-long: snapshots rewritten during the day (compactions)", "snapshots", of((r) => r.snapshotRewrites), null),
      row("day-long: share of the bytes written that are snapshots", "%", of((r) => (100 * r.snapshotBytes) / r.bytes), null),
      row("day-long: reference: the whole state as one file at the end (a rewrite-per-commit store writes this per command)", "B", of((r) => r.wholeFileBytes), null),
      row("day-long: total bytes written to storage", "KiB", of((r) => r.bytes / KiB), null),
      row("day-long: conference.json at the end", "KiB", of((r) => r.conferenceJsonBytes / KiB), null),
      row("day-long: events.log at the end", "KiB", of((r) => r.eventsLogBytes / KiB), null),
      row("day-long: start-up from the files until ready", "ms", of((r) => r.startupReadyMs), null),
      row("day-long: start-up from the files until the chair's first snapshot", "ms", of((r) => r.startupChairSnapshotMs), null),
      row("day-long: reference: start-up on an empty data dir until ready", "ms", of((r) => r.emptyStartupReadyMs), null),
    ],
  };
}

// ——— 2. Cost by size ———

const DEFAULT_SIZES = [10, 100, 1000, 5000];
const SIZE_WORKERS = 2;
const FANOUT_ROUNDS = 10;
/** Sizes above this are measured `LARGE_RUNS` times only (they take minutes). */
const LARGE = 1000;
const LARGE_RUNS = Math.max(1, Number(process.env.BENCH_LARGE_RUNS ?? 1));
/** Tokens per `connect` message above `LARGE` (the worker's waves are then this size). */
const LARGE_CHUNK = 100;

interface SizeRun {
  n: number;
  joinMsPerParticipant: number;
  connectMs: number;
  snapshotKiB: number;
  snapshotMs: number;
  rssMiB: number;
  heapMiB: number;
  fanOut: { perClient: ReturnType<typeof summary>; untilAll: ReturnType<typeof summary> };
  votesAcked: number;
  voteAck: ReturnType<typeof summary>;
  voteWrites: number;
  bytesPerVote: number;
  /** A new snapshot written during the burst (a compaction), in bytes, part of `bytesPerVote`; 0: none. */
  snapshotDuringBurstBytes: number;
  tally: number;
  /** Log bytes of opening the poll (its eligible keys) and of closing it (its named ballots). */
  pollOpenLogBytes: number;
  pollCloseLogBytes: number;
}

/**
 * A conference of N participants (at most 5,000, the server's limit): the chair and N − 1
 * delegates joined through the join code. One delegate is ours (the fan-out's sender, whose
 * snapshot is measured); the other N − 2 are in the workers. All N vote in the burst.
 */
async function sizeRun(n: number): Promise<SizeRun> {
  if (n < 3 || n > LIMITS.participants) throw new Error(`a size is 3 to ${LIMITS.participants} participants (the chair, our delegate, the workers')`);
  const dir = await tempDir();
  const children: Child[] = [];
  const sockets: Socket[] = [];
  try {
    const { server, url } = await startServer(dir.path);
    children.push(server);
    const workers = await startWorkers(SIZE_WORKERS);
    children.push(...workers);
    const conference = await json(url, "/api/conferences", { title: "Benchmark" });
    const conferenceDir = join(dir.path, "conferences", conference.id);

    const joinStarted = now();
    const tokens = await joinDelegates(url, conference, n - 1);
    const joinMs = now() - joinStarted;

    const chair = await socketFor(url, conference.chairToken);
    sockets.push(chair.socket);
    // The bench server lifts the cap of connections per address: every client is on 127.0.0.1.
    const inWorkers = tokens.slice(1);
    const groups: Share[] = [{ url, tokens: inWorkers }];
    const perWorker = workers.map((_, i) => groups.map((g) => ({ url: g.url, tokens: split(g.tokens, SIZE_WORKERS)[i]! })));
    // Above 1,000, waves of 100 per worker: 200 snapshots of ~1.6 MB at once outlast the client's 20 s connect timeout.
    const connectMs = await connectWorkers(workers, perWorker, n > LARGE ? LARGE_CHUNK : Infinity);
    // A delegate connecting last: the snapshot of a full, connected hall.
    const sender = await socketFor(url, tokens[0]!);
    sockets.push(sender.socket);
    const snapshotBytes = Buffer.byteLength(JSON.stringify(sender.state));
    const memory = await serverStats(server);
    log(`size ${n}: joined in ${round(joinMs)} ms, connected in ${round(connectMs)} ms`);

    const perClient: number[] = [];
    const untilAll: number[] = [];
    for (let r = 0; r < FANOUT_ROUNDS; r++) {
      const sentAt = now();
      const ack = await emit(sender.socket, { type: "speakers.request", kind: "speech", note: "Xin phát biểu về đề án cụm" });
      const latencies = (await arrivals(workers, ack.seq)).map((t) => t - sentAt);
      perClient.push(...latencies);
      untilAll.push(max(latencies));
      const withdrawn = await emit(sender.socket, { type: "speakers.withdraw", requestId: ack.requestId });
      await arrivals(workers, withdrawn.seq);
    }

    const pollId = (await emit(chair.socket, { type: "polls.create", question: "Thành lập các cụm hoạt động?" })).id;
    const snapshots = snapshotWatch(join(conferenceDir, "conference.json"));
    const opened = await logBytesOf(conferenceDir, snapshots, () => emit(chair.socket, { type: "polls.open", pollId }));
    await arrivals(workers, opened.result.seq);
    const before = await serverStats(server);
    // Our two (the chair and our delegate) vote within the same second as the workers' clients.
    const ownVote = (socket: Socket) =>
      new Promise<{ ok: boolean; latency: number }>((resolve) => {
        setTimeout(() => {
          const sentAt = now();
          socket
            .timeout(30_000)
            .emitWithAck("command", { type: "polls.vote", pollId, optionId: "yes" })
            .then((ack: { ok: boolean }) => resolve({ ok: ack.ok, latency: now() - sentAt }))
            .catch(() => resolve({ ok: false, latency: now() - sentAt }));
        }, Math.random() * 1000);
      });
    const [fromWorkers, chairVote, senderVote] = await Promise.all([
      voteWith(workers, pollId, workers.map(() => "yes"), 1000),
      ownVote(chair.socket),
      ownVote(sender.socket),
    ]);
    const results = [...fromWorkers, chairVote, senderVote];
    const after = await serverStats(server);
    const burstSnapshotBytes = await snapshots.sample();
    const closed = await logBytesOf(conferenceDir, snapshots, () => emit(chair.socket, { type: "polls.close", pollId }));
    const synced = await chair.socket.timeout(30_000).emitWithAck("sync");
    const tally = (synced.state.polls as { id: string; tally: Record<string, number> }[]).find((p) => p.id === pollId)?.tally.yes ?? NaN;
    log(`size ${n}: ${results.filter((r) => r.ok).length} votes acked, ${after.writes - before.writes} writes, tally ${tally}`);

    return {
      n,
      joinMsPerParticipant: joinMs / (n - 1),
      connectMs,
      snapshotKiB: snapshotBytes / KiB,
      snapshotMs: sender.ms,
      rssMiB: memory.rss / MiB,
      heapMiB: memory.heap / MiB,
      fanOut: { perClient: summary(perClient), untilAll: summary(untilAll) },
      votesAcked: results.filter((r) => r.ok).length,
      voteAck: summary(results.map((r) => r.latency)),
      voteWrites: after.writes - before.writes,
      bytesPerVote: (after.bytes - before.bytes) / results.length,
      snapshotDuringBurstBytes: burstSnapshotBytes,
      pollOpenLogBytes: opened.bytes,
      pollCloseLogBytes: closed.bytes,
      tally,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await stopAll(children);
    await dir.remove();
  }
}

/** 2. What joins, the snapshot, memory, fan-out and a vote burst cost for 10 … 5,000 participants. */
export async function costBySize(): Promise<{ rows: Row[]; raw: unknown }> {
  const sizes = (process.env.BENCH_SIZES ?? DEFAULT_SIZES.join(","))
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((s) => Number.isInteger(s) && s > 0);
  const runsFor = (n: number) => (n > LARGE ? Math.min(RUNS, LARGE_RUNS) : RUNS);
  const bySize = new Map<number, SizeRun[]>(sizes.map((n) => [n, []]));
  const tookMs = new Map<number, number>(sizes.map((n) => [n, 0]));
  // Sizes alternate run by run, so a slow moment of the machine does not fall on one size only.
  for (let run = 0; run < RUNS; run++) {
    for (const n of sizes) {
      if (run >= runsFor(n)) continue;
      const started = now();
      bySize.get(n)!.push(await sizeRun(n));
      tookMs.set(n, tookMs.get(n)! + now() - started);
    }
  }
  const rows: Row[] = [];
  for (const n of sizes) {
    const runs = bySize.get(n)!;
    const count = runs.length;
    const label = `size ${n}${count === RUNS ? "" : ` (${count} run${count === 1 ? "" : "s"})`}`;
    const of = (f: (r: SizeRun) => number) => runs.map(f);
    rows.push(
      row(`${label}: join time per participant`, "ms", of((r) => r.joinMsPerParticipant), null),
      row(
        `${label}: connecting all (${SIZE_WORKERS} workers, waves of ${n > LARGE ? LARGE_CHUNK : 200} each)`,
        "ms",
        of((r) => r.connectMs),
        null,
      ),
      row(`${label}: a delegate's snapshot on connect`, "KiB", of((r) => r.snapshotKiB), null),
      row(`${label}: server RSS, all connected`, "MiB", of((r) => r.rssMiB), null),
      row(`${label}: server live heap, all connected (after GC)`, "MiB", of((r) => r.heapMiB), null),
      row(`${label}: fan-out p99 (request → a client)`, "ms", of((r) => r.fanOut.perClient.p99), null),
      row(`${label}: fan-out p99 until every client has it (${FANOUT_ROUNDS} rounds)`, "ms", of((r) => r.fanOut.untilAll.p99), null),
      row(`${label}: vote burst in 1 s, ack p99`, "ms", of((r) => r.voteAck.p99), null),
      row(`${label}: vote burst in 1 s, votes acked`, "votes", of((r) => r.votesAcked), null, `all ${n}`),
      row(`${label}: tally after closing`, "votes", of((r) => r.tally), null, `exactly ${n}`),
      row(`${label}: bytes written per vote`, "B", of((r) => r.bytesPerVote), null),
      row(`${label}: log bytes of polls.open`, "KiB", of((r) => r.pollOpenLogBytes / KiB), null),
      row(`${label}: log bytes of polls.close (a named poll: its ballots)`, "KiB", of((r) => r.pollCloseLogBytes / KiB), null),
    );
  }
  return {
    raw: {
      note: "size N: the chair and N − 1 delegates joined; N − 2 of them in 2 workers, one of our own (fan-out sender, snapshot measured); all N vote",
      tookMs: Object.fromEntries([...tookMs].map(([n, ms]) => [n, round(ms)])),
      bySize: Object.fromEntries([...bySize].map(([n, runs]) => [n, runs])),
      medianVoteAckP50: Object.fromEntries([...bySize].map(([n, runs]) => [n, percentile(runs.map((r) => r.voteAck.p50), 50)])),
    },
    rows,
  };
}
