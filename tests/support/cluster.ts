/**
 * Servers of one cluster (issue 18), each in its own process so a test can kill or pause it: a
 * real PostgreSQL schema and a real Redis key prefix of their own, dropped afterwards.
 */
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

export async function startCluster(size: number): Promise<Cluster> {
  const schema = await testSchema();
  const keys = testPrefix();
  const servers: ChildServer[] = [];
  const add = async () => {
    const server = await spawnServer(await makeDataDir(), { DATABASE_URL: schema.url, REDIS_URL, REDIS_PREFIX: keys.prefix });
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
