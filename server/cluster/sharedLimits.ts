import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { ConnectionCaps, LimitStore } from "../http/limits.ts";
import { ConnectionCounter } from "../http/upgrades.ts";

/** How long a server's connection counts stand in Redis unless it renews them (it does every few seconds). */
const COUNTS_TTL_MS = 15_000;
const RENEW_MS = 5_000;

/**
 * Budgets and caps shared by every server of a cluster, in Redis (issue 18): wrong join codes
 * per address and per conference, conferences created per address and commands per participant
 * are one budget whichever server is asked (rate-limiter-flexible's `RateLimiterRedis`; a fixed
 * window of `capacity` actions per `capacity / perSecond` seconds); while Redis is away each
 * server falls back on a budget in its own memory, so nothing waits on it.
 *
 * Connections are counted per server in a hash of its own that expires unless renewed, so a dead
 * server's connections stop counting within `COUNTS_TTL_MS`; a new connection is measured against
 * the sum over the servers that said they were alive within that time.
 */
export function sharedLimits(redis: Redis, prefix: string, serverId: string): LimitStore & { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  // The servers alive: each puts itself in a sorted set, scored by when it last said so.
  const alive = `${prefix}:alive`;
  const beat = () => void redis.zadd(alive, Date.now(), serverId).catch(() => undefined);
  // And at once on each (re)connection: its commands fail rather than wait while Redis is away.
  redis.on("ready", beat);
  beat();
  const heartbeat = setInterval(beat, RENEW_MS);
  heartbeat.unref();
  timers.push(heartbeat);
  return {
    budget(name, capacity, perSecond) {
      const duration = Math.max(1, Math.ceil(capacity / perSecond));
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:rl:${name}`,
        points: capacity,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: capacity, duration }),
      });
      return {
        take: (key) =>
          limiter.consume(key).then(
            () => true,
            (refusal: unknown) => {
              if (refusal instanceof Error) throw refusal;
              return false;
            },
          ),
      };
    },
    caps(name): ConnectionCaps {
      const local = new ConnectionCounter();
      const hashOf = (server: string) => `${prefix}:conns:${name}:${server}`;
      const mine = hashOf(serverId);
      const publish = (key: string) => {
        const count = local.count(key);
        const write = count > 0 ? redis.hset(mine, key, count) : redis.hdel(mine, key);
        write.then(() => redis.pexpire(mine, COUNTS_TTL_MS)).catch(() => undefined);
      };
      const renew = setInterval(() => void redis.pexpire(mine, COUNTS_TTL_MS).catch(() => undefined), RENEW_MS);
      renew.unref();
      timers.push(renew);
      return {
        async tryOpen(key, max) {
          let elsewhere = 0;
          try {
            const others = (await redis.zrangebyscore(alive, Date.now() - COUNTS_TTL_MS, "+inf")).filter((s) => s !== serverId);
            const counts = await Promise.all(others.map((s) => redis.hget(hashOf(s), key)));
            elsewhere = counts.reduce((sum, count) => sum + Number(count ?? 0), 0);
          } catch {
            // Redis away: this server's own count is the measure meanwhile.
          }
          if (local.count(key) + elsewhere >= max || !local.tryOpen(key, max)) return false;
          publish(key);
          return true;
        },
        close(key) {
          local.close(key);
          publish(key);
        },
      };
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
      redis.zrem(alive, serverId).catch(() => undefined);
    },
  };
}
