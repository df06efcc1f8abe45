import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import type { ConferenceStore } from "./ConferenceStore.ts";
import { FileConferenceStore } from "./FileConferenceStore.ts";
import { migrate } from "./pg/migrations.ts";
import { PgConferenceStore } from "./pg/PgConferenceStore.ts";
import { LEASE } from "../cluster/leases.ts";

/**
 * Where a server keeps its conferences: which are stored, and the store of each. Files under the
 * data directory by default (`DATA_DIR`), PostgreSQL with `DATABASE_URL` (issue 18). Either way
 * each conference keeps a directory of its own under `root` for its minutes.
 */
export interface ConferenceStores {
  /** The ids of the stored conferences. */
  list(): Promise<string[]>;
  /**
   * The store of a conference: `epoch`, the lease it is held at (a cluster's owner; 0 without one);
   * `created`, a conference this server creates, which it holds from its first write.
   */
  storeFor(conferenceId: string, epoch?: number, created?: boolean): ConferenceStore;
  /** The database, when the conferences are in PostgreSQL. */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

/** One directory per conference under `root`, holding `conference.json` and `events.log`. */
export function fileStores(root: string): ConferenceStores {
  return {
    async list() {
      await mkdir(root, { recursive: true });
      return (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    },
    storeFor: (conferenceId) => new FileConferenceStore(join(root, conferenceId)),
    close: async () => undefined,
  };
}

/**
 * PostgreSQL at `url`, its schema brought up to date first (numbered migrations). `serverId`: the
 * cluster's name of this server (with Redis), which then holds each conference it creates.
 */
export async function pgStores(url: string, serverId?: string): Promise<ConferenceStores> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that drops (a restart of PostgreSQL) must not crash the process.
  pool.on("error", (error) => console.error("PostgreSQL:", error.message));
  await migrate(pool);
  return {
    async list() {
      return (await pool.query<{ id: string }>("select id from conferences order by id")).rows.map((r) => r.id);
    },
    storeFor: (conferenceId, epoch = 0, created = false) =>
      new PgConferenceStore(pool, conferenceId, epoch, created && serverId !== undefined ? { serverId, ms: LEASE.ms } : undefined),
    pool,
    close: () => pool.end(),
  };
}
