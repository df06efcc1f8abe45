import { readFile } from "node:fs/promises";
import type { Adapter } from "lowdb";
import { discardTemp, replaceFile } from "./atomicFile.ts";

/**
 * A lowdb adapter that makes each write durable: the file is replaced atomically and fsynced
 * (`replaceFile`), so after `write()` resolves the data survives a crash of the process or of the
 * machine. (lowdb's own JSONFile renames without fsync.) The object is serialised synchronously
 * when `write` is called, so later changes to it do not leak into a write already under way.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.#path, "utf8")) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** Bytes of the files written so far (for the benchmarks). */
  bytesWritten = 0;

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    await replaceFile(this.#path, text);
    this.bytesWritten += Buffer.byteLength(text);
  }

  /** Removes a temporary file a crash may have left behind. */
  discardLeftovers(): Promise<void> {
    return discardTemp(this.#path);
  }
}
