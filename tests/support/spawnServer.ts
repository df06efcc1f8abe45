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
  let printed = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk) => (printed += chunk));
  const output = () => printed;
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
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, exited, kill9, output });
    });
    void exited.then((how) => reject(new Error(`the server exited (${how}) before listening: ${errors}`)));
  });
}
