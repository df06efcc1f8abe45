/**
 * `npm run bench`: measures the real server against plain baselines on this machine and writes
 * bench/results/latest.json. BENCH_CLIENTS scales the client count (default 1000) for quick runs;
 * BENCH_ONLY=fanout,votes,memory,minutes,sizes picks scenarios.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { fanOut, memory, voteBurst, type Row } from "./scenarios.ts";

const clients = Number(process.env.BENCH_CLIENTS ?? 1000);
const only = new Set((process.env.BENCH_ONLY ?? "fanout,votes,memory,minutes,sizes").split(","));
const results: Record<string, unknown> = {};
const rows: Row[] = [];

async function scenario(name: string, run: () => Promise<{ rows: Row[]; raw: unknown }>) {
  if (!only.has(name)) return;
  process.stdout.write(`running ${name}… `);
  const started = Date.now();
  const { rows: scenarioRows, raw } = await run();
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  rows.push(...scenarioRows);
  results[name] = raw;
}

await scenario("fanout", () => fanOut(clients, 30));
await scenario("votes", () => voteBurst(clients));
await scenario("memory", () => memory(clients));
const extra = await import("./extraScenarios.ts").catch(() => null);
if (extra) {
  await scenario("minutes", () => extra.minutes());
  await scenario("sizes", () => extra.sizes());
}

console.table(rows.map((r) => ({ metric: r.metric, unit: r.unit, ours: r.ours, baseline: r.baseline ?? "", ratio: r.ratio ?? "", target: r.target ?? "" })));
const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: process.platform, date: new Date().toISOString(), clients };
await mkdir(join(import.meta.dirname, "results"), { recursive: true });
await writeFile(join(import.meta.dirname, "results/latest.json"), `${JSON.stringify({ machine, rows, results }, null, 2)}\n`);
console.log("written to bench/results/latest.json");
process.exit(0);
