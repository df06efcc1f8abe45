/** How `retryForever` waits and reports. */
export interface RetryPolicy {
  /** Wait before attempt n + 2 after attempt n + 1 failed; the last delay repeats from then on. */
  delaysMs: readonly number[];
  /**
   * Told of each failure (attempt counts from 1) before the wait: the caller's own log line, and
   * any cleanup the next attempt needs.
   */
  onFailure(error: unknown, attempt: number): void | Promise<void>;
}

/**
 * Runs `operation` until it succeeds. For storage writes whose callers hold acks until the data
 * is on disk: giving up would mean acking nothing ever again, so a full disk or a yanked volume
 * is waited out, with the state kept in memory meanwhile.
 */
export async function retryForever<T>(operation: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      await policy.onFailure(error, attempt + 1);
      const delay = policy.delaysMs[Math.min(attempt, policy.delaysMs.length - 1)] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
