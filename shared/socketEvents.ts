import type { AnyCommandType, CommandResult } from "./commands.ts";
import type { ErrorBody } from "./errors.ts";
import type { PresenceChange, WireEvent } from "./events.ts";
import type { Snapshot, ViewerFields } from "./view.ts";

/**
 * The version of the live protocol (snapshot, events, commands) this code speaks. A client sends
 * it in the handshake (`auth.protocol`); a server of another version refuses it with
 * `connect_error` "incompatible_protocol", so an old page asks to be reloaded instead of folding
 * events it does not understand. Clients that send none (the contract's) are served as this one.
 */
export const PROTOCOL_VERSION = 4;

/** What a client sends in Socket.IO's `auth`. */
export interface HandshakeAuth {
  token: string;
  protocol?: number;
  /**
   * Extension: the client takes its snapshot on connect as `compressedState` (what every viewer
   * sees alike, deflate-raw compressed once for all of them, and its own fields) instead of `state`.
   */
  snapshot?: typeof SNAPSHOT_ENCODING;
}

/** The one encoding of `compressedState`: what browsers' `DecompressionStream` reads. */
export const SNAPSHOT_ENCODING = "deflate-raw";

/**
 * The snapshot on connect for a client that asked for it compressed: `common` is the JSON of
 * `commonSnapshot` (shared/view.ts), deflate-raw compressed; `own` the viewer's fields. The
 * snapshot is `{...JSON.parse(inflate(common)), ...own}`, the same as `state` would be.
 */
export interface CompressedSnapshot {
  common: ArrayBuffer | Uint8Array;
  own: Pick<Snapshot, ViewerFields>;
}

/** A refused command's ack. */
export type CommandRefusal = { ok: false; error: ErrorBody };

/**
 * The ack of a command of type `T`: `seq` is the conference's event number once its events are stored,
 * with the command's result (shared/commands.ts `CommandResults`), or the refusal.
 */
export type AckOf<T extends AnyCommandType> = ({ ok: true; seq: number } & CommandResult<T>) | CommandRefusal;

/** The ack of any command, its result fields untyped (what a client that sends arbitrary payloads gets). */
export type Ack = ({ ok: true; seq: number } & Record<string, unknown>) | CommandRefusal;

/** The answer to `sync`: a fresh snapshot, or the refusal. */
export type SyncAck = { ok: true; state: Snapshot } | { ok: false; error: ErrorBody };

/** The answer to `clock`: the server's time, for a client to measure its offset without a snapshot. */
export type ClockAck = { ok: true; serverTime: number } | { ok: false; error: ErrorBody };

/** Events the server sends to clients. */
export interface ServerToClientEvents {
  state: (snapshot: Snapshot) => void;
  compressedState: (snapshot: CompressedSnapshot) => void;
  event: (event: WireEvent) => void;
  /** Coalesced changes of who is connected (not numbered, never stored). */
  presence: (changes: PresenceChange[]) => void;
}

/** Events clients send; payloads are `unknown` because the server validates them itself. */
export interface ClientToServerEvents {
  command: (command: unknown, ack?: (answer: Ack) => void) => void;
  sync: (ack?: (answer: SyncAck) => void) => void;
  clock: (ack?: (answer: ClockAck) => void) => void;
}
