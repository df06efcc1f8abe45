/**
 * Token buckets per key (an address, a socket): `capacity` actions at once, refilled at
 * `perSecond`. Buckets that have refilled are dropped so the map does not grow without bound.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly capacity: number;
  readonly perSecond: number;

  constructor(capacity: number, perSecond: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
  }

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whether `key` still has a token, without taking it. */
  allows(key: string, now = Date.now()): boolean {
    return this.#refilled(key, now).tokens >= 1;
  }

  #refilled(key: string, now: number) {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size > 10_000) this.#sweep(now);
      bucket = { tokens: this.capacity, at: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  #sweep(now: number) {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.capacity) this.#buckets.delete(key);
    }
  }
}
