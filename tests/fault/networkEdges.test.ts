import { readdirSync } from "node:fs";
import { connect as tcpConnect, type Socket as TcpSocket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io as connectIo } from "socket.io-client";
import { unsentBytes } from "../../server/realtime/backpressure.ts";
import { joinMany } from "../support/integration.ts";
import {
  api,
  createConference,
  RELAXED_LIMITS,
  startServer,
  TestClient,
  type Conference,
  type TestServer,
} from "../support/server.ts";

/** Descriptors this (test + in-process server) process holds now. */
const openDescriptors = () => readdirSync("/proc/self/fd").length;

/** Sends raw bytes on a fresh TCP connection; resolves with all it got back once the server closed it. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname, () => socket.write(request));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** Resolves when the server closes `socket`. */
const closedByServer = (socket: TcpSocket) =>
  new Promise<void>((resolve) => {
    socket.once("close", () => resolve());
    socket.resume();
  });

/** Speaks engine.io + Socket.IO by hand over a websocket, so payloads no client library would encode can be sent. */
class RawSocketIo {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  readonly #waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`, { headers });
    this.ws.on("message", (data) => {
      const frame = String(data);
      if (frame === "2") return this.ws.send("3");
      this.frames.push(frame);
      for (const waiter of [...this.#waiters]) {
        if (waiter.test(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
  }

  next(test: (frame: string) => boolean): Promise<string> {
    const found = this.frames.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  async authenticate(token: string): Promise<void> {
    await this.next((f) => f.startsWith("0{"));
    this.ws.send(`40${JSON.stringify({ token })}`);
    await this.next((f) => f.startsWith('42["state"'));
  }

  closed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once("close", () => resolve()));
  }
}

const nestedArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("one message cannot stop the server", () => {
  let server: TestServer;
  let conference: Conference;
  let delegateToken: string;

  beforeAll(async () => {
    server = await startServer();
    conference = await createConference(server.url, { title: "Hội nghị" });
    delegateToken = (await joinMany(server.url, conference, 1))[0]!.token;
  });
  afterAll(() => server.dispose());

  it("answers a command whose type nests 5,000, 30,000 levels deep, from a delegate who joined with the code", async () => {
    const raw = new RawSocketIo(server.url);
    await raw.authenticate(delegateToken);
    for (const [id, depth] of [[1, 5_000], [2, 30_000]] as const) {
      raw.ws.send(`42${id}["command",{"type":${nestedArray(depth)}}]`);
      const ack = JSON.parse((await raw.next((f) => f.startsWith(`43${id}`))).slice(2 + String(id).length));
      expect(ack[0]).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    // Deep inside an otherwise valid command, and as a deep object rather than an array.
    let deepObject = '"leaf"';
    for (let i = 0; i < 10_000; i++) deepObject = `{"a":${deepObject}}`;
    raw.ws.send(`423["command",{"type":"speakers.request","kind":"speech","note":${deepObject}}]`);
    expect(JSON.parse((await raw.next((f) => f.startsWith("433"))).slice(3))[0]).toMatchObject({ ok: false, error: { code: "invalid" } });
    raw.ws.close();
    const delegate = await TestClient.connect(server.url, delegateToken);
    expect((await delegate.command({ type: "speakers.request", kind: "speech" })).ok).toBe(true);
    delegate.close();
  });

  it("answers 100,000 levels on every entry point without harm: the message is over the size limit", async () => {
    const raw = new RawSocketIo(server.url);
    await raw.authenticate(delegateToken);
    raw.ws.send(`424["command",{"type":${nestedArray(100_000)}}]`);
    await raw.closed();
    // In the handshake's auth, where the token is read.
    const handshake = new RawSocketIo(server.url);
    await handshake.next((f) => f.startsWith("0{"));
    handshake.ws.send(`40{"token":${nestedArray(30_000)}}`);
    expect(await handshake.next((f) => f.startsWith("44"))).toContain("unauthorized");
    handshake.ws.close();
    for (const depth of [20_000, 100_000]) {
      const rawBody = `{"title":"t","organisation":${nestedArray(depth)}}`;
      const created = await api(server.url, "/api/conferences", { rawBody });
      expect(created.status).toBe(depth === 20_000 ? 400 : 413);
      const joined = await api(server.url, `/api/conferences/${conference.id}/join`, { rawBody });
      expect(joined.status).toBe(depth === 20_000 ? 400 : 413);
    }
    expect((await api(server.url, "/api/health")).body).toEqual({ ok: true });
  });
});

describe("connections that never finish", () => {
  let server: TestServer;
  let conference: Conference;

  beforeAll(async () => {
    server = await startServer({ limits: { ...RELAXED_LIMITS, handshakeTimeoutMs: 1_500 } });
    conference = await createConference(server.url, { title: "Hội nghị" });
  });
  afterAll(() => server.dispose());

  it("answers an upgrade to a path nobody serves with 404 and closes it, so no descriptor is kept", async () => {
    const before = openDescriptors();
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          rawExchange(
            server.url,
            `GET /nope/${round}/${i} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
          ),
        ),
      );
      for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    }
    expect(openDescriptors() - before).toBeLessThan(20);
    expect((await api(server.url, "/api/health")).status).toBe(200);
  });

  it("closes a connection that never sends its request, and a websocket that never sends its token", async () => {
    const { hostname, port } = new URL(server.url);
    const silent = tcpConnect(Number(port), hostname);
    const halfHeaders = tcpConnect(Number(port), hostname, () => halfHeaders.write("GET /api/health HTTP/1.1\r\nHost: x\r\n"));
    const raw = new RawSocketIo(server.url);
    await raw.next((f) => f.startsWith("0{"));
    await Promise.all([closedByServer(silent), closedByServer(halfHeaders), raw.closed()]);
    expect((await api(server.url, "/api/health")).status).toBe(200);
    const chair = await TestClient.connect(server.url, conference.chairToken);
    expect((await chair.command({ type: "agenda.add", title: "still served" })).ok).toBe(true);
    chair.close();
  });
});

describe("connection caps", () => {
  let server: TestServer;
  let conference: Conference;

  beforeAll(async () => {
    server = await startServer({ trustProxy: "loopback", limits: { ...RELAXED_LIMITS, connectionsPerAddress: 6 } });
    conference = await createConference(server.url, { title: "Hội nghị" });
  });
  afterAll(() => server.dispose());

  const outcome = (token: string, address: string) => {
    const socket = connectIo(server.url, {
      auth: { token },
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: { "x-forwarded-for": address },
    });
    return new Promise<{ result: string; socket: typeof socket }>((resolve) => {
      socket.on("connect", () => resolve({ result: "connected", socket }));
      socket.on("connect_error", (error) => resolve({ result: error.message, socket }));
    });
  };

  it("lets one token hold 8 live connections, not 50; a closed one frees its place", async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) attempts.push(await outcome(conference.chairToken, `10.0.0.${i}`));
    expect(attempts.map((a) => a.result)).toEqual([...Array(8).fill("connected"), ...Array(4).fill("rate_limited")]);
    attempts[0]!.socket.disconnect();
    const again = await waitFor(async () => {
      const attempt = await outcome(conference.chairToken, "10.0.1.1");
      if (attempt.result !== "connected") attempt.socket.disconnect();
      return attempt.result === "connected" ? attempt : null;
    });
    for (const attempt of [...attempts, again]) attempt.socket.disconnect();
  });

  it("caps live connections per client address, counted behind a trusted proxy", async () => {
    const joined = await joinMany(server.url, conference, 8);
    const fromHall = [];
    for (const { token } of joined) fromHall.push(await outcome(token, "192.0.2.7"));
    expect(fromHall.map((a) => a.result)).toEqual([...Array(6).fill("connected"), "rate_limited", "rate_limited"]);
    const elsewhere = await outcome(joined[7]!.token, "192.0.2.8");
    expect(elsewhere.result).toBe("connected");
    for (const attempt of [...fromHall, elsewhere]) attempt.socket.disconnect();
  });
});

describe("security headers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.dispose());

  it("go with Socket.IO's polling answers too, and the page may connect to its own origin only", async () => {
    for (const path of ["/api/health", "/socket.io/?EIO=4&transport=polling"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/connect-src 'self';/);
      expect(csp).not.toMatch(/ws:|wss:/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});

/** Retries `attempt` until it answers something, for a state the server reaches a moment later. */
async function waitFor<T>(attempt: () => Promise<T | null>, tries = 50): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const result = await attempt();
    if (result !== null) return result;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("the state was never reached");
}

/**
 * A Socket.IO client over long polling that stops polling: everything the server sends it waits
 * in the server's own write buffer, the worst case for memory (a websocket's would sit partly in
 * the kernel's buffers, out of sight).
 */
class StalledPollingClient {
  readonly #url: string;
  #sid = "";

  constructor(url: string) {
    this.#url = url;
  }

  #path() {
    return `${this.#url}/socket.io/?EIO=4&transport=polling${this.#sid ? `&sid=${this.#sid}` : ""}`;
  }

  async connect(token: string): Promise<void> {
    const open = await (await fetch(this.#path())).text();
    this.#sid = JSON.parse(open.slice(1)).sid;
    await this.post([`40${JSON.stringify({ token })}`]);
    // One poll for the connect answer and the snapshot; then it never polls again.
    const first = await (await fetch(this.#path())).text();
    if (!first.includes('"state"')) throw new Error(`no snapshot: ${first.slice(0, 100)}`);
  }

  /** Sends packets; resolves once the server has handled them (it answers "ok" after that). */
  async post(packets: string[]): Promise<void> {
    const response = await fetch(this.#path(), { method: "POST", body: packets.join("\x1e") });
    const text = await response.text();
    if (text !== "ok") throw new Error(`post refused: ${response.status} ${text}`);
  }
}

describe("a client that does not read", () => {
  let server: TestServer;
  let conference: Conference;

  beforeAll(async () => {
    server = await startServer({
      limits: { ...RELAXED_LIMITS, socketSoftBufferBytes: 16 * 1024, socketHardBufferBytes: 128 * 1024 },
    });
    conference = await createConference(server.url, { title: "Hội nghị" });
    await joinMany(server.url, conference, 300, { concurrency: 50 });
  });
  afterAll(() => server.dispose());

  it("gets no more snapshots once its queue is full, then is disconnected; the others are served", async () => {
    const { token } = (await joinMany(server.url, conference, 1, { prefix: "Không đọc" }))[0]!;
    const stalled = new StalledPollingClient(server.url);
    await stalled.connect(token);
    const probe = await TestClient.connect(server.url, token);
    const snapshotBytes = JSON.stringify(probe.snapshot).length;
    probe.close();
    expect(snapshotBytes).toBeGreaterThan(16 * 1024);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // 2,000 snapshot requests it will never read: unbounded, that is 2,000 × the snapshot.
    for (let batch = 0; batch < 20; batch++) {
      await stalled.post(Array.from({ length: 100 }, (_, i) => `42${batch * 100 + i}["sync"]`));
    }
    const growth = process.memoryUsage().heapUsed - heapBefore;
    // Unbounded, the heap would grow by 2,000 snapshots; allow for the test's own garbage.
    expect(growth).toBeLessThan(400 * snapshotBytes);
    const stalledSocket = () => [...server.server.io.sockets.sockets.values()].find((s) => s.conn.transport.name === "polling");
    const stalledIsConnected = () => stalledSocket() !== undefined;
    // What waits for it: the snapshot that passed the bound, and the small refusals after it (the
    // once-a-second sweep may already have cut it off, the queue having passed the hard bound).
    const queued = stalledSocket();
    if (queued) expect(unsentBytes(queued)).toBeLessThan(16 * 1024 + snapshotBytes + 2_000 * 120);
    // The chair goes on; what is broadcast piles up for the stalled client until it is cut off.
    const chair = await TestClient.connect(server.url, conference.chairToken);
    // One item retitled again and again: the agenda's own bound (200 items) is never what stops the loop.
    const item = await chair.command({ type: "agenda.add", title: "Mục" });
    if (!item.ok) throw new Error("agenda.add refused");
    const itemId = (item as unknown as { id: string }).id;
    let added = 0;
    while (stalledIsConnected() && added < 3_000) {
      expect((await chair.command({ type: "agenda.update", itemId, title: `Mục ${added} ${"·".repeat(150)}` })).ok).toBe(true);
      added++;
    }
    expect(stalledIsConnected()).toBe(false);
    expect(added).toBeLessThan(3_000);
    expect((await chair.sync()).ok).toBe(true);
    chair.close();
  });
});
