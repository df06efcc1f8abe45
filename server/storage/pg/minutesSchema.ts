/**
 * The minutes' table (issue 18), migration 3 of `MIGRATIONS`: `minutes_updates`, every Yjs update
 * of a conference's minutes that a server has stored, one row per batch (`PgMinutesStorage`).
 * Several servers append to it at once; a compaction replaces the rows it read by one merged
 * update, in one transaction, and deletes only those ids. The order of the rows does not matter
 * (Yjs updates commute); `id` only names them.
 */
export const MINUTES_SCHEMA = `create table minutes_updates (
     conference_id text not null references conferences (id) on delete cascade,
     id bigserial,
     update bytea not null,
     primary key (conference_id, id)
   );`;
