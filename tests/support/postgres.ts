/**
 * A real PostgreSQL for the tests (issue 18), each test file in a schema of its own that it drops
 * afterwards. `TEST_DATABASE_URL`, or this machine's service (127.0.0.1:5432, trust, database
 * `test`). Unreachable: the tests are skipped with the reason, except in CI, where it is a failure.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used here, or null when it can (thrown instead in CI). */
export const postgresUnreachable = await probe();
if (postgresUnreachable && process.env.CI) throw new Error(`PostgreSQL at ${DATABASE_URL} is not reachable in CI: ${postgresUnreachable}`);
if (postgresUnreachable) console.warn(`skipping the PostgreSQL tests: ${DATABASE_URL} is not reachable (${postgresUnreachable})`);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh schema: its name, a connection string whose sessions use it, and its removal. */
export async function testSchema(): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `giaoban_test_${randomBytes(6).toString("hex")}`;
  await admin(`create schema ${schema}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: () => admin(`drop schema if exists ${schema} cascade`) };
}
