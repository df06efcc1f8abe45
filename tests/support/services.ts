/**
 * A PostgreSQL and a Redis of a test's own, on free ports, that it may stop and start again
 * (issue 18's outages) without touching the machine's services the other tests share. Built from
 * Debian's binaries (postgresql, redis-server); without them the tests are skipped with the reason,
 * except in CI, where it is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { freePort } from "./ports.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const PG_ROOT = "/usr/lib/postgresql";
const pgBin = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).map((v) => join(PG_ROOT, v, "bin")).find((dir) => existsSync(join(dir, "pg_ctl"))) : undefined;
const redisBin = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find(existsSync);
const asRoot = process.getuid?.() === 0;

/** Why a private PostgreSQL and Redis cannot be started here, or null. */
export const servicesMissing = !pgBin ? "no PostgreSQL server binaries under /usr/lib/postgresql" : !redisBin ? "no redis-server" : null;
if (servicesMissing && process.env.CI) throw new Error(`the outage tests need their own services in CI: ${servicesMissing}`);
if (servicesMissing) console.warn(`skipping the outage tests: ${servicesMissing}`);

/** Runs a PostgreSQL tool, as the postgres user when we are root (the server refuses to run as root). */
function pgTool(tool: string, args: string[]): void {
  const command = asRoot ? "runuser" : join(pgBin!, tool);
  const all = asRoot ? ["-u", "postgres", "--", join(pgBin!, tool), ...args] : args;
  const run = spawnSync(command, all, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed: ${run.stderr || run.stdout}`);
}

export interface PrivatePostgres {
  url: string;
  /** Stops the server at once (`-m immediate`: as if it crashed) and waits until it is down. */
  stop(): void;
  start(): void;
  dispose(): Promise<void>;
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), "giaoban-pg-"));
  if (asRoot) await chown(dir, ...postgresIds());
  const data = join(dir, "data");
  const port = await freePort();
  pgTool("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => pgTool("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  const stop = () => pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async dispose() {
      try {
        stop();
      } catch {
        // already down
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresIds(): [number, number] {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return [id("-u"), id("-g")];
}

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: everything it held is gone, it keeps nothing on disk) and starts a new one on the same port. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    const started = spawn(redisBin!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "ignore"] });
    child = started;
    // Ready once it says so.
    await new Promise<void>((resolve, reject) => {
      let said = "";
      // Read on after that too (the listener stays), so that its log never fills the pipe.
      started.stdout!.on("data", (chunk) => {
        if (said.length < 10_000) said += chunk;
        if (/Ready to accept connections/.test(said)) resolve();
      });
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${said}`)));
    });
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await kill();
      await start();
    },
    dispose: kill,
  };
}

/** Whether a PostgreSQL at `url` answers now. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
