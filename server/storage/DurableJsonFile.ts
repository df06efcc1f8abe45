import { open, rename, readFile, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { Adapter } from "lowdb";

/**
 * A lowdb adapter that makes each write durable: the JSON goes to a temporary file which is
 * fsynced, renamed over the real file, and the directory fsynced, so after `write()` resolves the
 * data survives a crash of the process or of the machine. (lowdb's own JSONFile renames without
 * fsync.) The object is serialised synchronously when `write` is called, so later changes to it
 * do not leak into a write already under way.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #path: string;
  readonly #tempPath: string;

  constructor(path: string) {
    this.#path = path;
    this.#tempPath = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.#path, "utf8")) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  write(data: T): Promise<void> {
    return this.#writeText(JSON.stringify(data));
  }

  async #writeText(text: string): Promise<void> {
    const file = await open(this.#tempPath, "w");
    try {
      await file.writeFile(text, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(this.#tempPath, this.#path);
    await syncDirectory(dirname(this.#path));
  }

  /** Removes a temporary file a crash may have left behind. */
  async discardLeftovers(): Promise<void> {
    await unlink(this.#tempPath).catch(() => undefined);
  }
}

/** Makes a rename inside `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
