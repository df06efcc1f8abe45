import type { Pool, PoolClient } from "pg";
import { MINUTES_SCHEMA } from "./minutesSchema.ts";
import { inTransaction } from "./transaction.ts";

/**
 * The schema, as numbered migrations: migration n is `MIGRATIONS[n - 1]`, applied once, in its own
 * transaction, in order. A migration is never edited once released: a change is a new one.
 *
 * - `conferences`: a conference's snapshot (its state as of `log_next`), its token hashes, and the
 *   lease epoch of the server that owns it (issue 18: an append of another epoch is refused).
 * - `conference_log`: the batches stored since, one row each; the primary key (conference, n) makes
 *   it impossible for two servers to both store batch n.
 * - 2: the lease (`owner`, `lease_until`): which server owns the conference and until when; taking
 *   it over raises `epoch`, which fences the old owner's appends; the snapshot's remembered acks;
 *   and what finds a conference without loading it: its join code (normalised) and
 *   `conference_tokens`, every token hash in force, kept with each write that changes them.
 * - 3: the minutes (`minutesSchema.ts`).
 */
export const MIGRATIONS: readonly string[] = [
  `create table conferences (
     id text primary key,
     snapshot jsonb not null,
     token_hashes jsonb not null,
     log_next bigint not null default 0,
     epoch bigint not null default 0,
     updated_at timestamptz not null default now()
   );
   create table conference_log (
     conference_id text not null references conferences (id) on delete cascade,
     n bigint not null,
     epoch bigint not null,
     batch jsonb not null,
     primary key (conference_id, n)
   );`,
  `alter table conferences add column owner text, add column lease_until timestamptz, add column acks jsonb,
     add column join_code text;
   create index conferences_join_code on conferences (join_code);
   create table conference_tokens (
     hash text primary key,
     conference_id text not null references conferences (id) on delete cascade,
     participant_id text not null
   );
   create index conference_tokens_conference on conference_tokens (conference_id);`,
  MINUTES_SCHEMA,
];

/** Any constant: the advisory lock that lets one server migrate at a time. */
const MIGRATION_LOCK = 0x6769616f;

/**
 * Brings the database's schema up to date: creates the table of applied versions, then applies each
 * missing migration in its own transaction, holding a transaction-level advisory lock so that
 * servers starting together apply each one once. Answers the versions it applied.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  // Even `create table if not exists` races between servers: it too runs under the lock.
  await locked(pool, (client) =>
    client.query("create table if not exists schema_migrations (version integer primary key, applied_at timestamptz not null default now())"),
  );
  const applied: number[] = [];
  for (let version = 1; version <= MIGRATIONS.length; version++) {
    await locked(pool, async (client) => {
      const done = await client.query("select 1 from schema_migrations where version = $1", [version]);
      if (done.rowCount !== 0) return;
      await client.query(MIGRATIONS[version - 1]!);
      await client.query("insert into schema_migrations (version) values ($1)", [version]);
      applied.push(version);
    });
  }
  return applied;
}

/** Runs `work` in one transaction holding the migration lock; rolls back if it throws. */
async function locked(pool: Pool, work: (client: PoolClient) => Promise<unknown>): Promise<void> {
  await inTransaction(pool, "migrating", async (client) => {
    await client.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await work(client);
  });
}
