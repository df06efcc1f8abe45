/**
 * A real Redis for the cluster tests (issue 18): `TEST_REDIS_URL`, or this machine's service
 * (127.0.0.1:6379). Each test uses a key prefix of its own (`testPrefix`) and deletes its keys
 * afterwards. Unreachable: the tests are skipped with the reason, except in CI, where it is a failure.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function probe(): Promise<string | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

/** Why Redis cannot be used here, or null when it can (thrown instead in CI). */
export const redisUnreachable = await probe();
if (redisUnreachable && process.env.CI) throw new Error(`Redis at ${REDIS_URL} is not reachable in CI: ${redisUnreachable}`);
if (redisUnreachable) console.warn(`skipping the Redis tests: ${REDIS_URL} is not reachable (${redisUnreachable})`);

/** A fresh key prefix, and the removal of every key under it. */
export function testPrefix(): { prefix: string; drop(): Promise<void> } {
  const prefix = `giaoban_test_${randomBytes(6).toString("hex")}`;
  return {
    prefix,
    async drop() {
      const client = new Redis(REDIS_URL);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          if (keys.length > 0) await client.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        client.disconnect();
      }
    },
  };
}
