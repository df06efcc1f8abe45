import { io, type Socket } from "socket.io-client";
import { LIMITS } from "../shared/limits.ts";
import { printProfile, type ProfileSummary } from "./profile.ts";
import { alternate, Child, emit, joinDelegates, json, now, round, split, spread, summary, tempDir, type Spread } from "./lib.ts";

export interface Row {
  metric: string;
  unit: string;
  /** Median and range over the runs. */
  ours: Spread;
  baseline: Spread | null;
  /** ours / baseline, run by run (run i of ours against run i of the baseline): below 1 is better for times and sizes. */
  ratio: Spread | null;
  target?: string;
}

/** ours / baseline run by run, where the baseline is not zero; null when there is none. */
function ratios(ours: number[], baseline: number[] | null): Spread | null {
  const paired = (baseline ?? []).flatMap((b, i) => (b !== 0 && ours[i] !== undefined ? [ours[i]! / b] : []));
  return paired.length > 0 ? spread(paired) : null;
}

/** A row from every run's value of ours and (paired run by run) of the baseline. */
export const row = (metric: string, unit: string, ours: number[], baseline: number[] | null, target?: string): Row => ({
  metric,
  unit,
  ours: spread(ours),
  baseline: baseline && baseline.length > 0 ? spread(baseline) : null,
  ratio: ratios(ours, baseline),
  ...(target ? { target } : {}),
});

const WORKERS = 2;

/**
 * A server process (ours or a baseline), or the servers of a cluster (bench/cluster.ts), with the
 * client workers.
 */
export interface Rig {
  /** The process asked for `stats` (in a cluster, the one that owns the conference). */
  server: Child;
  /** Where the conference is created and the chair connects (in a cluster, its owner). */
  url: string;
  /** Where the clients connect, spread evenly: `[url]`, or every server of a cluster. */
  urls: string[];
  /** Where the fan-out's sender connects: `url`, or in a cluster a server that forwards its request to the owner. */
  senderUrl: string;
  workers: Child[];
  stop(): Promise<void>;
}

/** One server process in a temporary data directory of its own; `env` adds to its environment. */
export async function startServer(script: string, env: Record<string, string> = {}) {
  const dir = await tempDir();
  const { child, ready } = await Child.start(script, { DATA_DIR: dir.path, ...env });
  return {
    child,
    url: `http://127.0.0.1:${ready.port}`,
    dataDir: dir.path,
    async stop() {
      await child.stop();
      await dir.remove();
    },
  };
}

/** The processes holding the clients. */
export const startWorkers = () => Promise.all(Array.from({ length: WORKERS }, () => Child.start("processes/socketClients.ts").then((w) => w.child)));

async function startRig(script: string): Promise<Rig & { dataDir: string }> {
  const server = await startServer(script);
  const workers = await startWorkers();
  return {
    server: server.child,
    url: server.url,
    urls: [server.url],
    senderUrl: server.url,
    workers,
    dataDir: server.dataDir,
    async stop() {
      for (const worker of workers) await worker.stop();
      await server.stop();
    },
  };
}

/** Each worker's share of the tokens, spread over `rig.urls` (one `connect` at a time: a worker answers each with `connected`). */
async function connectAll(rig: Rig, tokens: string[]) {
  await Promise.all(split(tokens, rig.workers.length).map(async (part, i) => {
    const worker = rig.workers[i]!;
    for (const [j, share] of split(part, rig.urls.length).entries()) {
      const connected = worker.next("connected");
      worker.send({ type: "connect", url: rig.urls[j], tokens: share });
      await connected;
    }
  }));
}

async function arrivals(rig: Rig, seq: number): Promise<number[]> {
  const replies = await Promise.all(rig.workers.map((w) => w.ask({ type: "await", seq }, "arrivals")));
  return replies.flatMap((r) => r.times as number[]);
}

function socketFor(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ["websocket"], forceNew: true });
    socket.once("state", () => resolve(socket));
    socket.once("connect", () => token === "" && resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** A conference on our server with `delegates` joined through the join code. */
async function conferenceWith(url: string, delegates: number) {
  const conference = await json(url, "/api/conferences", { title: "Benchmark" });
  return { conference, tokens: await joinDelegates(url, conference, delegates) };
}

/**
 * One fan-out run on a fresh rig: `rounds` times a delegate's request (ours) or a bare command
 * (baselines) until every one of `clients` clients has the event, then its withdrawal.
 */
export async function fanOutRun(start: () => Promise<Rig>, ours: boolean, clients: number, rounds: number) {
  const rig = await start();
  try {
    let sender: Socket;
    let tokens: string[];
    if (ours) {
      const setup = await conferenceWith(rig.url, clients + 1);
      tokens = setup.tokens.slice(1);
      sender = await socketFor(rig.senderUrl, setup.tokens[0]!);
    } else {
      tokens = Array.from({ length: clients }, () => "");
      sender = await socketFor(rig.senderUrl, "");
    }
    await connectAll(rig, tokens);
    const perClient: number[] = [];
    const untilAll: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const sentAt = now();
      const ack = await emit(sender, ours ? { type: "speakers.request", kind: "speech", note: "Xin phát biểu về đề án cụm" } : { size: 230 });
      const times = await arrivals(rig, ack.seq);
      const latencies = times.map((t) => t - sentAt);
      perClient.push(...latencies);
      untilAll.push(latencies.reduce((a, b) => Math.max(a, b), -Infinity));
      const withdrawn = await emit(sender, ours ? { type: "speakers.withdraw", requestId: ack.requestId } : { size: 60 });
      await arrivals(rig, withdrawn.seq);
    }
    sender.disconnect();
    return { perClient: summary(perClient), untilAll: summary(untilAll) };
  } finally {
    await rig.stop();
  }
}
export type FanOutRun = Awaited<ReturnType<typeof fanOutRun>>;

/** Our single server's rig (files, no cluster): what the cluster scenario compares against. */
export const ourServer = () => startRig("processes/giaoBanServer.ts");

/** 1. Fan-out: a delegate's request until every client has the event. */
export async function fanOut(clients: number, rounds: number) {
  const runs = await alternate(
    () => fanOutRun(ourServer, true, clients, rounds),
    () => fanOutRun(() => startRig("processes/bareSocketIo.ts"), false, clients, rounds),
  );
  const of = (pick: (r: FanOutRun) => number) => [runs.ours.map(pick), runs.baseline.map(pick)] as const;
  return {
    raw: runs,
    rows: [
      row("fan-out p50 (request → a client)", "ms", ...of((r) => r.perClient.p50)),
      row("fan-out p99 (request → a client)", "ms", ...of((r) => r.perClient.p99), "≤ 1.2× baseline"),
      row("fan-out max", "ms", ...of((r) => r.perClient.max)),
      row("fan-out p99 until every client has it", "ms", ...of((r) => r.untilAll.p99)),
    ],
  };
}

/**
 * One vote burst on a fresh rig: `clients` delegates (every client) vote within one second on one
 * open poll (ours), or send a vote each to the naive baseline; `profile` profiles the server meanwhile.
 */
export async function voteBurstRun(start: () => Promise<Rig>, ours: boolean, clients: number, profile = false) {
  const rig = await start();
  try {
    let chair: Socket;
    let tokens: string[];
    let pollId = "naive";
    if (ours) {
      const setup = await conferenceWith(rig.url, clients);
      tokens = setup.tokens;
      chair = await socketFor(rig.url, setup.conference.chairToken);
      await connectAll(rig, tokens);
      pollId = (await emit(chair, { type: "polls.create", question: "Thành lập các cụm hoạt động?" })).id;
      await emit(chair, { type: "polls.open", pollId });
    } else {
      tokens = Array.from({ length: clients }, () => "");
      chair = await socketFor(rig.url, "");
      await connectAll(rig, tokens);
    }
    const before = await rig.server.ask({ type: "stats" }, "stats");
    if (profile) await rig.server.ask({ type: "profile", action: "start" }, "profiling");
    const replies = await Promise.all(
      rig.workers.map((w) => w.ask({ type: "vote", pollId, optionId: "yes", spreadMs: 1000 }, "voted")),
    );
    const results = replies.flatMap((r) => r.results as { ok: boolean; latency: number }[]);
    const where: ProfileSummary | null = profile ? (await rig.server.ask({ type: "profile", action: "stop" }, "profiling")).summary : null;
    const after = await rig.server.ask({ type: "stats" }, "stats");
    const total = (stats: { writes: Record<string, number>; bytes?: Record<string, number> }, key: "writes" | "bytes") =>
      Object.values(stats[key] ?? {}).reduce((a, b) => a + b, 0);
    const writes = total(after, "writes") - total(before, "writes");
    const bytesPerVote = (total(after, "bytes") - total(before, "bytes")) / clients;
    const closeSentAt = now();
    const closed = await emit(chair, { type: "polls.close", pollId });
    const seen = await arrivals(rig, closed.seq);
    const counts = await Promise.all(rig.workers.map((w) => w.ask({ type: "count", eventType: "poll.votes_cast" }, "counted")));
    const turnoutEvents = counts.flatMap((c) => c.counts as number[]);
    let tally = NaN;
    if (ours) {
      const state = await chair.timeout(30_000).emitWithAck("sync");
      tally = state.state.polls.find((p: { id: string }) => p.id === pollId).tally.yes;
    }
    chair.disconnect();
    return {
      acked: results.filter((r) => r.ok).length,
      ack: summary(results.map((r) => r.latency)),
      writes,
      bytesPerVote,
      closeUntilAllSeeMs: round(seen.reduce((a, b) => Math.max(a, b), -Infinity) - closeSentAt),
      turnoutEventsPerClient: round(turnoutEvents.reduce((a, b) => a + b, 0) / turnoutEvents.length),
      tally,
      ...(where && { profile: where }),
    };
  } finally {
    await rig.stop();
  }
}
export type VoteBurstRun = Awaited<ReturnType<typeof voteBurstRun>>;

/** The voters of a burst of `size`: the contract's 5,000 participants include the chair, so a "5,000" burst is everyone else. */
export const votersOf = (size: number) => Math.min(size, LIMITS.participants - 1);

/** The target of a burst's ack p99. */
export const ackTarget = (voters: number) => (voters <= 2000 ? "< 250 ms" : "< 500 ms");

/** 2. Vote burst: every delegate votes within one second on one open poll. */
export async function voteBurst(size: number) {
  const clients = votersOf(size);
  // The store-and-broadcast-per-vote baseline takes minutes past 1,000 voters: it runs at that size only.
  const runs = await alternate(
    () => voteBurstRun(ourServer, true, clients),
    clients <= 1000 ? () => voteBurstRun(() => startRig("processes/naiveVoteServer.ts"), false, clients) : null,
  );
  const of = (pick: (r: VoteBurstRun) => number) => [runs.ours.map(pick), runs.baseline.length > 0 ? runs.baseline.map(pick) : null] as const;
  // "Where the time goes": one more run at 2,000 with the server profiled, kept out of the figures.
  const profiled = clients === Number(process.env.BENCH_PROFILE_AT ?? 2000) ? await voteBurstRun(ourServer, true, clients, true) : null;
  if (profiled?.profile) printProfile(`${clients}-vote burst`, profiled.profile);
  const target = ackTarget(clients);
  return {
    raw: { ...runs, ...(profiled && { profiled }) },
    rows: [
      row(`${clients} votes: acked`, "votes", ...of((r) => r.acked), `all ${clients}`),
      row(`${clients} votes: tally after closing`, "votes", runs.ours.map((r) => r.tally), null, `exactly ${clients}`),
      row(`${clients} votes: ack p50`, "ms", ...of((r) => r.ack.p50)),
      row(`${clients} votes: ack p99`, "ms", ...of((r) => r.ack.p99), target),
      row(`${clients} votes: storage writes`, "writes", ...of((r) => r.writes)),
      row(`${clients} votes: bytes written per vote`, "B", runs.ours.map((r) => r.bytesPerVote), null, "independent of the size"),
      row(`${clients} votes: turnout events per client`, "events", ...of((r) => r.turnoutEventsPerClient), "coalesced by time"),
      row(`${clients} votes: close until every client has the tally`, "ms", ...of((r) => r.closeUntilAllSeeMs)),
    ],
  };
}

/** 4. Memory: server RSS with 0, half and all delegates connected. */
export async function memory(clients: number) {
  const measure = async (script: string, ours: boolean) => {
    const rig = await startRig(script);
    try {
      const tokens = ours ? (await conferenceWith(rig.url, clients)).tokens : Array.from({ length: clients }, () => "");
      /** RSS and live heap (after a full GC), in MiB. */
      const memory = async () => {
        const stats = await rig.server.ask({ type: "stats" }, "stats");
        if (process.env.BENCH_MEMORY_DETAIL) console.log(JSON.stringify(stats.usage ?? {}));
        return { rss: (stats.rss as number) / 2 ** 20, heap: (stats.heap as number) / 2 ** 20 };
      };
      const idle = await memory();
      const halves = split(tokens, 2);
      const worker = (i: number) => rig.workers[i]!;
      let connected = worker(0).next("connected");
      worker(0).send({ type: "connect", url: rig.url, tokens: halves[0] });
      await connected;
      const half = await memory();
      connected = worker(1).next("connected");
      worker(1).send({ type: "connect", url: rig.url, tokens: halves[1] });
      await connected;
      const full = await memory();
      return { idle, half, full, heapPerClientKb: ((full.heap - idle.heap) * 1024) / clients };
    } finally {
      await rig.stop();
    }
  };
  const runs = await alternate(() => measure("processes/giaoBanServer.ts", true), () => measure("processes/bareSocketIo.ts", false));
  const of = (pick: (r: Awaited<ReturnType<typeof measure>>) => number) => [runs.ours.map(pick), runs.baseline.map(pick)] as const;
  return {
    raw: runs,
    rows: [
      row("server RSS, 0 clients", "MiB", ...of((r) => r.idle.rss)),
      row(`server RSS, ${clients / 2} clients`, "MiB", ...of((r) => r.half.rss)),
      row(`server RSS, ${clients} clients`, "MiB", ...of((r) => r.full.rss)),
      row("RSS per connected client", "KiB", ...of((r) => ((r.full.rss - r.idle.rss) * 1024) / clients), "≤ 1.5× baseline"),
      row("live heap per connected client (after GC)", "KiB", ...of((r) => r.heapPerClientKb)),
    ],
  };
}
