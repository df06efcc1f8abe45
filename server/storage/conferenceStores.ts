import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import type { ConferenceStore } from "./ConferenceStore.ts";
import { FileConferenceStore } from "./FileConferenceStore.ts";
import { migrate } from "./pg/migrations.ts";
import { PgConferenceStore } from "./pg/PgConferenceStore.ts";
import { LEASE } from "../cluster/leases.ts";
import { normaliseJoinCode } from "../ids.ts";

/**
 * Where a server keeps its conferences: which are stored, and the store of each. Files under the
 * data directory by default (`DATA_DIR`), PostgreSQL with `DATABASE_URL` (issue 18), where the
 * minutes are kept too (`PgMinutesStorage`); with files, a conference's directory holds them.
 */
export interface ConferenceStores {
  /** The ids of the stored conferences. */
  list(): Promise<string[]>;
  /**
   * The store of a conference: `epoch`, the lease it is held at (a cluster's owner; 0 without one);
   * `created`, a conference this server creates, which it holds from its first write.
   */
  storeFor(conferenceId: string, epoch?: number, created?: boolean): ConferenceStore;
  /** Whose token this is (its sha256), in any conference stored, loaded or not. */
  findToken(hash: string): Promise<TokenHolder | null>;
  /** The conference a join code opens (compared normalised), loaded or not. */
  findJoinCode(code: string): Promise<string | null>;
  /**
   * Told of a stored change of a conference's token hashes (null: removed), for an index the
   * store cannot keep itself; a conference's first tokens come with its join code.
   */
  noteTokens(conferenceId: string, changes: Record<string, string | null>, joinCode?: string): void;
  /** The database, when the conferences are in PostgreSQL. */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

export interface TokenHolder {
  conferenceId: string;
  participantId: string;
}

/**
 * One directory per conference under `root`, holding `conference.json` and `events.log`. Which
 * conference a token or a join code belongs to is kept in memory (a few dozen bytes per
 * participant), read from every conference's files on first use without loading any.
 */
export function fileStores(root: string): ConferenceStores {
  const tokens = new Map<string, TokenHolder>();
  /** `<conference>/<participant>` → their hash, to drop the one a change replaces. */
  const hashOf = new Map<string, string>();
  const codes = new Map<string, string>();
  const set = (conferenceId: string, participantId: string, hash: string | null) => {
    const key = `${conferenceId}/${participantId}`;
    const previous = hashOf.get(key);
    if (previous !== undefined) tokens.delete(previous);
    if (hash === null) hashOf.delete(key);
    else {
      hashOf.set(key, hash);
      tokens.set(hash, { conferenceId, participantId });
    }
  };
  let indexed: Promise<void> | null = null;
  const list = async () => {
    await mkdir(root, { recursive: true });
    return (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  };
  const note = (conferenceId: string, changes: Record<string, string | null>, joinCode?: string) => {
    if (joinCode) codes.set(normaliseJoinCode(joinCode), conferenceId);
    for (const [participantId, hash] of Object.entries(changes)) set(conferenceId, participantId, hash);
  };
  const index = () =>
    (indexed ??= (async () => {
      for (const id of await list()) {
        const found = await FileConferenceStore.peek(join(root, id));
        if (!found) continue;
        codes.set(normaliseJoinCode(found.joinCode), id);
        for (const [participantId, hash] of Object.entries(found.tokenHashes)) set(id, participantId, hash);
      }
    })());
  return {
    list,
    storeFor: (conferenceId) => new FileConferenceStore(join(root, conferenceId)),
    async findToken(hash) {
      await index();
      return tokens.get(hash) ?? null;
    },
    async findJoinCode(code) {
      await index();
      return codes.get(normaliseJoinCode(code)) ?? null;
    },
    noteTokens: note,
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
    async findToken(hash) {
      const found = await pool.query<{ conference_id: string; participant_id: string }>(
        "select conference_id, participant_id from conference_tokens where hash = $1",
        [hash],
      );
      const row = found.rows[0];
      return row ? { conferenceId: row.conference_id, participantId: row.participant_id } : null;
    },
    async findJoinCode(code) {
      const found = await pool.query<{ id: string }>("select id from conferences where join_code = $1", [normaliseJoinCode(code)]);
      return found.rows[0]?.id ?? null;
    },
    // Kept by the store itself, in the transaction of each write that changes them.
    noteTokens: () => undefined,
    pool,
    close: () => pool.end(),
  };
}
