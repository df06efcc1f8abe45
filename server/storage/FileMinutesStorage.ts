import { close, fdatasync, fsyncSync, ftruncate, ftruncateSync, openSync, readFileSync, write } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeRecords, encodeRecord, encodeRecords } from "./recordLog.ts";
import { discardTemp, replaceFile, syncDirectorySync } from "./atomicFile.ts";
import type { MinutesStorage } from "./MinutesStorage.ts";

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const ftruncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);

/** File names inside the conference's directory. */
export const MINUTES_LOG = "minutes.yupdates";
export const MINUTES_SNAPSHOT = "minutes.ysnap";

/**
 * The minutes in two files of the conference's directory: a compacted snapshot
 * (`minutes.ysnap`, one record, replaced atomically) and an append-only log of the updates since
 * (`minutes.yupdates`), both in the record format of `recordLog.ts`. Each append is one write +
 * fdatasync.
 */
export class FileMinutesStorage implements MinutesStorage {
  readonly #dir: string;
  readonly #logPath: string;
  readonly #snapshotPath: string;
  #fd: number | null = null;
  /** Log bytes and records on disk and synced. */
  #committedBytes = 0;
  #logRecords = 0;

  constructor(dir: string) {
    this.#dir = dir;
    this.#logPath = join(dir, MINUTES_LOG);
    this.#snapshotPath = join(dir, MINUTES_SNAPSHOT);
  }

  get isOpen(): boolean {
    return this.#fd !== null;
  }

  get logRecords(): number {
    return this.#logRecords;
  }

  get logBytes(): number {
    return this.#committedBytes;
  }

  /** The files are read synchronously, when `open` and `read` are called. */
  async load(): Promise<void> {}

  open(): Uint8Array[] {
    const stored = readStored(this.#snapshotPath, this.#logPath);
    const fd = openSync(this.#logPath, "a");
    if (stored.tornLogBytes > 0) {
      console.warn(`minutes in ${this.#dir}: ignoring ${stored.tornLogBytes} damaged bytes at the end of the log`);
      ftruncateSync(fd, stored.logBytes);
      fsyncSync(fd);
    }
    if (!stored.logExisted) syncDirectorySync(this.#dir);
    this.#fd = fd;
    this.#committedBytes = stored.logBytes;
    this.#logRecords = stored.logRecords;
    return stored.updates;
  }

  read(): Uint8Array[] {
    if (this.#fd === null) return readStored(this.#snapshotPath, this.#logPath).updates;
    // The log is open and may be growing: only its synced part counts.
    const snapshot = readSnapshot(this.#snapshotPath);
    let log: Buffer;
    try {
      log = readFileSync(this.#logPath);
    } catch {
      log = Buffer.alloc(0);
    }
    const { updates } = decodeRecords(log.subarray(0, this.#committedBytes));
    return [...snapshot, ...updates];
  }

  async append(updates: readonly Uint8Array[]): Promise<void> {
    const fd = this.#fd!;
    const bytes = encodeRecords(updates);
    try {
      await writeFully(fd, bytes);
      await fdatasyncAsync(fd);
    } catch (error) {
      await ftruncateAsync(fd, this.#committedBytes).catch(() => undefined);
      throw error;
    }
    this.#committedBytes += bytes.length;
    this.#logRecords += updates.length;
  }

  /**
   * Until the rename the old snapshot and log hold everything; after it, the new snapshot does
   * (the log's records are then duplicates, which Yjs ignores) until the log is cut.
   */
  async compact(state: () => Uint8Array): Promise<void> {
    const fd = this.#fd!;
    try {
      await replaceFile(this.#snapshotPath, encodeRecord(state()));
      await ftruncateAsync(fd, 0);
      await fdatasyncAsync(fd);
    } catch (error) {
      await discardTemp(this.#snapshotPath);
      throw error;
    }
    this.#committedBytes = 0;
    this.#logRecords = 0;
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeAsync(fd).catch(() => undefined);
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
function readStored(snapshotPath: string, logPath: string): StoredMinutes {
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

async function writeFully(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await writeAsync(fd, bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
