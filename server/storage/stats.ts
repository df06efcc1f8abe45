/**
 * What a store has done so far. Kept for the benchmarks and tests, which compare them before and
 * after a burst; the product never reads them.
 */
export interface StorageStats {
  /** Batches made durable: one file replacement, or one append + fdatasync, each. */
  writes: number;
  /** Times a log was folded into its snapshot (0 for a store without a log). */
  compactions: number;
  /** Bytes handed to the medium for those batches (log records, snapshots), as encoded. */
  bytes: number;
}

/** Counters at zero. */
export function newStorageStats(): StorageStats {
  return { writes: 0, compactions: 0, bytes: 0 };
}
