/**
 * Servers of one cluster (issue 18), each in its own process so a test can kill or pause it: a
 * real PostgreSQL schema and a real Redis key prefix of their own, dropped afterwards.
 */
import pg from "pg";
import { afterEach } from "vitest";
import { makeDataDir } from "./server.ts";
import { testSchema } from "./postgres.ts";
import { REDIS_URL, testPrefix } from "./redis.ts";
import { spawnServer, type ChildServer } from "./spawnServer.ts";

export interface Cluster {
  servers: ChildServer[];
  databaseUrl: string;
  prefix: string;
  /** Starts one more server of the cluster. */
  add(): Promise<ChildServer>;
  dispose(): Promise<void>;
}

/**
 * `size` servers, one after another. `redisUrl`, `databaseUrl`: a test's own services (default:
 * the machine's, in a schema and under a prefix of the test's own); `env`: more of each server's
 * environment.
 */
export async function startCluster(size: number, services: { redisUrl?: string; databaseUrl?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const schema = services.databaseUrl ? { url: services.databaseUrl, drop: async () => undefined } : await testSchema();
  const keys = services.redisUrl ? { prefix: "giaoban", drop: async () => undefined } : testPrefix();
  const redisUrl = services.redisUrl ?? REDIS_URL;
  const servers: ChildServer[] = [];
  const add = async () => {
    const server = await spawnServer(await makeDataDir(), { ...services.env, DATABASE_URL: schema.url, REDIS_URL: redisUrl, REDIS_PREFIX: keys.prefix });
    servers.push(server);
    return server;
  };
  // One after another: the first takes the conferences, and each finds the others' migrations done.
  for (let i = 0; i < size; i++) await add();
  return {
    servers,
    databaseUrl: schema.url,
    prefix: keys.prefix,
    add,
    async dispose() {
      for (const server of servers) {
        if (server.child.signalCode === "SIGSTOP" || server.child.exitCode === null) server.child.kill("SIGCONT");
        await server.kill9();
      }
      await keys.drop();
      await schema.drop();
    },
  };
}

/** The rows a query answers, on a connection of its own. */
export async function pgRows(databaseUrl: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** The server that holds a live lease on the conference (its id), or null. */
export async function ownerOf(databaseUrl: string, conferenceId: string): Promise<string | null> {
  const [row] = await pgRows(databaseUrl, "select owner, lease_until > now() as live from conferences where id = $1", [conferenceId]);
  return row?.live ? (row.owner as string) : null;
}

/**
 * Asks a server again, as soon as it has answered, until the answer passes `test` (a command sent
 * again with its `commandId`, a connection tried again); fails after `ms`. Each round waits for the
 * server's answer, never for a fixed time.
 */
export async function untilAnswered<T>(ms: number, ask: () => Promise<T>, test: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await ask();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms (last: ${JSON.stringify(value)})`);
  }
}

/**
 * A cluster per test, within a `describe`: what the test starts (`start`) and keeps (`keep`: its
 * clients) is closed after each test, then the cluster stopped, then what it hands `after` (a
 * service of its own) disposed of.
 */
export function clusterPerTest() {
  let cluster: Cluster | null = null;
  const kept: { close(): void }[] = [];
  const disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const item of kept.splice(0)) item.close();
    await cluster?.dispose();
    cluster = null;
    for (const dispose of disposers.splice(0)) await dispose();
  });
  return {
    async start(...args: Parameters<typeof startCluster>): Promise<Cluster> {
      cluster = await startCluster(...args);
      return cluster;
    },
    /** Closed after the test; answers what it was given. */
    keep<T extends { close(): void }>(...items: T[]): T[] {
      kept.push(...items);
      return items;
    },
    after(dispose: () => Promise<void>): void {
      disposers.push(dispose);
    },
  };
}
