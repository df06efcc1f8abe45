/**
 * Where a conference's minutes are kept: a snapshot and a log of the Yjs updates since. The
 * `MinutesStore` owns the live document, the group commit, the durability barrier and the
 * compaction policy; this holds the bytes (today two files, `FileMinutesStorage`).
 *
 * Reads and `open` are synchronous because the websocket library does not wait for its
 * persistence hook (`bindState`). Calls are never concurrent: one append or compaction at a time.
 */
export interface MinutesStorage {
  /** Whether the log is open for appending. */
  readonly isOpen: boolean;
  /** Records in the log (what a compaction would fold). */
  readonly logRecords: number;
  /** Bytes in the log, framing included (the compaction policy's measure). */
  readonly logBytes: number;
  /**
   * Opens the log for appending, cutting off a damaged tail first; answers every stored update,
   * the snapshot's first.
   */
  open(): Uint8Array[];
  /** The stored updates, the snapshot's first: while open, only what appends have made durable. */
  read(): Uint8Array[];
  /**
   * Appends updates to the log; resolves once they are durable. A rejection leaves the log as it
   * was (a partial write is cut off), so the caller may retry the same updates.
   */
  append(updates: readonly Uint8Array[]): Promise<void>;
  /**
   * Replaces snapshot and log by one snapshot, `state`, crash-safe at every step. A rejection
   * leaves everything readable (at worst the log duplicates the snapshot, which Yjs ignores).
   */
  compact(state: Uint8Array): Promise<void>;
  /** Closes the log (in the background); `open` opens it again. */
  close(): void;
}
