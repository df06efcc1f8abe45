import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io-client";

export const now = () => performance.timeOrigin + performance.now();

/** A child process spoken to over IPC: messages out, replies matched by `id` or by type. */
export class Child {
  readonly process: ChildProcess;
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.process = child;
  }

  static async start(script: string, env: Record<string, string> = {}): Promise<{ child: Child; ready: any }> {
    const child = fork(join(import.meta.dirname, script), [], {
      execArgv: ["--import", "tsx", "--expose-gc"],
      env: { ...process.env, ...env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const wrapped = new Child(child);
    const ready = await wrapped.next("ready");
    return { child: wrapped, ready };
  }

  /** The next message of this type. */
  next(type: string, id?: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: any) => {
        if (message.type !== type || (id !== undefined && message.id !== id)) return;
        this.process.off("message", onMessage);
        this.process.off("exit", onExit);
        resolve(message);
      };
      const onExit = (code: number) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
      this.process.on("message", onMessage);
      this.process.once("exit", onExit);
    });
  }

  /** Sends a message with a fresh id and waits for the reply of `replyType` with that id. */
  ask(message: Record<string, unknown>, replyType: string): Promise<any> {
    const id = this.#nextId++;
    const reply = this.next(replyType, id);
    this.process.send({ ...message, id });
    return reply;
  }

  send(message: Record<string, unknown>): void {
    this.process.send(message);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once("exit", resolve));
    // SIGTERM first, so a profiled process can write its profile; SIGKILL if it lingers.
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
}

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "giaoban-bench-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(values: number[]) {
  return {
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(values.reduce((a, b) => Math.max(a, b), -Infinity)),
    n: values.length,
  };
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Splits `items` into `parts` nearly equal slices. */
export function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.filter((_, j) => j % parts === i));
}

export async function json(url: string, path: string, body?: unknown, token?: string): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** How many times each scenario measures ours and its baseline, alternately (BENCH_RUNS, at least 3 by default). */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

/**
 * Runs `ours` and `baseline` alternately `runs` times (ours, baseline, ours, …), so that a slow
 * moment of the machine falls on both, and answers every run's result of each.
 */
export async function alternate<T, B = T>(
  ours: () => Promise<T>,
  baseline: (() => Promise<B>) | null,
  runs = RUNS,
): Promise<{ ours: T[]; baseline: B[] }> {
  const result: { ours: T[]; baseline: B[] } = { ours: [], baseline: [] };
  for (let run = 0; run < runs; run++) {
    result.ours.push(await ours());
    if (baseline) result.baseline.push(await baseline());
  }
  return result;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A figure over repeated runs: the median and the range, never a best run. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: number[], digits = 2): Spread {
  return {
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
    runs: values.map((v) => round(v, digits)),
  };
}

/** Sends a command and throws unless it is accepted; answers the ack. */
export async function emit(socket: Socket, command: Record<string, unknown>): Promise<{ ok: true; seq: number } & Record<string, any>> {
  const ack = await socket.timeout(30_000).emitWithAck("command", command);
  if (!ack.ok) throw new Error(`${String(command.type)}: ${JSON.stringify(ack.error)}`);
  return ack;
}

/** `count` delegates joined through the join code, 50 at once; answers their tokens. */
export async function joinDelegates(url: string, conference: { id: string; joinCode: string }, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) =>
      json(url, `/api/conferences/${conference.id}/join`, {
        joinCode: conference.joinCode,
        name: `Đại biểu ${i + j + 1}`,
        organisation: `Liên hiệp Hội tỉnh ${(i + j) % 63}`,
        attendance: (i + j) % 3 === 0 ? "online" : "hall",
      }),
    );
    for (const joined of await Promise.all(batch)) tokens.push(joined.token);
  }
  return tokens;
}
