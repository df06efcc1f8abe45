/**
 * The minutes shared by several servers (issue 18): kept in a real PostgreSQL and relayed through a
 * real Redis. Each test builds servers in this process over one schema and one key prefix of its
 * own (tests/support/postgres.ts, redis.ts): a registry over `pgStores` each, its own HTTP server
 * on an ephemeral port, a `MinutesServer` with `cluster`; real y-websocket clients connect to them.
 * A server's link to Redis is cut, where a test needs it, by a TCP relay the test controls.
 */
import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { rm } from "node:fs/promises";
import { Redis, type RedisOptions } from "ioredis";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ConferenceRegistry } from "../../server/conferences/ConferenceRegistry.ts";
import type { MinutesCluster } from "../../server/minutes/sync/minutesCluster.ts";
import { MinutesServer, type MinutesServerOptions } from "../../server/minutes/sync/MinutesServer.ts";
import { pgStores } from "../../server/storage/conferenceStores.ts";
import { PgMinutesStorage } from "../../server/storage/pg/PgMinutesStorage.ts";
import { appendParagraph, connectMinutes, plainText, roundTrip, upgradeStatus, type MinutesClient } from "../support/minutesClient.ts";
import { postgresUnreachable, testSchema } from "../support/postgres.ts";
import { REDIS_URL, redisUnreachable, testPrefix } from "../support/redis.ts";
import { makeDataDir } from "../support/server.ts";

/** What every test tears down, last in first out. */
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh schema and key prefix, dropped after the test. */
async function sharedServices(): Promise<{ url: string; prefix: string }> {
  const schema = await testSchema();
  const keys = testPrefix();
  cleanups.push(() => schema.drop(), () => keys.drop());
  return { url: schema.url, prefix: keys.prefix };
}

/** One server of the cluster: its registry, its HTTP server and its minutes. */
interface Node {
  url: string;
  registry: ConferenceRegistry;
  minutes: MinutesServer;
  pool: pg.Pool;
  /** The Redis connections its minutes subscribe on, as made. */
  subscribers: Redis[];
  stop(): Promise<void>;
}

interface NodeOptions {
  /** The publishing connection (default: one straight to Redis). */
  redis?: Redis;
  /** Where its subscribing connections go (default: straight to Redis). */
  subscribeVia?: string;
  /** The PostgreSQL pool its minutes use (default: one on the test's schema). */
  pool?: pg.Pool;
  minutes?: Omit<MinutesServerOptions, "cluster">;
}

/** A redis connection that does not print ioredis's "unhandled error" while a test has cut it. */
function redisAt(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, options);
  client.on("error", () => undefined);
  return client;
}

/** Starts a server over the test's database (its registry loads a conference when first asked for). */
async function startNode(services: { url: string; prefix: string }, options: NodeOptions = {}): Promise<Node> {
  const dataDir = await makeDataDir();
  const stores = await pgStores(services.url);
  const registry = new ConferenceRegistry(dataDir, stores);
  await registry.load();
  const pool = options.pool ?? new pg.Pool({ connectionString: services.url, max: 4 });
  pool.on("error", () => undefined);
  const redis = options.redis ?? redisAt(REDIS_URL);
  const subscribers: Redis[] = [];
  const cluster: MinutesCluster = {
    pool,
    redis,
    subscriber: () => {
      const subscriber = redisAt(options.subscribeVia ?? REDIS_URL);
      subscribers.push(subscriber);
      return subscriber;
    },
    prefix: services.prefix,
  };
  const http: HttpServer = createServer();
  const minutes = new MinutesServer(registry, { ...options.minutes, cluster });
  minutes.attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await minutes.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await registry.settled();
    await stores.close();
    await pool.end();
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  };
  cleanups.push(stop);
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, registry, minutes, pool, subscribers, stop };
}

interface Conference {
  id: string;
  secretaries: [string, string];
  delegate: string;
}

/** A conference created on `node`, its draft minutes shared, with two secretaries and a delegate. */
async function createConference(node: Node): Promise<Conference> {
  const { room, chairToken } = await node.registry.create({ title: "Hội nghị giao ban liên tỉnh" }, "Chủ trì");
  const chair = node.registry.authenticate(chairToken)!.participant;
  const share = await room.execute({ type: "minutes.share", shared: true }, { participantId: chair.id, role: "chair" });
  if (!share.ok) throw new Error(share.error.message);
  const tokenOf = async (name: string, role: "secretary" | "delegate") => {
    const added = await node.registry.addParticipant(room, { name, role }, "chair");
    if (!added.ok) throw new Error(added.error.message);
    return added.token;
  };
  const secretaries: [string, string] = [await tokenOf("Nguyễn Thị Thư", "secretary"), await tokenOf("Trần Văn Ký", "secretary")];
  const delegate = await tokenOf("Lê Đại Biểu", "delegate");
  await node.registry.settled();
  return { id: room.id, secretaries, delegate };
}

/** A synced minutes client, closed after the test. */
async function connect(node: Node, conferenceId: string, token: string, options: { reader?: boolean } = {}): Promise<MinutesClient> {
  const client = await connectMinutes(node.url, conferenceId, token, options);
  cleanups.push(() => client.close());
  return client;
}

const lines = (client: MinutesClient) => client.plainText().split("\n").filter((line) => line !== "");
const has = (client: MinutesClient, ...wanted: string[]) => () => wanted.every((line) => lines(client).includes(line));

/**
 * A TCP relay to Redis that the test cuts and restores: to the server behind it, Redis goes away
 * (its connections drop, new ones are refused) and comes back on the same address.
 */
class RedisLink {
  readonly #target = new URL(REDIS_URL);
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  #port = 0;

  /** The URL to give ioredis instead of Redis's own. */
  get url(): string {
    const url = new URL(REDIS_URL);
    url.hostname = "127.0.0.1";
    url.port = String(this.#port);
    return url.toString();
  }

  async open(): Promise<this> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.#target.port || 6379), this.#target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.#port, "127.0.0.1", resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  async cut(): Promise<void> {
    const server = this.#server!;
    this.#server = null;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  restore(): Promise<this> {
    return this.open();
  }

  async close(): Promise<void> {
    if (this.#server) await this.cut();
  }
}

async function redisLink(): Promise<RedisLink> {
  const link = await new RedisLink().open();
  cleanups.push(() => link.close());
  return link;
}

/** The HTTP status with which a server refuses (or 101 accepts) a minutes websocket. */
function minutesUpgradeStatus(node: Node, conferenceId: string, token: string): Promise<number> {
  return upgradeStatus(`${node.url}/yjs/${conferenceId}?token=${token}`);
}

const unreachable = postgresUnreachable ?? redisUnreachable;

describe.skipIf(unreachable !== null)("the minutes on several servers (PostgreSQL and Redis)", () => {
  it("carries an update typed on one server to the other's writers and readers, both ways, until they agree", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    const b = await startNode(services);
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    const writerB = await connect(b, conference.id, conference.secretaries[1]);
    const readerB = await connect(b, conference.id, conference.delegate, { reader: true });

    appendParagraph(writerA.doc, "Khai mạc hội nghị lúc 8 giờ 30.");
    await readerB.until(has(readerB, "Khai mạc hội nghị lúc 8 giờ 30."));
    await writerB.until(has(writerB, "Khai mạc hội nghị lúc 8 giờ 30."));

    appendParagraph(writerB.doc, "Đồng chí Chủ tịch phát biểu khai mạc.");
    await writerA.until(has(writerA, "Đồng chí Chủ tịch phát biểu khai mạc."));

    // Both type at once: each server applies the other's updates, and the three documents agree.
    for (let i = 0; i < 10; i++) {
      appendParagraph(writerA.doc, `A ${i}`);
      appendParagraph(writerB.doc, `B ${i}`);
    }
    const all = [...Array.from({ length: 10 }, (_, i) => `A ${i}`), ...Array.from({ length: 10 }, (_, i) => `B ${i}`)];
    for (const client of [writerA, writerB, readerB]) await client.until(has(client, ...all));
    expect(writerB.plainText()).toBe(writerA.plainText());
    expect(readerB.plainText()).toBe(writerA.plainText());
    expect(lines(writerA)).toHaveLength(22);
  });

  it("loads the stored edits of every server into a document opened later, and into the export", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    const b = await startNode(services);
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    for (let i = 0; i < 5; i++) appendParagraph(writerA.doc, `Dòng ${i}`);
    // Answered once everything sent before is stored.
    await roundTrip(writerA);

    // Nobody has it open on b: the export reads PostgreSQL.
    const exported = new Y.Doc();
    Y.applyUpdate(exported, await b.minutes.documentState((await b.registry.open(conference.id))!));
    expect(plainText(exported)).toBe(writerA.plainText());

    const readerB = await connect(b, conference.id, conference.delegate, { reader: true });
    expect(readerB.plainText()).toBe(writerA.plainText());
    // And from then on it follows.
    appendParagraph(writerA.doc, "Sau khi mở");
    await readerB.until(has(readerB, "Sau khi mở"));
  });

  it("keeps every update a client had been sent, for a server started afterwards over the same database", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    const b = await startNode(services);
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    const readerA = await connect(a, conference.id, conference.delegate, { reader: true });
    const readerB = await connect(b, conference.id, conference.delegate, { reader: true });
    const typed = Array.from({ length: 30 }, (_, i) => `Ý kiến ${i}`);
    for (const line of typed) appendParagraph(writerA.doc, line);
    await readerA.until(has(readerA, ...typed));
    await readerB.until(has(readerB, ...typed));

    // A new registry and minutes server, while a and b still run (as if they had died now).
    const c = await startNode(services);
    const readerC = await connect(c, conference.id, conference.delegate, { reader: true });
    expect(readerC.plainText()).toBe(readerB.plainText());

    // And after a and b stopped in order.
    await a.stop();
    await b.stop();
    const d = await startNode(services);
    const readerD = await connect(d, conference.id, conference.delegate, { reader: true });
    expect(readerD.plainText()).toBe(readerB.plainText());
  });

  it("converges again after a server's subscription to Redis was lost and came back", async () => {
    const services = await sharedServices();
    const link = await redisLink();
    const a = await startNode(services);
    const conference = await createConference(a);
    const b = await startNode(services, { subscribeVia: link.url });
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    const writerB = await connect(b, conference.id, conference.secretaries[1]);
    const readerB = await connect(b, conference.id, conference.delegate, { reader: true });
    appendParagraph(writerA.doc, "Trước");
    await readerB.until(has(readerB, "Trước"));

    const [subscriber] = b.subscribers;
    const lost = once(subscriber!, "close");
    await link.cut();
    await lost;
    appendParagraph(writerA.doc, "Trong lúc mất Redis");
    await roundTrip(writerA);
    // b publishes straight to Redis: its writer still reaches a.
    appendParagraph(writerB.doc, "Từ b trong lúc mất");
    await writerA.until(has(writerA, "Từ b trong lúc mất"));
    // What a published meanwhile went nowhere: b heard none of it.
    await roundTrip(readerB);
    expect(lines(readerB)).not.toContain("Trong lúc mất Redis");

    await link.restore();
    await readerB.until(has(readerB, "Trong lúc mất Redis"));
    await writerB.until(has(writerB, "Trong lúc mất Redis"));
    // And the relay works again.
    appendParagraph(writerA.doc, "Sau");
    await readerB.until(has(readerB, "Sau"));
    expect(readerB.plainText()).toBe(writerA.plainText());
    expect(writerB.plainText()).toBe(writerA.plainText());
  });

  it("tells the others to load again what it could not publish while Redis was away", async () => {
    const services = await sharedServices();
    const link = await redisLink();
    const a = await startNode(services);
    const conference = await createConference(a);
    // Without an offline queue, a publish fails at once while the link is down.
    const publisher = redisAt(link.url, { enableOfflineQueue: false });
    await once(publisher, "ready");
    const b = await startNode(services, { redis: publisher });
    const readerA = await connect(a, conference.id, conference.delegate, { reader: true });
    const writerB = await connect(b, conference.id, conference.secretaries[1]);
    appendParagraph(writerB.doc, "Trước");
    await readerA.until(has(readerA, "Trước"));

    const lost = once(publisher, "close");
    await link.cut();
    await lost;
    appendParagraph(writerB.doc, "Không gửi được");
    await roundTrip(writerB);
    await roundTrip(readerA);
    expect(lines(readerA)).not.toContain("Không gửi được");

    await link.restore();
    await readerA.until(has(readerA, "Không gửi được"));
    expect(readerA.plainText()).toBe(writerB.plainText());
  });

  it("compacts while two servers append, and loses nothing", async () => {
    const services = await sharedServices();
    const compaction = { maxRecords: 4, maxBytes: 1 << 20 };
    const a = await startNode(services, { minutes: { compaction } });
    const conference = await createConference(a);
    const b = await startNode(services, { minutes: { compaction } });
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    const writerB = await connect(b, conference.id, conference.secretaries[1]);
    const typed: string[] = [];
    for (let i = 0; i < 25; i++) {
      appendParagraph(writerA.doc, `a${i}`);
      appendParagraph(writerB.doc, `b${i}`);
      typed.push(`a${i}`, `b${i}`);
      // One batch each at a time, so that the log grows past the policy again and again.
      await Promise.all([roundTrip(writerA), roundTrip(writerB)]);
    }
    await writerA.until(has(writerA, ...typed));
    await writerB.until(has(writerB, ...typed));
    const storeA = a.minutes.storeOf(a.registry.view(conference.id)!);
    const storeB = b.minutes.storeOf(b.registry.view(conference.id)!);
    expect(storeA.stats.compactions + storeB.stats.compactions).toBeGreaterThan(2);
    const rows = await a.pool.query("select count(*)::int as n from minutes_updates where conference_id = $1", [conference.id]);
    expect(rows.rows[0].n).toBeLessThan(typed.length);

    const c = await startNode(services);
    const readerC = await connect(c, conference.id, conference.delegate, { reader: true });
    expect(new Set(lines(readerC))).toEqual(new Set(typed));
    expect(readerC.plainText()).toBe(writerA.plainText());
  });

  it("compacts the rows of one conference while others append to it, deleting only what it merged", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    const storage = async () => {
      const s = new PgMinutesStorage(a.pool, conference.id);
      await s.load();
      s.open();
      return s;
    };
    const appenders = await Promise.all([storage(), storage(), storage()]);
    const compactors = await Promise.all([storage(), storage()]);
    const typed: string[] = [];
    let appending = true;
    const appended = Promise.all(
      appenders.map(async (appender, n) => {
        const doc = new Y.Doc();
        for (let i = 0; i < 40; i++) {
          const updates: Uint8Array[] = [];
          doc.once("update", (update: Uint8Array) => updates.push(update));
          appendParagraph(doc, `${n}.${i}`);
          typed.push(`${n}.${i}`);
          await appender.append(updates);
        }
      }),
    ).finally(() => (appending = false));
    const compacted = Promise.all(
      compactors.map(async (compactor) => {
        let runs = 0;
        while (appending) {
          await compactor.compact();
          runs++;
        }
        return runs;
      }),
    );
    await appended;
    expect((await compacted).every((runs) => runs > 0)).toBe(true);

    const check = await storage();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(check.read()));
    const stored = plainText(doc).split("\n");
    expect(stored).toHaveLength(typed.length);
    expect(new Set(stored)).toEqual(new Set(typed));
    // Each appender's lines in its own order (a paragraph appended after its previous one).
    for (let n = 0; n < 3; n++) expect(stored.filter((line) => line.startsWith(`${n}.`))).toEqual(Array.from({ length: 40 }, (_, i) => `${n}.${i}`));
    // One more compaction leaves one row with all of it.
    await check.compact();
    const rows = await a.pool.query("select update from minutes_updates where conference_id = $1", [conference.id]);
    expect(rows.rowCount).toBe(1);
    const compactedDoc = new Y.Doc();
    Y.applyUpdate(compactedDoc, rows.rows[0].update);
    expect(plainText(compactedDoc)).toBe(plainText(doc));
  });

  it("refuses a document's first connection with 503 when its PostgreSQL cannot be reached", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    // Nothing listens on port 1: every connection is refused.
    const nowhere = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:1/test", connectionTimeoutMillis: 1_000 });
    const b = await startNode(services, { pool: nowhere, minutes: { limits: { loadTimeoutMs: 2_000 } } });
    expect(await minutesUpgradeStatus(b, conference.id, conference.delegate)).toBe(503);
    // The registry's own database is fine: a works.
    expect(await minutesUpgradeStatus(a, conference.id, conference.delegate)).toBe(101);
  });

  it("refuses a document's first connection with 503 once its load takes longer than the bound, then loads when it can", async () => {
    const services = await sharedServices();
    const a = await startNode(services);
    const conference = await createConference(a);
    const writerA = await connect(a, conference.id, conference.secretaries[0]);
    appendParagraph(writerA.doc, "Đã lưu");
    await roundTrip(writerA);
    // A "PostgreSQL" that takes connections and never answers, until the test lets them through.
    const held = new Set<net.Socket>();
    const passed = new Set<net.Socket>();
    let answering = false;
    const target = new URL(services.url);
    const silent = net.createServer((client) => {
      client.on("error", () => undefined);
      if (!answering) return void held.add(client);
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      passed.add(client);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentUrl = new URL(services.url);
    silentUrl.hostname = "127.0.0.1";
    silentUrl.port = String((silent.address() as AddressInfo).port);
    const slow = new pg.Pool({ connectionString: silentUrl.toString() });
    const b = await startNode(services, { pool: slow, minutes: { limits: { loadTimeoutMs: 300 } } });
    // Runs before b stops (last in, first out): b's compaction as its reader leaves loses its
    // connection, which must fail that compaction, not the process; and b's pool can end.
    cleanups.push(async () => {
      for (const socket of [...held, ...passed]) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    expect(await minutesUpgradeStatus(b, conference.id, conference.delegate)).toBe(503);

    // The held connection fails; the next attempt reaches PostgreSQL.
    answering = true;
    for (const socket of held) socket.destroy();
    const readerB = await connect(b, conference.id, conference.delegate, { reader: true });
    expect(lines(readerB)).toEqual(["Đã lưu"]);
  });
});
