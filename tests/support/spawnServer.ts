import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Resolves with the signal (or exit code) the process ended with. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** SIGKILL: the process dies at once, with no chance to store anything. */
  kill9(): Promise<void>;
  /** What it has printed so far (stdout and stderr). */
  output(): string;
  /**
   * Resolves with the time (`Date.now()`) at which it has printed a line matching `pattern`
   * (at once if it already has); rejects after `timeoutMs`.
   */
  printed(pattern: RegExp, timeoutMs?: number): Promise<number>;
}

/** The real server in its own process (tests/support/childServer.ts), so a test can kill it; `env` adds to its environment. */
export function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/childServer.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  const kill9 = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  let errors = "";
  let all = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk) => (all += chunk));
  const output = () => all;
  const printed = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<number>((resolve, reject) => {
      if (pattern.test(all)) return resolve(Date.now());
      const check = () => {
        if (!pattern.test(all)) return;
        done();
        resolve(Date.now());
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the server did not print ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        for (const stream of [child.stdout!, child.stderr!]) stream.off("data", check);
      };
      // After the listener that keeps `all`, registered first: it has the chunk by now.
      for (const stream of [child.stdout!, child.stderr!]) stream.on("data", check);
    });
  // To see what the server says while a test runs.
  if (process.env.CHILD_LOGS) {
    child.stderr!.on("data", (chunk) => process.stderr.write(`[${child.pid}] ${chunk}`));
    child.stdout!.on("data", (chunk) => process.stderr.write(`[${child.pid}] ${chunk}`));
  }
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/PORT (\d+)/);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, exited, kill9, output, printed });
    });
    void exited.then((how) => reject(new Error(`the server exited (${how}) before listening: ${errors}`)));
  });
}
