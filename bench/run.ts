/**
 * `npm run bench`: measures the real server against plain baselines on this machine and writes
 * bench/results/latest.json. Each scenario runs ours and its baseline alternately BENCH_RUNS times
 * (default 3) and reports medians and ranges. BENCH_CLIENTS scales the client count (default
 * 1000) for quick runs; BENCH_VOTERS the vote bursts (default 1000,2000,5000); BENCH_CLUSTER_VOTERS
 * the cluster's burst (default 2000); BENCH_ONLY picks scenarios
 * (fanout,votes,cluster,memory,minutes,sizes,pages,daylong,growth; `cluster` needs PostgreSQL and Redis).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { RUNS, type Spread } from "./lib.ts";
import { minutes, sizes } from "./extraScenarios.ts";
import { costBySize, dayLong } from "./growth.ts";
import { cluster } from "./cluster.ts";
import { pageLoad } from "./pageLoad.ts";
import { fanOut, memory, voteBurst, type Row } from "./scenarios.ts";

const clients = Number(process.env.BENCH_CLIENTS ?? 1000);
const only = new Set((process.env.BENCH_ONLY ?? "fanout,votes,cluster,memory,minutes,sizes,pages,daylong,growth").split(","));
const voters = (process.env.BENCH_VOTERS ?? `${clients},2000,5000`).split(",").map(Number);
const clusterVoters = Number(process.env.BENCH_CLUSTER_VOTERS ?? 2000);
/** Requests of each fan-out run. */
const FAN_OUT_ROUNDS = 30;
const results: Record<string, unknown> = {};
/** A full run is `latest.json`; a run of some scenarios (`BENCH_ONLY`) goes beside it and leaves it be. */
const RESULTS_FILE = process.env.BENCH_ONLY ? `only-${[...only].join("-")}.json` : "latest.json";
const rows: Row[] = [];

/** A median with its range, as the README shows it: 59 (57–60). */
const shown = (s: Spread | null) => (s === null ? "" : s.min === s.max ? `${s.median}` : `${s.median} (${s.min}–${s.max})`);
const shownRow = (r: Row) => ({ metric: r.metric, unit: r.unit, ours: shown(r.ours), baseline: shown(r.baseline), ratio: shown(r.ratio), target: r.target ?? "" });

async function save() {
  const machine = { runs: RUNS, cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: process.platform, date: new Date().toISOString(), clients };
  await mkdir(join(import.meta.dirname, "results"), { recursive: true });
  await writeFile(join(import.meta.dirname, "results", RESULTS_FILE), `${JSON.stringify({ machine, rows, results }, null, 2)}\n`);
}

async function scenario(name: string, run: () => Promise<{ rows: Row[]; raw: unknown }>) {
  if (!only.has(name)) return;
  process.stdout.write(`running ${name}… `);
  const started = Date.now();
  const { rows: scenarioRows, raw } = await run();
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  rows.push(...scenarioRows);
  results[name] = results[name] === undefined ? raw : [results[name], raw].flat();
  // Shown and saved as each scenario ends: a later one that fails loses nothing measured before.
  console.table(scenarioRows.map(shownRow));
  await save();
}

await scenario("fanout", () => fanOut(clients, FAN_OUT_ROUNDS));
for (const n of voters) await scenario("votes", () => voteBurst(n));
await scenario("cluster", () => cluster(clients, FAN_OUT_ROUNDS, clusterVoters));
await scenario("memory", () => memory(clients));
await scenario("minutes", minutes);
await scenario("sizes", sizes);
await scenario("pages", pageLoad);
await scenario("daylong", dayLong);
await scenario("growth", costBySize);

console.table(rows.map(shownRow));
console.log(`written to bench/results/${RESULTS_FILE}`);
process.exit(0);
