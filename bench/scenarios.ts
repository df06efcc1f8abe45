import { io, type Socket } from "socket.io-client";
import { Child, json, now, round, split, summary, tempDir } from "./lib.ts";

export interface Row {
  metric: string;
  unit: string;
  ours: number;
  baseline: number | null;
  /** ours / baseline: below 1 is better than the baseline for times and sizes. */
  ratio: number | null;
  target?: string;
}

export const row = (metric: string, unit: string, ours: number, baseline: number | null, target?: string): Row => ({
  metric,
  unit,
  ours: round(ours, 2),
  baseline: baseline === null ? null : round(baseline, 2),
  ratio: baseline ? round(ours / baseline, 2) : null,
  ...(target ? { target } : {}),
});

const WORKERS = 2;

/** A server process (ours or a baseline) with its client workers. */
interface Rig {
  server: Child;
  url: string;
  workers: Child[];
  stop(): Promise<void>;
}

async function startRig(script: string): Promise<Rig & { dataDir: string }> {
  const dir = await tempDir();
  const { child: server, ready } = await Child.start(script, { DATA_DIR: dir.path });
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => Child.start("processes/socketClients.ts").then((w) => w.child)));
  return {
    server,
    url: `http://127.0.0.1:${ready.port}`,
    workers,
    dataDir: dir.path,
    async stop() {
      for (const worker of workers) await worker.stop();
      await server.stop();
      await dir.remove();
    },
  };
}

async function connectAll(rig: Rig, tokens: string[]) {
  await Promise.all(split(tokens, rig.workers.length).map((part, i) => {
    const worker = rig.workers[i]!;
    const connected = worker.next("connected");
    worker.send({ type: "connect", url: rig.url, tokens: part });
    return connected;
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
  const tokens: string[] = [];
  for (let i = 0; i < delegates; i += 50) {
    const batch = Array.from({ length: Math.min(50, delegates - i) }, (_, j) =>
      json(url, `/api/conferences/${conference.id}/join`, {
        joinCode: conference.joinCode,
        name: `Đại biểu ${i + j + 1}`,
        organisation: `Liên hiệp Hội tỉnh ${(i + j) % 63}`,
        attendance: (i + j) % 3 === 0 ? "online" : "hall",
      }),
    );
    for (const joined of await Promise.all(batch)) tokens.push(joined.token);
  }
  return { conference, tokens };
}

async function emit(socket: Socket, command: Record<string, unknown>): Promise<{ ok: boolean; seq: number } & Record<string, any>> {
  const ack = await socket.timeout(30_000).emitWithAck("command", command);
  if (!ack.ok) throw new Error(`${String(command.type)}: ${JSON.stringify(ack.error)}`);
  return ack;
}

/** 1. Fan-out: a delegate's request until every client has the event. */
export async function fanOut(clients: number, rounds: number) {
  const measure = async (script: string, ours: boolean) => {
    const rig = await startRig(script);
    try {
      let sender: Socket;
      let tokens: string[];
      if (ours) {
        const setup = await conferenceWith(rig.url, clients + 1);
        tokens = setup.tokens.slice(1);
        sender = await socketFor(rig.url, setup.tokens[0]!);
      } else {
        tokens = Array.from({ length: clients }, () => "");
        sender = await socketFor(rig.url, "");
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
  };
  const ours = await measure("processes/giaoBanServer.ts", true);
  const baseline = await measure("processes/bareSocketIo.ts", false);
  return {
    raw: { ours, baseline },
    rows: [
      row("fan-out p50 (request → a client)", "ms", ours.perClient.p50, baseline.perClient.p50),
      row("fan-out p99 (request → a client)", "ms", ours.perClient.p99, baseline.perClient.p99, "< 100 ms, ≤ 1.5× baseline"),
      row("fan-out max", "ms", ours.perClient.max, baseline.perClient.max),
      row("fan-out p99 until every client has it", "ms", ours.untilAll.p99, baseline.untilAll.p99),
    ],
  };
}

/** 2. Vote burst: every delegate votes within one second on one open poll. */
export async function voteBurst(clients: number) {
  const measure = async (script: string, ours: boolean) => {
    const rig = await startRig(script);
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
      const replies = await Promise.all(
        rig.workers.map((w) => w.ask({ type: "vote", pollId, optionId: "yes", spreadMs: 1000 }, "voted")),
      );
      const results = replies.flatMap((r) => r.results as { ok: boolean; latency: number }[]);
      const after = await rig.server.ask({ type: "stats" }, "stats");
      const writes = Object.values(after.writes as Record<string, number>).reduce((a, b) => a + b, 0) -
        Object.values(before.writes as Record<string, number>).reduce((a, b) => a + b, 0);
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
        closeUntilAllSeeMs: round(seen.reduce((a, b) => Math.max(a, b), -Infinity) - closeSentAt),
        turnoutEventsPerClient: round(turnoutEvents.reduce((a, b) => a + b, 0) / turnoutEvents.length),
        tally,
      };
    } finally {
      await rig.stop();
    }
  };
  const ours = await measure("processes/giaoBanServer.ts", true);
  const baseline = await measure("processes/naiveVoteServer.ts", false);
  return {
    raw: { ours, baseline },
    rows: [
      row("votes acked", "votes", ours.acked, baseline.acked, `all ${clients}`),
      row("tally after closing", "votes", ours.tally, null, `exactly ${clients}`),
      row("vote ack p50", "ms", ours.ack.p50, baseline.ack.p50),
      row("vote ack p99", "ms", ours.ack.p99, baseline.ack.p99, "< 250 ms"),
      row("storage writes for the burst", "writes", ours.writes, baseline.writes),
      row("turnout events per client", "events", ours.turnoutEventsPerClient, baseline.turnoutEventsPerClient, "coalesced"),
      row("close until every client has the tally", "ms", ours.closeUntilAllSeeMs, baseline.closeUntilAllSeeMs),
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
  const ours = await measure("processes/giaoBanServer.ts", true);
  const baseline = await measure("processes/bareSocketIo.ts", false);
  return {
    raw: { ours, baseline },
    rows: [
      row("server RSS, 0 clients", "MiB", ours.idle.rss, baseline.idle.rss),
      row(`server RSS, ${clients / 2} clients`, "MiB", ours.half.rss, baseline.half.rss),
      row(`server RSS, ${clients} clients`, "MiB", ours.full.rss, baseline.full.rss),
      row("live heap per connected client (after GC)", "KiB", ours.heapPerClientKb, baseline.heapPerClientKb),
    ],
  };
}
