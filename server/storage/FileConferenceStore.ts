import { close, fdatasync, ftruncate, openSync, readFileSync, write, fsyncSync, ftruncateSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Low } from "lowdb";
import type { ConferenceFile, ConferenceStore, LogBatch, StoredConference } from "./ConferenceStore.ts";
import { DurableJsonFile } from "./DurableJsonFile.ts";
import { decodeRecords, encodeRecord } from "./recordLog.ts";
import { syncDirectorySync } from "./atomicFile.ts";

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const ftruncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);

/** The conference's snapshot and its log inside its directory. */
export const CONFERENCE_FILE = "conference.json";
export const CONFERENCE_LOG = "events.log";

/**
 * A conference in two files of its directory: the snapshot `conference.json` (lowdb with a durable
 * adapter: replaced atomically and fsynced) and the append-only `events.log` of the batches since,
 * in the record format of `recordLog.ts` (each append one write + fdatasync). A torn tail (a crash
 * mid-append) is cut off on load; a crash between a new snapshot and the emptying of the log is
 * harmless, as the log's records carry numbers and the snapshot says from which number on it lacks them.
 */
export class FileConferenceStore implements ConferenceStore {
  readonly #dir: string;
  readonly #file: DurableJsonFile<ConferenceFile | null>;
  /** Null until loaded or first written; lowdb writes nothing while it is. */
  readonly #db: Low<ConferenceFile | null>;
  readonly #logPath: string;
  #fd: number | null = null;
  /** The next record's number. */
  #next = 0;
  #records = 0;
  #bytes = 0;
  #written = 0;

  constructor(dir: string) {
    this.#dir = dir;
    this.#file = new DurableJsonFile<ConferenceFile | null>(join(dir, CONFERENCE_FILE));
    this.#db = new Low<ConferenceFile | null>(this.#file, null);
    this.#logPath = join(dir, CONFERENCE_LOG);
  }

  get logRecords(): number {
    return this.#records;
  }

  get logBytes(): number {
    return this.#bytes;
  }

  get bytesWritten(): number {
    return this.#written + this.#file.bytesWritten;
  }

  async load(): Promise<StoredConference | null> {
    await this.#file.discardLeftovers();
    await this.#db.read();
    const file = this.#db.data;
    if (!file) return null;
    let log: Buffer;
    try {
      log = readFileSync(this.#logPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      log = Buffer.alloc(0);
    }
    const decoded = decodeRecords(log);
    if (decoded.torn) {
      console.warn(`conference in ${this.#dir}: ignoring ${log.length - decoded.validBytes} damaged bytes at the end of its log`);
      const fd = this.#openLog();
      ftruncateSync(fd, decoded.validBytes);
      fsyncSync(fd);
    }
    const from = file.logNext ?? 0;
    const all = decoded.updates.map((bytes) => JSON.parse(Buffer.from(bytes).toString("utf8")) as LogBatch);
    const tail = all.filter((batch) => batch.n >= from);
    this.#next = Math.max(from, ...all.map((batch) => batch.n + 1));
    this.#records = all.length;
    this.#bytes = decoded.validBytes;
    return { file, tail };
  }

  /**
   * What finds the conference without opening it (the stores' index): its token hashes in force
   * and its join code; null when nothing is stored. Reads only: a torn tail is left for `load`.
   */
  static async peek(dir: string): Promise<{ tokenHashes: Record<string, string>; joinCode: string } | null> {
    let file: ConferenceFile | null;
    try {
      file = JSON.parse(await readFile(join(dir, CONFERENCE_FILE), "utf8")) as ConferenceFile | null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    if (!file) return null;
    const tokenHashes = { ...file.tokenHashes };
    const log = await readFile(join(dir, CONFERENCE_LOG)).catch(() => Buffer.alloc(0));
    for (const bytes of decodeRecords(log).updates) {
      const batch = JSON.parse(Buffer.from(bytes).toString("utf8")) as LogBatch;
      if (batch.n < (file.logNext ?? 0)) continue;
      for (const [participantId, hash] of Object.entries(batch.tokenHashes ?? {})) {
        if (hash === null) delete tokenHashes[participantId];
        else tokenHashes[participantId] = hash;
      }
    }
    return { tokenHashes, joinCode: file.state.conference.joinCode ?? "" };
  }

  async append(batch: Omit<LogBatch, "n">): Promise<void> {
    const fd = this.#openLog();
    const record = encodeRecord(Buffer.from(JSON.stringify({ n: this.#next, ...batch })));
    try {
      let offset = 0;
      while (offset < record.length) offset += (await writeAsync(fd, record, offset, record.length - offset)).bytesWritten;
      await fdatasyncAsync(fd);
    } catch (error) {
      await ftruncateAsync(fd, this.#bytes).catch(() => undefined);
      throw error;
    }
    this.#next++;
    this.#records++;
    this.#bytes += record.length;
    this.#written += record.length;
  }

  async write(file: ConferenceFile): Promise<void> {
    this.#db.data = { ...file, logNext: this.#next };
    await this.#db.write();
    // The snapshot holds everything now; a crash before the log is emptied only leaves records it skips.
    const fd = this.#openLog();
    await ftruncateAsync(fd, 0);
    await fdatasyncAsync(fd);
    this.#records = 0;
    this.#bytes = 0;
  }

  /**
   * The log, opened for appending on first use (and its directory entry made durable): a
   * conference nobody changes holds no descriptor, however many are stored.
   */
  #openLog(): number {
    if (this.#fd === null) {
      this.#fd = openSync(this.#logPath, "a");
      syncDirectorySync(this.#dir);
    }
    return this.#fd;
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeAsync(fd).catch(() => undefined);
  }
}
