import type { Ack } from "../../shared/socketEvents.ts";
import type { WireEvent } from "../../shared/events.ts";
import type { ConferenceState } from "../../shared/state.ts";

/** A conference's snapshot: its state as of `state.seq`, and its participants' token hashes. */
export interface ConferenceFile {
  version: 1;
  state: ConferenceState;
  /** participantId → sha256 of their bearer token. */
  tokenHashes: Record<string, string>;
  /**
   * The number of the first log record the snapshot does not hold (records are numbered from 0
   * and go on across snapshots). Absent in a file stored before the log: 0.
   */
  logNext?: number;
  /** The acks of the newest commands sent with a `commandId`, by retry key (answered to a retry). */
  acks?: Record<string, Ack>;
}

/**
 * One batch of the log: the events one group commit stored, in their stored form (a secret poll's
 * votes summed, never a voter's choice), and the token hashes it changed (null: removed).
 */
export interface LogBatch {
  /** The record's number. */
  n: number;
  events: WireEvent[];
  /**
   * Set when events whose seq is not above the state's are later ballots of a vote event stored
   * earlier (the room's turnout window): they are folded into it, the seq unchanged.
   */
  extending?: true;
  /** The acks of the batch's commands sent with a `commandId`, by retry key. */
  acks?: Record<string, Ack>;
  tokenHashes?: Record<string, string | null>;
}

/**
 * An append or a snapshot refused because another server has stored that batch, or holds a newer
 * lease (issue 18): terminal for this store, which no longer owns the conference; nothing of it
 * was stored.
 */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FencedError";
  }
}

/** What a store holds: the snapshot, and the log's batches after it, in order. */
export interface StoredConference {
  file: ConferenceFile;
  tail: LogBatch[];
}

/**
 * Where a `ConferenceRoom` keeps its conference: the one seam between the room and the medium.
 * Today a snapshot file (lowdb) and an append-only log per conference (`FileConferenceStore`);
 * the room calls `append` or `write` from its group commit, one batch at a time, and retries
 * what fails. Bytes written per batch do not grow with the conference: the snapshot is rewritten
 * only now and then.
 */
export interface ConferenceStore {
  /** What is stored, or null when nothing is; cuts off a torn log tail and clears what an interrupted write left. */
  load(): Promise<StoredConference | null>;
  /**
   * Appends one batch (numbered by the store) and resolves once it is durable. A rejection stores
   * nothing of it; a `FencedError` says that no retry will ever succeed.
   */
  append(batch: Omit<LogBatch, "n">): Promise<void>;
  /**
   * Replaces the snapshot by `file` (which then holds everything) and empties the log; resolves
   * once durable. A rejection leaves what was stored before.
   */
  write(file: ConferenceFile): Promise<void>;
  /** Records and bytes in the log since the last snapshot: when to write one. */
  readonly logRecords: number;
  readonly logBytes: number;
  /** Bytes written so far by `append` and `write` (for the benchmarks and tests). */
  readonly bytesWritten: number;
  /** Lets go of what it holds open (the conference is unloaded); a later append opens it again. */
  close?(): void;
}
