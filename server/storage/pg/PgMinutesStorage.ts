import type { Pool } from "pg";
import * as Y from "yjs";
import type { MinutesStorage } from "../MinutesStorage.ts";
import { inTransaction } from "./transaction.ts";

/**
 * A conference's minutes in PostgreSQL (issue 18; the table is in `minutesSchema.ts`): each batch
 * appended is one row of `minutes_updates`, durable once its insert has committed. Several servers
 * append to one conference at once, each holding its own full document (Yjs updates commute), so:
 * - `load` fetches every row, whoever stored it; `open` and `read` answer what it fetched plus
 *   what this storage appended since (what other servers store reaches the document through the
 *   relay, or the next `load`);
 * - a compaction locks the rows it reads, merges them, and deletes exactly those ids in the same
 *   transaction as it inserts the merge: a row another server inserts meanwhile is left alone, and
 *   a second compaction running at once waits for the first, then skips the rows it deleted.
 */
export class PgMinutesStorage implements MinutesStorage {
  readonly #pool: Pool;
  readonly #conferenceId: string;
  /** What `load` fetched and the appends since; null before `load` and after `close`. */
  #known: Uint8Array[] | null = null;
  #open = false;
  #records = 0;
  #bytes = 0;

  constructor(pool: Pool, conferenceId: string) {
    this.#pool = pool;
    this.#conferenceId = conferenceId;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get logRecords(): number {
    return this.#records;
  }

  get logBytes(): number {
    return this.#bytes;
  }

  async load(): Promise<void> {
    const { rows } = await this.#pool.query<{ update: Buffer }>(
      "select update from minutes_updates where conference_id = $1 order by id",
      [this.#conferenceId],
    );
    this.#known = rows.map((row) => row.update);
    this.#records = rows.length;
    this.#bytes = rows.reduce((sum, row) => sum + row.update.length, 0);
  }

  open(): Uint8Array[] {
    const known = this.read();
    this.#open = true;
    return known;
  }

  read(): Uint8Array[] {
    if (this.#known === null) throw new Error(`the minutes of ${this.#conferenceId} are read before they are loaded`);
    return [...this.#known];
  }

  async append(updates: readonly Uint8Array[]): Promise<void> {
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);
    // One statement: committed when it answers. A retry after a lost answer may store the batch
    // twice, which Yjs ignores.
    await this.#pool.query("insert into minutes_updates (conference_id, update) values ($1, $2)", [this.#conferenceId, bytea(update)]);
    this.#known?.push(update);
    this.#records++;
    this.#bytes += update.length;
  }

  /** Not `state()`, this server's document: it may lack rows other servers stored, which it deletes. */
  async compact(): Promise<void> {
    const merged = await inTransaction(this.#pool, `minutes of ${this.#conferenceId}`, async (client) => {
      const { rows } = await client.query<{ id: string; update: Buffer }>(
        "select id, update from minutes_updates where conference_id = $1 order by id for update",
        [this.#conferenceId],
      );
      if (rows.length <= 1) return null;
      const update = compacted(rows.map((row) => row.update));
      await client.query("delete from minutes_updates where conference_id = $1 and id = any($2::bigint[])", [this.#conferenceId, rows.map((row) => row.id)]);
      await client.query("insert into minutes_updates (conference_id, update) values ($1, $2)", [this.#conferenceId, bytea(update)]);
      return update;
    });
    // Everything stored before the transaction is in the merge, this storage's appends included.
    if (merged !== null && this.#known !== null) this.#known = [merged];
    this.#records = 0;
    this.#bytes = 0;
  }

  close(): void {
    this.#open = false;
    this.#known = null;
  }
}

/**
 * The rows' updates as one, through a document so that deleted content is garbage-collected as in
 * the live document (a plain `mergeUpdates` keeps it); what the rows lack (structs that depend on
 * others not stored yet) stays in the state as pending.
 */
function compacted(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, Y.mergeUpdates(updates));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** The bytes as node-postgres sends a bytea: a Buffer over the same memory. */
function bytea(update: Uint8Array): Buffer {
  return Buffer.from(update.buffer, update.byteOffset, update.byteLength);
}
