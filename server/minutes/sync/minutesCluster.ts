import type { Pool } from "pg";
import type { Redis } from "ioredis";

/**
 * What the minutes need to be shared by several servers (issue 18): with it, `MinutesServer` keeps
 * them in PostgreSQL (`PgMinutesStorage`) and relays each stored update to the other servers
 * through Redis (`MinutesRelay`); without it, they stay in the conference's directory.
 */
export interface MinutesCluster {
  /** PostgreSQL, schema already migrated. Not closed by the minutes. */
  pool: Pool;
  /** A connected ioredis client for publishing. Not closed by the minutes. */
  redis: Redis;
  /** Makes a dedicated connection for subscribing (e.g. `redis.duplicate()`), closed by the minutes. */
  subscriber(): Redis;
  /** Prefix of every Redis key and channel name: the minutes' channels are `<prefix>:minutes:<conference>`. */
  prefix: string;
}
