import { RateLimiter } from "./rateLimit.ts";
import { ConnectionCounter } from "./upgrades.ts";

/**
 * A rate budget per key (an address, a conference, a participant): `take` answers whether one
 * more action fits. On one server a token bucket in memory; in a cluster one budget in Redis that
 * every server draws on (`sharedLimits` in server/cluster).
 */
export interface Budget {
  take(key: string): Promise<boolean>;
}

/** Caps of live connections per key (a token, an address): counted over every server of a cluster. */
export interface ConnectionCaps {
  /** Counts one more for `key` unless `max` are open; answers whether it was counted. */
  tryOpen(key: string, max: number): Promise<boolean>;
  close(key: string): void;
}

/** Where budgets and caps are kept: this process (`localLimits`), or Redis for a cluster. */
export interface LimitStore {
  /** `name` keeps budgets of different purposes apart; `capacity` at once, refilled at `perSecond`. */
  budget(name: string, capacity: number, perSecond: number): Budget;
  caps(name: string): ConnectionCaps;
}

export function localLimits(): LimitStore {
  return {
    budget(_name, capacity, perSecond) {
      const limiter = new RateLimiter(capacity, perSecond);
      return { take: (key) => Promise.resolve(limiter.take(key)) };
    },
    caps() {
      const counter = new ConnectionCounter();
      return { tryOpen: (key, max) => Promise.resolve(counter.tryOpen(key, max)), close: (key) => counter.close(key) };
    },
  };
}
