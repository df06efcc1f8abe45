/**
 * Where a conference's minutes are kept: a snapshot and a log of the Yjs updates since. The
 * `MinutesStore` owns the live document, the group commit, the durability barrier and the
 * compaction policy; this holds the bytes: two files by default (`FileMinutesStorage`), or rows of
 * PostgreSQL that several servers append to (`PgMinutesStorage`, issue 18).
 *
 * `open` and `read` are synchronous because the websocket library does not wait for its
 * persistence hook (`bindState`); a storage that can only read asynchronously fetches beforehand
 * in `load`, which the server awaits before it sets up a document's first connection. Calls are
 * never concurrent, except `load`, which may run while an append or a compaction is under way.
 */
export interface MinutesStorage {
  /** Whether the log is open for appending. */
  readonly isOpen: boolean;
  /** Records in the log (what a compaction would fold). */
  readonly logRecords: number;
  /** Bytes in the log, framing included (the compaction policy's measure). */
  readonly logBytes: number;
  /**
   * Fetches what is stored now, for `open` and `read` to answer: in PostgreSQL, what every server
   * stored. Nothing to do for files, which `open` and `read` read when called.
   */
  load(): Promise<void>;
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
   * Replaces snapshot and log by one snapshot, crash-safe at every step: `state()`, the live
   * document's, where this server is the only writer (files); where other servers append too
   * (PostgreSQL), the merge of exactly the records it replaces. A rejection leaves everything
   * readable (at worst the log duplicates the snapshot, which Yjs ignores).
   */
  compact(state: () => Uint8Array): Promise<void>;
  /** Closes the log (in the background) and forgets what `load` fetched; `open` opens it again. */
  close(): void;
}
