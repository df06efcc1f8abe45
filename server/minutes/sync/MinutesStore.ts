import { closeSync, fdatasync, fsyncSync, ftruncate, ftruncateSync, openSync, readFileSync, close, write } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import * as Y from "yjs";
import { syncDirectory } from "../../storage/DurableJsonFile.ts";
import { decodeRecords, encodeRecord, encodeRecords, RECORD_HEADER_BYTES } from "./updateLog.ts";

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const ftruncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);

/** File names inside the conference's directory. */
export const MINUTES_LOG = "minutes.yupdates";
export const MINUTES_SNAPSHOT = "minutes.ysnap";

export interface CompactionPolicy {
  /** Compact once the log holds this many records... */
  maxRecords: number;
  /** ...or this many bytes. */
  maxBytes: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxRecords: 2000, maxBytes: 2 * 1024 * 1024 };

const RETRY_MS = [20, 100, 500, 2000];

/** Marks updates the store applies itself (loading), so they are not logged again. */
const LOADING = Symbol("minutes.load");

/**
 * Messages held until the log reaches `target` appends. Every message registered before the
 * sealing microtask runs shares one batch, so a broadcast to 300 readers costs one entry, not 300.
 */
interface DurableBatch {
  target: number;
  run: (() => void)[];
}

/**
 * The minutes of one conference on disk: a compacted snapshot (`minutes.ysnap`, one record,
 * replaced by temp file + fsync + rename) and an append-only log of the updates since
 * (`minutes.yupdates`). Every update of the live document is appended; appends made in the same
 * turn of the event loop share one write + fdatasync (group commit). `afterDurable` lets the
 * socket layer hold outgoing messages until what they carry is on disk, so an update another
 * client has seen survives a kill -9.
 */
export class MinutesStore {
  readonly dir: string;
  readonly logPath: string;
  readonly snapshotPath: string;
  readonly #policy: CompactionPolicy;
  #fd: number | null = null;
  /** Log bytes and records on disk and synced. */
  #committedBytes = 0;
  #logRecords = 0;
  /** Updates being written now, and those waiting for the next write. */
  #inflight: Uint8Array[] = [];
  #pending: Uint8Array[] = [];
  /** Bytes of the updates in `#inflight` and `#pending`: what the disk has yet to take. */
  #backlogBytes = 0;
  /** Updates appended so far / made durable so far (counters, for the barrier). */
  #appended = 0;
  #durable = 0;
  /**
   * Batches waiting for the disk, oldest first from `#head`: a queue with a moving head, because
   * shifting an array of 60,000 waiters once per released waiter was quadratic (issue 12, item 5).
   */
  #batches: (DurableBatch | undefined)[] = [];
  #head = 0;
  /** Messages registered since the last seal; their target is taken when the microtask runs. */
  #unsealed: (() => void)[] | null = null;
  #flushing: Promise<void> | null = null;
  #compactRequested = false;
  #doc: Y.Doc | null = null;
  #unobserve: (() => void) | null = null;
  /** Times the log was compacted, for tests. */
  compactions = 0;

  constructor(dir: string, policy: CompactionPolicy = DEFAULT_COMPACTION) {
    this.dir = dir;
    this.logPath = join(dir, MINUTES_LOG);
    this.snapshotPath = join(dir, MINUTES_SNAPSHOT);
    this.#policy = policy;
  }

  /** Records in the log now (for tests and compaction). */
  get logRecords(): number {
    return this.#logRecords + this.#inflight.length + this.#pending.length;
  }

  /** Bytes of updates not yet on disk: the socket layer stops reading writers past a bound. */
  get backlogBytes(): number {
    return this.#backlogBytes;
  }

  /**
   * Loads the stored minutes into `doc` and logs its updates from now on. Synchronous, because
   * the websocket server does not wait for `bindState`.
   */
  attach(doc: Y.Doc): void {
    const updates = this.#fd === null ? this.#openLog() : this.#readCommitted();
    updates.push(...this.#inflight, ...this.#pending);
    applyAll(doc, updates);
    this.#unobserve?.();
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== LOADING) this.append(update);
    };
    doc.on("update", onUpdate);
    this.#unobserve = () => doc.off("update", onUpdate);
    this.#doc = doc;
    if (this.#overPolicy()) this.#requestCompaction();
  }

  /**
   * The document has no more clients: store what is pending, compact, and close the log unless
   * another document has attached meanwhile. Never rejects (the caller does not catch).
   */
  async detach(doc: Y.Doc): Promise<void> {
    if (this.#doc !== doc) return;
    try {
      if (this.logRecords > 0) this.#compactRequested = true;
      await this.flush();
      if (this.#doc !== doc) return;
      this.#unobserve?.();
      this.#unobserve = null;
      this.#doc = null;
      this.#closeIfIdle();
    } catch (error) {
      console.error(`minutes in ${this.dir}: storing on close failed:`, (error as Error).message);
    }
  }

  /** Stores what is pending and closes the log (server shutdown). */
  async close(): Promise<void> {
    await this.flush();
    this.#unobserve?.();
    this.#unobserve = null;
    this.#doc = null;
    this.#closeIfIdle();
  }

  /** Queues one update for the log. */
  append(update: Uint8Array): void {
    if (update.length === 0) return;
    if (this.#fd === null) this.#openLog();
    this.#pending.push(update);
    this.#backlogBytes += update.length;
    this.#appended++;
    this.#flushing ??= this.#flushLoop();
  }

  /**
   * Runs `fn` once everything appended up to the end of the current synchronous turn is on
   * disk. Callbacks run in the order they were registered. The target is taken in a microtask
   * because the websocket library sends an update to every client before our `update` listener
   * has appended it; one microtask seals every callback registered until it runs (O(1) each).
   */
  afterDurable(fn: () => void): void {
    if (this.#unsealed) {
      this.#unsealed.push(fn);
      return;
    }
    this.#unsealed = [fn];
    queueMicrotask(() => this.#seal());
  }

  /** Resolves once everything appended so far (and any requested compaction) is done. */
  async flush(): Promise<void> {
    if (this.#compactRequested && !this.#flushing && this.#fd !== null) this.#flushing = this.#flushLoop();
    while (this.#flushing) await this.#flushing;
  }

  /** The stored minutes as one update, without opening the log for writing (for the export). */
  readState(): Uint8Array {
    const updates = this.#fd === null ? readStored(this.snapshotPath, this.logPath).updates : this.#readCommitted();
    updates.push(...this.#inflight, ...this.#pending);
    return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
  }

  /** Opens the log for appending, cutting off a torn tail; answers what is stored. */
  #openLog(): Uint8Array[] {
    const stored = readStored(this.snapshotPath, this.logPath);
    const fd = openSync(this.logPath, "a");
    if (stored.tornLogBytes > 0) {
      console.warn(`minutes in ${this.dir}: ignoring ${stored.tornLogBytes} damaged bytes at the end of the log`);
      ftruncateSync(fd, stored.logBytes);
      fsyncSync(fd);
    }
    if (!stored.logExisted) syncDirectorySync(this.dir);
    this.#fd = fd;
    this.#committedBytes = stored.logBytes;
    this.#logRecords = stored.logRecords;
    return stored.updates;
  }

  /** What the snapshot and the synced part of the log hold (the log is open and may be growing). */
  #readCommitted(): Uint8Array[] {
    const snapshot = readSnapshot(this.snapshotPath);
    let log: Buffer;
    try {
      log = readFileSync(this.logPath);
    } catch {
      log = Buffer.alloc(0);
    }
    const { updates } = decodeRecords(log.subarray(0, this.#committedBytes));
    return [...snapshot, ...updates];
  }

  #overPolicy(): boolean {
    return this.#logRecords >= this.#policy.maxRecords || this.#committedBytes >= this.#policy.maxBytes;
  }

  #requestCompaction(): void {
    this.#compactRequested = true;
    this.#flushing ??= this.#flushLoop();
  }

  async #flushLoop(): Promise<void> {
    // Let the updates of the same turn of the event loop join this write.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      for (;;) {
        // Under a steady stream of updates `#pending` never empties: compact between batches
        // too, so the log stays bounded while a writer is busy. One batch is always written, so
        // a compaction that keeps failing never holds updates back.
        if (this.#pending.length > 0) await this.#writeBatch();
        while (this.#pending.length > 0 && !this.#overPolicy()) await this.#writeBatch();
        if (this.#compactRequested || this.#overPolicy()) {
          this.#compactRequested = false;
          await this.#compact();
        }
        if (this.#pending.length === 0) break;
      }
    } finally {
      this.#flushing = null;
    }
  }

  async #writeBatch(): Promise<void> {
    const fd = this.#fd!;
    const batch = this.#pending;
    this.#pending = [];
    this.#inflight = batch;
    const bytes = encodeRecords(batch);
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFully(fd, bytes);
        await fdatasyncAsync(fd);
        break;
      } catch (error) {
        // Nothing is released to other clients that is not on disk; cut a partial write and retry.
        console.error(`minutes in ${this.dir}: write failed (attempt ${attempt + 1}):`, (error as Error).message);
        await ftruncateAsync(fd, this.#committedBytes).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
    this.#committedBytes += bytes.length;
    this.#logRecords += batch.length;
    this.#inflight = [];
    this.#backlogBytes -= bytes.length - batch.length * RECORD_HEADER_BYTES;
    this.#durable += batch.length;
    this.#release();
  }

  /**
   * Replaces snapshot + log by one snapshot of the whole document. Crash-safe at every step:
   * until the rename the old snapshot and log hold everything; after it, the new snapshot does
   * (the log's records are then duplicates, which Yjs ignores) until the log is cut.
   */
  async #compact(): Promise<void> {
    const fd = this.#fd;
    if (fd === null || this.#logRecords === 0) return;
    const state = this.#doc ? Y.encodeStateAsUpdate(this.#doc) : Y.mergeUpdates(this.#readCommitted());
    const temp = `${this.snapshotPath}.tmp`;
    try {
      const file = await open(temp, "w");
      try {
        await file.writeFile(encodeRecord(state));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.snapshotPath);
      await syncDirectory(this.dir);
      await ftruncateAsync(fd, 0);
      await fdatasyncAsync(fd);
      this.#committedBytes = 0;
      this.#logRecords = 0;
      this.compactions++;
    } catch (error) {
      console.error(`minutes in ${this.dir}: compaction failed:`, (error as Error).message);
      await unlink(temp).catch(() => undefined);
    }
  }

  #seal(): void {
    const run = this.#unsealed!;
    this.#unsealed = null;
    const target = this.#appended;
    if (this.#durable >= target && this.#head === this.#batches.length) return runAll(run);
    this.#batches.push({ target, run });
  }

  #release(): void {
    while (this.#head < this.#batches.length && this.#batches[this.#head]!.target <= this.#durable) {
      const batch = this.#batches[this.#head]!;
      this.#batches[this.#head++] = undefined;
      runAll(batch.run);
    }
    if (this.#head === this.#batches.length) {
      this.#batches = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#batches.length) {
      this.#batches = this.#batches.slice(this.#head);
      this.#head = 0;
    }
  }

  #closeIfIdle(): void {
    if (this.#doc || this.#flushing || this.#pending.length > 0 || this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeAsync(fd).catch(() => undefined);
  }
}

/** Runs every callback; one that throws costs only its own message. */
function runAll(run: readonly (() => void)[]): void {
  for (const fn of run) {
    try {
      fn();
    } catch (error) {
      console.error("minutes: delivering a message failed:", (error as Error)?.message);
    }
  }
}

interface StoredMinutes {
  updates: Uint8Array[];
  logBytes: number;
  logRecords: number;
  tornLogBytes: number;
  logExisted: boolean;
}

/** Reads snapshot and log; a damaged log tail is reported, not thrown. */
export function readStored(snapshotPath: string, logPath: string): StoredMinutes {
  const snapshot = readSnapshot(snapshotPath);
  let log: Buffer | null = null;
  try {
    log = readFileSync(logPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const decoded = decodeRecords(log ?? Buffer.alloc(0));
  return {
    updates: [...snapshot, ...decoded.updates],
    logBytes: decoded.validBytes,
    logRecords: decoded.updates.length,
    tornLogBytes: (log?.length ?? 0) - decoded.validBytes,
    logExisted: log !== null,
  };
}

function readSnapshot(path: string): Uint8Array[] {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const decoded = decodeRecords(data);
  // The snapshot is replaced atomically, so damage here is not a torn write: say so loudly.
  if (decoded.torn) console.error(`minutes: the snapshot ${path} is damaged; using what can be read`);
  return decoded.updates;
}

/** Applies stored updates; one bad update does not cost the others. */
function applyAll(doc: Y.Doc, updates: Uint8Array[]): void {
  if (updates.length === 0) return;
  try {
    Y.applyUpdate(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), LOADING);
  } catch {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update, LOADING);
      } catch (error) {
        console.error("minutes: skipping an unreadable stored update:", (error as Error).message);
      }
    }
  }
}

async function writeFully(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await writeAsync(fd, bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

function syncDirectorySync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
