import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Runs one exported function of one of our modules on a fresh worker thread and answers its result:
 * for work whose CPU time grows with its input (a long DOCX, a big workbook), so that the event loop
 * keeps serving every other conference meanwhile. The worker loads the module through tsx's
 * `tsImport` (the server runs as TypeScript under tsx, and tests under vitest, whose loader a worker
 * thread does not inherit), calls the function once and exits: nothing stays resident.
 */
export interface OffThreadOptions {
  /** A worker still at it after this long is stuck (or fed something hostile): it is terminated. */
  timeoutMs: number;
  /** The worker's heap bounds: a workbook built to blow up in memory kills the worker, never the server. */
  resourceLimits?: ResourceLimits;
}

/** The worker gave no answer in time; the caller should not retry the same work inline. */
export class OffThreadTimeout extends Error {}

/** The worker ran out of the memory it was allowed. */
export class OffThreadOutOfMemory extends Error {}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.tsx)
  .then((tsx) => tsx.tsImport(workerData.module, workerData.module))
  .then((module) => module[workerData.exportName](workerData.input))
  .then((result) => parentPort.postMessage({ ok: true, result }), (error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error), stack: String((error && error.stack) || error) }));
`;

/** tsx's ESM API by URL (its CommonJS build cannot find its own loader from an eval'd worker). */
function tsxApiUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
}

/** An error the function threw in the worker, with its message as thrown. */
export class OffThreadError extends Error {
  constructor(
    message: string,
    readonly workerStack: string,
  ) {
    super(message);
  }
}

/**
 * Calls `module[exportName](input)` on a worker thread (`moduleUrl`: the module's `import.meta.url`).
 * Rejects with `OffThreadError` when the function throws, `OffThreadTimeout` past the time,
 * `OffThreadOutOfMemory` past the heap bounds, and the worker's own error if it cannot start.
 */
export function runOffThread<I, O>(moduleUrl: string, exportName: string, input: I, options: OffThreadOptions): Promise<O> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { tsx: tsxApiUrl(), module: moduleUrl, exportName, input },
      ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
    });
    // A shutdown need not wait for work nobody will receive.
    worker.unref();
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new OffThreadTimeout(`no answer from the worker in ${options.timeoutMs / 1000} s`)));
      void worker.terminate();
    }, options.timeoutMs);
    timer.unref();
    worker.once("message", (answer: { ok: true; result: O } | { ok: false; message: string; stack: string }) => {
      settle(() => (answer.ok ? resolve(answer.result) : reject(new OffThreadError(answer.message, answer.stack))));
      void worker.terminate();
    });
    worker.once("error", (error: Error & { code?: string }) => {
      settle(() => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new OffThreadOutOfMemory(error.message) : error));
    });
    worker.once("exit", (code) => settle(() => reject(new Error(`the worker exited with ${code}`))));
  });
}
