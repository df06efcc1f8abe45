import type { Pool, PoolClient } from "pg";
import { normaliseJoinCode } from "../../ids.ts";
import { inTransaction } from "./transaction.ts";
import { FencedError, type ConferenceFile, type ConferenceStore, type LogBatch, type StoredConference } from "../ConferenceStore.ts";

export { FencedError } from "../ConferenceStore.ts";

/** Who holds a conference created by this store, and for how long at first. */
export interface Lease {
  serverId: string;
  ms: number;
}

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = "23505";

/**
 * A conference in PostgreSQL (issue 18's system of record; schema in `migrations.ts`): its snapshot
 * in `conferences`, the batches since in `conference_log`. Every append and snapshot carries the
 * lease epoch this store was opened with; a batch number another server has stored, or an epoch
 * that is no longer the conference's, is refused with `FencedError` and nothing is stored.
 */
export class PgConferenceStore implements ConferenceStore {
  readonly #pool: Pool;
  readonly #id: string;
  readonly #epoch: number;
  readonly #lease: Lease | undefined;
  #next = 0;
  #records = 0;
  #bytes = 0;
  #written = 0;

  /** `lease`: the server that creates the conference holds it from its first write (a cluster's). */
  constructor(pool: Pool, conferenceId: string, epoch = 0, lease?: Lease) {
    this.#pool = pool;
    this.#id = conferenceId;
    this.#epoch = epoch;
    this.#lease = lease;
  }

  get logRecords(): number {
    return this.#records;
  }

  get logBytes(): number {
    return this.#bytes;
  }

  get bytesWritten(): number {
    return this.#written;
  }

  async load(): Promise<StoredConference | null> {
    const found = await this.#pool.query<{
      snapshot: ConferenceFile["state"];
      token_hashes: Record<string, string>;
      acks: ConferenceFile["acks"] | null;
      log_next: string;
    }>(
      "select snapshot, token_hashes, acks, log_next from conferences where id = $1",
      [this.#id],
    );
    const row = found.rows[0];
    if (!row) return null;
    const from = Number(row.log_next);
    const log = await this.#pool.query<{ n: string; batch: Omit<LogBatch, "n">; bytes: number }>(
      "select n, batch, octet_length(batch::text) as bytes from conference_log where conference_id = $1 and n >= $2 order by n",
      [this.#id, from],
    );
    const tail = log.rows.map((r) => ({ ...r.batch, n: Number(r.n) }));
    this.#next = Math.max(from, ...tail.map((batch) => batch.n + 1));
    this.#records = tail.length;
    this.#bytes = log.rows.reduce((sum, r) => sum + Number(r.bytes), 0);
    const file: ConferenceFile = { version: 1, state: row.snapshot, tokenHashes: row.token_hashes, logNext: from, ...(row.acks && { acks: row.acks }) };
    return { file, tail };
  }

  async append(batch: Omit<LogBatch, "n">): Promise<void> {
    const text = JSON.stringify(batch);
    // Stored only while this store's epoch is the conference's: a stale owner's append inserts nothing.
    const insert = (db: Pool | PoolClient) =>
      db.query(
        `insert into conference_log (conference_id, n, epoch, batch)
         select $1, $2, $3, $4::jsonb where exists (select 1 from conferences where id = $1 and epoch = $3)`,
        [this.#id, this.#next, this.#epoch, text],
      );
    let inserted;
    try {
      // A batch that changes tokens changes the index of tokens in the same transaction.
      inserted = batch.tokenHashes
        ? await inTransaction(this.#pool, `conference ${this.#id}`, async (client) => {
            const stored = await insert(client);
            if (stored.rowCount !== 0) await indexTokens(client, this.#id, batch.tokenHashes!, false);
            return stored;
          })
        : await insert(this.#pool);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new FencedError(`batch ${this.#next} of conference ${this.#id} is already stored`);
      throw error;
    }
    if (inserted.rowCount === 0) throw new FencedError(`conference ${this.#id} is no longer held at epoch ${this.#epoch}`);
    this.#next++;
    this.#records++;
    this.#bytes += Buffer.byteLength(text);
    this.#written += Buffer.byteLength(text);
  }

  async write(file: ConferenceFile): Promise<void> {
    const snapshot = JSON.stringify(file.state);
    const hashes = JSON.stringify(file.tokenHashes);
    const acks = JSON.stringify(file.acks ?? {});
    const joinCode = normaliseJoinCode(file.state.conference.joinCode ?? "");
    await inTransaction(this.#pool, `conference ${this.#id}`, async (client) => {
      const stored = await client.query(
        `insert into conferences (id, snapshot, token_hashes, acks, log_next, epoch, owner, lease_until, join_code)
           values ($1, $2::jsonb, $3::jsonb, $4::jsonb, $5, $6, $7, now() + $8 * interval '1 millisecond', $9)
         on conflict (id) do update set snapshot = excluded.snapshot, token_hashes = excluded.token_hashes,
           acks = excluded.acks, log_next = excluded.log_next, join_code = excluded.join_code, updated_at = now()
         where conferences.epoch = excluded.epoch`,
        [this.#id, snapshot, hashes, acks, this.#next, this.#epoch, this.#lease?.serverId ?? null, this.#lease?.ms ?? null, joinCode],
      );
      if (stored.rowCount === 0) throw new FencedError(`conference ${this.#id} is no longer held at epoch ${this.#epoch}`);
      // The snapshot holds everything before `log_next`: those rows go, in the same transaction.
      await client.query("delete from conference_log where conference_id = $1 and n < $2", [this.#id, this.#next]);
      await indexTokens(client, this.#id, file.tokenHashes, true);
    });
    this.#records = 0;
    this.#bytes = 0;
    this.#written += Buffer.byteLength(snapshot) + Buffer.byteLength(hashes) + Buffer.byteLength(acks);
  }
}

/**
 * Brings `conference_tokens` in line with token hash changes (participant → hash, null: removed);
 * `all`: `hashes` is every token of the conference, and any other row of it goes.
 */
async function indexTokens(client: PoolClient, conferenceId: string, hashes: Record<string, string | null>, all: boolean): Promise<void> {
  const changed = Object.keys(hashes);
  if (all) await client.query("delete from conference_tokens where conference_id = $1", [conferenceId]);
  else if (changed.length > 0) {
    await client.query("delete from conference_tokens where conference_id = $1 and participant_id = any($2::text[])", [conferenceId, changed]);
  }
  const kept = Object.entries(hashes).filter((entry): entry is [string, string] => entry[1] !== null);
  if (kept.length === 0) return;
  await client.query(
    `insert into conference_tokens (hash, conference_id, participant_id)
     select h, $1, p from unnest($2::text[], $3::text[]) as t(p, h)
     on conflict (hash) do update set conference_id = excluded.conference_id, participant_id = excluded.participant_id`,
    [conferenceId, kept.map(([p]) => p), kept.map(([, h]) => h)],
  );
}
