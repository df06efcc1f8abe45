/**
 * Our real server in a child process for the benchmarks: a temporary data directory, no demo,
 * production limits except for the per-address ones (every bench client shares 127.0.0.1).
 * With BENCH_DATABASE_URL and BENCH_REDIS_URL (and BENCH_REDIS_PREFIX), one server of a cluster
 * (issue 18; bench/cluster.ts); without them, files only, whatever DATABASE_URL the shell exports.
 * Answers `{type: "profile"}` (bench/profile.ts) and `{type: "stats"}` over IPC with its RSS, live heap, and each conference's storage writes and bytes written.
 */
import { createGiaoBanServer } from "../../server/app.ts";
import { answerProfileRequests } from "../profile.ts";

const server = await createGiaoBanServer({
  dataDir: process.env.DATA_DIR!,
  serveClient: process.env.SERVE_CLIENT === "1",
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  redisUrl: process.env.BENCH_REDIS_URL || undefined,
  redisPrefix: process.env.BENCH_REDIS_PREFIX || undefined,
  // The fan-out sender issues requests back to back, faster than any delegate would.
  limits: { createBurst: 1e6, createPerSecond: 1e6, joinFailureBurst: 1e6, joinFailurePerSecond: 1e6, commandBurst: 1e6, commandsPerSecond: 1e6, connectionsPerAddress: 1e6 },
});
const port = await server.listen(0, "127.0.0.1");

process.on("message", (message: { type: string; id?: number }) => {
  if (message.type !== "stats") return;
  (globalThis as { gc?: () => void }).gc?.();
  const rooms = [...server.registry.rooms()];
  const writes = Object.fromEntries(rooms.map((room) => [room.id, room.stats.writes]));
  const bytes = Object.fromEntries(rooms.map((room) => [room.id, room.stats.bytes]));
  const usage = process.memoryUsage();
  process.send!({ type: "stats", id: message.id, rss: usage.rss, heap: usage.heapUsed, usage, writes, bytes });
});
answerProfileRequests();
process.send!({ type: "ready", port });

process.on("SIGTERM", () => process.exit(0));
