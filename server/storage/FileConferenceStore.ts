import { join } from "node:path";
import { Low } from "lowdb";
import type { ConferenceFile, ConferenceStore } from "./ConferenceStore.ts";
import { DurableJsonFile } from "./DurableJsonFile.ts";

/** The conference's file inside its directory. */
export const CONFERENCE_FILE = "conference.json";

/**
 * A conference in `<dir>/conference.json`, through lowdb with a durable adapter: every write
 * replaces the whole file atomically and fsyncs it.
 */
export class FileConferenceStore implements ConferenceStore {
  readonly #file: DurableJsonFile<ConferenceFile | null>;
  /** Null until loaded or first written; lowdb writes nothing while it is. */
  readonly #db: Low<ConferenceFile | null>;

  constructor(dir: string) {
    this.#file = new DurableJsonFile<ConferenceFile | null>(join(dir, CONFERENCE_FILE));
    this.#db = new Low<ConferenceFile | null>(this.#file, null);
  }

  async load(): Promise<ConferenceFile | null> {
    await this.#file.discardLeftovers();
    await this.#db.read();
    return this.#db.data;
  }

  write(file: ConferenceFile): Promise<void> {
    this.#db.data = file;
    return this.#db.write();
  }
}
