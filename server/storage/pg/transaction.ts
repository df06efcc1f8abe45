import type { Pool, PoolClient } from "pg";

/**
 * Runs `work` in one transaction on a connection of its own; rolls back if it throws. `what`
 * names it in the log. A connection lost between two statements is an error event on the client,
 * not a rejection: unheard, it would end the process; the next statement fails then, and the
 * caller retries. A connection that failed is not given back to the pool.
 */
export async function inTransaction<T>(pool: Pool, what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const onLost = (error: Error) => console.error(`${what}: the connection failed:`, error.message);
  client.on("error", onLost);
  let broken = false;
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    broken = true;
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.off("error", onLost);
    client.release(broken);
  }
}
