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

/**
 * Settles as `promise` does, or rejects after `ms` (calling `onLate` first), for a caller that
 * cannot wait longer (a websocket upgrade waiting for PostgreSQL); the operation itself goes on.
 */
export function within<T>(promise: Promise<T>, ms: number, onLate: () => void = () => {}): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onLate();
      reject(new Error(`not done within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
