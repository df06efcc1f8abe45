/**
 * A server in its own process, for tests that kill it: `node --import tsx tests/support/childServer.ts`
 * with DATA_DIR set (and DATABASE_URL, REDIS_URL, REDIS_PREFIX for a cluster's server). Prints
 * `PORT <n>` once it listens.
 */
import { createGiaoBanServer } from "../../server/app.ts";
import { RELAXED_LIMITS } from "./server.ts";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR is required");
// With DATABASE_URL and REDIS_URL (and REDIS_PREFIX), one server of a cluster (issue 18).
const server = await createGiaoBanServer({
  dataDir,
  // SERVE_CLIENT=1: the built web client too (a browser test of a cluster).
  serveClient: process.env.SERVE_CLIENT === "1",
  // LIMITS: a JSON object of limits in place of the relaxed ones (a test of the limits themselves).
  limits: { ...RELAXED_LIMITS, ...(process.env.LIMITS ? JSON.parse(process.env.LIMITS) : {}) },
  databaseUrl: process.env.DATABASE_URL || undefined,
  redisUrl: process.env.REDIS_URL || undefined,
  redisPrefix: process.env.REDIS_PREFIX || undefined,
  ...(process.env.IDLE_UNLOAD_MS && { idleUnloadMs: Number(process.env.IDLE_UNLOAD_MS) }),
});
const port = await server.listen(0, "127.0.0.1");
process.stdout.write(`PORT ${port}\n`);
