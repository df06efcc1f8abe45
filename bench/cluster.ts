/**
 * The cluster (issue 18): three of our server processes sharing one PostgreSQL schema and one Redis
 * key prefix, fresh for each run and dropped after it, with the clients spread evenly over the
 * three. The server that creates the conference owns it; the other two forward their clients'
 * commands to it over Redis, and its broadcasts reach their clients through the Socket.IO Redis
 * streams adapter. Measured with the single-server scenarios' own runs (`fanOutRun`,
 * `voteBurstRun`), alternately with our single server (files, no cluster) in the same invocation:
 * the rows' "baseline" is that single server.
 *
 * PostgreSQL and Redis are this machine's (tests/support/postgres.ts and redis.ts: `TEST_DATABASE_URL`,
 * `TEST_REDIS_URL`, or 127.0.0.1's); unreachable, the scenario is skipped with the reason.
 */
import { alternate, type Child } from "./lib.ts";
import { ackTarget, fanOutRun, ourServer, row, startServer, startWorkers, voteBurstRun, votersOf, type FanOutRun, type Rig, type VoteBurstRun } from "./scenarios.ts";

export const CLUSTER_SIZE = 3;

/**
 * This machine's PostgreSQL and Redis, or why they cannot be used. Imported here, not at the top:
 * they probe their service as they load, which only this scenario needs.
 */
async function services() {
  const { postgresUnreachable, testSchema } = await import("../tests/support/postgres.ts");
  const { REDIS_URL, redisUnreachable, testPrefix } = await import("../tests/support/redis.ts");
  return { unreachable: postgresUnreachable ?? redisUnreachable, testSchema, REDIS_URL, testPrefix };
}

/**
 * `size` servers of one cluster with the client workers. The conference is created on the first,
 * which owns it; the fan-out's sender is on the last, so its request is forwarded like those of
 * two thirds of the hall.
 */
async function startCluster(size = CLUSTER_SIZE): Promise<Rig> {
  const { unreachable, testSchema, REDIS_URL, testPrefix } = await services();
  if (unreachable !== null) throw new Error(`the cluster scenario needs PostgreSQL and Redis: ${unreachable}`);
  const schema = await testSchema();
  const keys = testPrefix();
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  const workers: Child[] = [];
  const stop = async () => {
    for (const worker of workers) await worker.stop();
    for (const server of servers) await server.stop();
    await keys.drop();
    await schema.drop();
  };
  try {
    // One after another: the first migrates the schema, the others find it done.
    for (let i = 0; i < size; i++) {
      servers.push(await startServer("processes/giaoBanServer.ts", { BENCH_DATABASE_URL: schema.url, BENCH_REDIS_URL: REDIS_URL, BENCH_REDIS_PREFIX: keys.prefix }));
    }
    workers.push(...(await startWorkers()));
  } catch (error) {
    await stop();
    throw error;
  }
  const owner = servers[0]!;
  return { server: owner.child, url: owner.url, urls: servers.map((s) => s.url), senderUrl: servers.at(-1)!.url, workers, stop };
}

/**
 * Fan-out to `clients` clients over the three servers, and a burst of `burst` votes from voters
 * over the three (two thirds of them forwarded to the owner); each alternately with one server.
 */
export async function cluster(clients: number, rounds: number, burst: number) {
  // Without the services, the rest of `npm run bench` still runs: skipped, with the reason.
  const { unreachable } = await services();
  if (unreachable !== null) {
    console.warn(`cluster skipped: PostgreSQL or Redis is not reachable (${unreachable})`);
    return { raw: { skipped: unreachable }, rows: [] };
  }
  const fan = await alternate(
    () => fanOutRun(startCluster, true, clients, rounds),
    () => fanOutRun(ourServer, true, clients, rounds),
  );
  const voters = votersOf(burst);
  const votes = await alternate(
    () => voteBurstRun(startCluster, true, voters),
    () => voteBurstRun(ourServer, true, voters),
  );
  const fanOf = (pick: (r: FanOutRun) => number) => [fan.ours.map(pick), fan.baseline.map(pick)] as const;
  const votesOf = (pick: (r: VoteBurstRun) => number) => [votes.ours.map(pick), votes.baseline.map(pick)] as const;
  const name = `cluster of ${CLUSTER_SIZE} (baseline: one server)`;
  return {
    raw: { fanOut: fan, votes },
    rows: [
      row(`${name}: fan-out p50 (request → a client)`, "ms", ...fanOf((r) => r.perClient.p50)),
      row(`${name}: fan-out p99 (request → a client)`, "ms", ...fanOf((r) => r.perClient.p99)),
      row(`${name}: fan-out p99 until every client has it`, "ms", ...fanOf((r) => r.untilAll.p99)),
      row(`${name}: ${voters} votes: acked`, "votes", ...votesOf((r) => r.acked), `all ${voters}`),
      row(`${name}: ${voters} votes: tally after closing`, "votes", ...votesOf((r) => r.tally), `exactly ${voters}`),
      row(`${name}: ${voters} votes: ack p50`, "ms", ...votesOf((r) => r.ack.p50)),
      row(`${name}: ${voters} votes: ack p99`, "ms", ...votesOf((r) => r.ack.p99), ackTarget(voters)),
      row(`${name}: ${voters} votes: turnout events per client`, "events", ...votesOf((r) => r.turnoutEventsPerClient)),
      row(`${name}: ${voters} votes: close until every client has the tally`, "ms", ...votesOf((r) => r.closeUntilAllSeeMs)),
    ],
  };
}
