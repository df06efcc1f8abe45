import type { ConferenceState } from "../../shared/state.ts";

/** What one conference's store holds: its state as last stored, and its participants' token hashes. */
export interface ConferenceFile {
  version: 1;
  state: ConferenceState;
  /** participantId → sha256 of their bearer token. */
  tokenHashes: Record<string, string>;
}

/**
 * Where a `ConferenceRoom` keeps its conference: the one seam between the room and the medium.
 * Today a lowdb JSON file per conference (`FileConferenceStore`); the room calls `write` from its
 * group commit, one batch at a time, and retries a write that fails.
 */
export interface ConferenceStore {
  /** What is stored, or null when nothing is; clears what an interrupted write left behind. */
  load(): Promise<ConferenceFile | null>;
  /**
   * Replaces what is stored by `file` and resolves once it is durable. `file` is read when this
   * is called (later changes to it do not leak in). A rejection leaves the previous content.
   */
  write(file: ConferenceFile): Promise<void>;
}
