import type { Pool } from "pg";

/**
 * How long a lease lasts unless renewed, and how often its holder renews it: a dead owner's
 * conferences are taken over within `LEASE_MS` plus one watch round (`WATCH_MS`).
 */
export const LEASE = { ms: 3_000, renewMs: 1_000, watchMs: 1_000 } as const;

/** A conference taken at `epoch`; or held by `owner` (null: nobody live), or not stored at all. */
export type Acquired = { ok: true; epoch: number } | { ok: false; owner: string | null; stored: boolean };

/**
 * Who owns each conference (issue 18): a lease in the `conferences` row, with PostgreSQL's clock
 * as the only clock. Taking a conference raises its `epoch`, and every append of the old owner
 * carries the old epoch, so the database refuses it (`PgConferenceStore`): two servers that both
 * believe they own a conference can never both store.
 */
export class Leases {
  readonly #pool: Pool;
  readonly #serverId: string;

  constructor(pool: Pool, serverId: string) {
    this.#pool = pool;
    this.#serverId = serverId;
  }

  /** Takes the conference if no live lease is held on it; answers the new epoch, or who holds it. */
  async acquire(conferenceId: string): Promise<Acquired> {
    const taken = await this.#pool.query<{ epoch: string }>(
      `update conferences set owner = $2, epoch = epoch + 1, lease_until = now() + $3 * interval '1 millisecond'
       where id = $1 and (owner is null or lease_until is null or lease_until < now()) returning epoch`,
      [conferenceId, this.#serverId, LEASE.ms],
    );
    if (taken.rows[0]) return { ok: true, epoch: Number(taken.rows[0].epoch) };
    const held = await this.#pool.query<{ owner: string | null }>("select owner from conferences where id = $1", [conferenceId]);
    return { ok: false, owner: held.rows[0]?.owner ?? null, stored: held.rows.length > 0 };
  }

  /** Renews the leases held (conference → epoch); answers the conferences whose lease is no longer ours. */
  async renew(held: ReadonlyMap<string, number>): Promise<string[]> {
    if (held.size === 0) return [];
    const ids = [...held.keys()];
    const renewed = await this.#pool.query<{ id: string }>(
      `update conferences c set lease_until = now() + $2 * interval '1 millisecond'
       from unnest($3::text[], $4::bigint[]) as h(id, epoch)
       where c.id = h.id and c.epoch = h.epoch and c.owner = $1 returning c.id`,
      [this.#serverId, LEASE.ms, ids, ids.map((id) => held.get(id))],
    );
    const kept = new Set(renewed.rows.map((r) => r.id));
    return ids.filter((id) => !kept.has(id));
  }

  /** Gives a lease up (the server stops): another server may take the conference at once. */
  async release(conferenceId: string, epoch: number): Promise<void> {
    await this.#pool.query("update conferences set owner = null, lease_until = null where id = $1 and epoch = $2 and owner = $3", [
      conferenceId,
      epoch,
      this.#serverId,
    ]);
  }

  /** For each conference: its owner, or null when nobody holds a live lease on it. */
  async owners(conferenceIds: readonly string[]): Promise<Map<string, string | null>> {
    const found = await this.#pool.query<{ id: string; owner: string | null; live: boolean }>(
      "select id, owner, coalesce(lease_until >= now(), false) as live from conferences where id = any($1::text[])",
      [conferenceIds],
    );
    return new Map(found.rows.map((r) => [r.id, r.live ? r.owner : null]));
  }
}
