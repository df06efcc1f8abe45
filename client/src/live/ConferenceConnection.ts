import { io, type Socket } from "socket.io-client";
import type { CommandOf, CommandType } from "../../../shared/commands.ts";
import { applyWireEvent } from "../../../shared/domain/index.ts";
import type { WireEvent } from "../../../shared/events.ts";
import { ConnectRefusal, ErrorCode } from "../../../shared/errors.ts";
import {
  PROTOCOL_VERSION,
  SNAPSHOT_ENCODING,
  type AckOf,
  type CompressedSnapshot,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
} from "../../../shared/socketEvents.ts";
import type { ConferenceState } from "../../../shared/state.ts";
import { applyPresence, stateOfSnapshot, type Me, type Snapshot } from "../../../shared/view.ts";

/**
 * What this client says when it connects: its token and protocol, and that it takes its snapshot
 * compressed where the runtime can inflate it (every current browser; Node 18 and later).
 */
function handshakeAuth(token: string): HandshakeAuth {
  return { token, protocol: PROTOCOL_VERSION, ...(typeof DecompressionStream === "function" && { snapshot: SNAPSHOT_ENCODING }) };
}

export type ConnectionStatus = "connecting" | "online" | "offline" | "unauthorized" | "outdated";

/** What the views read: the conference as this participant may see it, and the link's health. */
export interface LiveState {
  status: ConnectionStatus;
  conference: ConferenceState | null;
  me: Me | null;
  /** serverTime − Date.now(), estimated from a round trip; add it to Date.now() for server time. */
  clockOffsetMs: number;
}

type Listener = () => void;

/**
 * The one place that talks to the server's Socket.IO endpoint. It keeps a mirror of the
 * conference by folding the server's events with the shared `applyWireEvent`, asks for a fresh
 * snapshot when it sees a gap in `seq`, and exposes the result for `useSyncExternalStore`.
 */
export class ConferenceConnection {
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly #listeners = new Set<Listener>();
  #state: LiveState = { status: "connecting", conference: null, me: null, clockOffsetMs: 0 };
  #resyncing = false;
  /** A new token for this participant is on its way (`renewToken`): a refusal of the old one is expected. */
  #renewing = false;
  /** The old token was refused while renewing: if no new one comes, the link is dead after all. */
  #refusedWhileRenewing = false;

  constructor(token: string, url = window.location.origin) {
    this.#socket = io(url, { auth: handshakeAuth(token), transports: ["websocket", "polling"] });
    this.#socket.on("connect", () => this.#measureClock());
    this.#socket.on("disconnect", (reason) => {
      this.#set({ status: "offline" });
      // The server let go of this socket (its token was revoked, its role changed, it read too
      // slowly): Socket.IO does not come back by itself then. Connecting again answers a fresh
      // snapshot, or `connect_error` "unauthorized" and the invalid-link page. While a new token is
      // on its way, the old one was let go on purpose: wait for the new one.
      if (reason === "io server disconnect" && !this.#renewing) this.#socket.connect();
    });
    this.#socket.on("connect_error", (error) => {
      if (error.message === ConnectRefusal.unauthorized) {
        this.#socket.disconnect();
        if (this.#renewing) {
          this.#refusedWhileRenewing = true;
          this.#set({ status: "connecting" });
        } else {
          this.#set({ status: "unauthorized" });
        }
      } else if (error.message === ConnectRefusal.incompatibleProtocol) {
        // The server was updated under this page: only a reload brings the matching client.
        this.#socket.disconnect();
        this.#set({ status: "outdated" });
      } else {
        this.#set({ status: "offline" });
      }
    });
    this.#socket.on("state", (snapshot) => this.#adopt(snapshot));
    this.#socket.on("compressedState", (parts) => void this.#inflate(parts));
    this.#socket.on("event", (event) => (this.#inflating ? this.#heldEvents.push(event) : this.#receive(event)));
    this.#socket.on("presence", (changes) => {
      const { conference } = this.#state;
      if (conference) this.#set({ conference: applyPresence(conference, changes) });
    });
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): LiveState => this.#state;

  /** Server time now, by this device's clock corrected with the measured offset. */
  serverNow(): number {
    return Date.now() + this.#state.clockOffsetMs;
  }

  /**
   * Sends a command; resolves with the server's ack (or a local `unavailable` when offline, or
   * after `timeoutMs`: a secret vote's ack may wait for its batch). The ack carries the command's
   * result (shared/commands.ts `CommandResults`). If the connection drops before the ack comes,
   * the command is sent again once connected, with the same `commandId`: the server applies it
   * once and answers the first ack.
   */
  async send<T extends CommandType>(command: CommandOf<T>, timeoutMs = 15_000): Promise<AckOf<T>> {
    if (!this.#socket.connected) {
      return { ok: false, error: { code: ErrorCode.unavailable, message: "offline" } };
    }
    const sent = { ...command, commandId: crypto.randomUUID() };
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // The wire types every ack alike; the server answers a command of type T with AckOf<T>.
      const ack = await this.#emitOnce(sent, deadline);
      if (ack) return ack as AckOf<T>;
      if (!(await this.#connectedBy(deadline))) break;
    }
    return { ok: false, error: { code: ErrorCode.unavailable, message: "no answer from the server" } };
  }

  /** One sending: the ack, or null if the connection dropped first or the deadline passed. */
  #emitOnce(command: Record<string, unknown>, deadline: number): Promise<unknown> {
    return this.#firstOf<unknown>("disconnect", null, null, deadline, (answer) => this.#socket.emit("command", command, answer));
  }

  /** Whether the socket is (again) connected before the deadline. */
  #connectedBy(deadline: number): Promise<boolean> {
    if (this.#socket.connected) return Promise.resolve(true);
    return this.#firstOf("connect", true, false, deadline);
  }

  /**
   * Whichever comes first: what `start` answers through its callback, `onEvent` once the socket's
   * `event` fires, or `onDeadline` once the deadline passes.
   */
  #firstOf<T>(event: "connect" | "disconnect", onEvent: T, onDeadline: T, deadline: number, start?: (answer: (value: T) => void) => void): Promise<T> {
    return new Promise((resolve) => {
      const done = (value: T) => {
        clearTimeout(timer);
        this.#socket.off(event, heard);
        resolve(value);
      };
      const heard = () => done(onEvent);
      const timer = setTimeout(() => done(onDeadline), Math.max(0, deadline - Date.now()));
      this.#socket.once(event, heard);
      start?.(done);
    });
  }

  /**
   * Replaces this participant's token without losing the mirror: `issue` asks the server for a new
   * one (which disconnects every socket of the old one); meanwhile a refusal of the old token does
   * not count as a dead link. With the new token the socket connects again and receives a fresh
   * snapshot. Answers the new token, or null if none came (and then a refusal seen counts).
   */
  async renewToken(issue: () => Promise<string | null>): Promise<string | null> {
    this.#renewing = true;
    this.#refusedWhileRenewing = false;
    let token: string | null = null;
    try {
      token = await issue();
    } finally {
      this.#renewing = false;
    }
    if (token) {
      this.#socket.auth = handshakeAuth(token);
      this.#socket.disconnect();
      this.#set({ status: "connecting" });
      this.#socket.connect();
    } else if (this.#refusedWhileRenewing) {
      this.#set({ status: "unauthorized" });
    } else if (!this.#socket.connected) {
      this.#socket.connect();
    }
    return token;
  }

  close(): void {
    this.#socket.disconnect();
    this.#listeners.clear();
  }

  /** Events that arrive while a compressed snapshot is being inflated: folded onto it afterwards. */
  #heldEvents: WireEvent[] = [];
  /** The compressed snapshot being inflated (a newer one supersedes it). */
  #inflating: CompressedSnapshot | null = null;

  async #inflate(parts: CompressedSnapshot) {
    this.#inflating = parts;
    this.#heldEvents = [];
    let common: Omit<Snapshot, keyof CompressedSnapshot["own"]>;
    try {
      const stream = new Blob([parts.common as BlobPart]).stream().pipeThrough(new DecompressionStream(SNAPSHOT_ENCODING));
      common = JSON.parse(await new Response(stream).text()) as typeof common;
    } catch {
      // Unreadable: ask for the plain snapshot instead.
      if (this.#inflating === parts) this.#inflating = null;
      return void this.#resync();
    }
    if (this.#inflating !== parts) return;
    this.#inflating = null;
    // A snapshot adopted meanwhile (the answer to a `sync`) may be newer: keep it.
    if ((this.#state.conference?.seq ?? -1) <= common.seq) this.#adopt({ ...common, ...parts.own } as Snapshot);
    const held = this.#heldEvents;
    this.#heldEvents = [];
    for (const event of held) this.#receive(event);
  }

  #adopt(snapshot: Snapshot) {
    const { state, me } = stateOfSnapshot(snapshot);
    this.#set({ status: "online", conference: state, me });
  }

  #receive(event: WireEvent) {
    const { conference } = this.#state;
    if (!conference || this.#resyncing) return;
    if (event.seq <= conference.seq) return; // already in the snapshot
    if (event.seq !== conference.seq + 1) return void this.#resync();
    const me = this.#state.me;
    const renamed = event.type === "participant.updated" && event.data.participantId === me?.id ? event.data.fields.name : undefined;
    this.#set({ conference: applyWireEvent(conference, event), ...(me && renamed !== undefined && { me: { ...me, name: renamed } }) });
  }

  async #resync() {
    this.#resyncing = true;
    try {
      const answer = await this.#socket.timeout(15_000).emitWithAck("sync");
      if (answer.ok) this.#adopt(answer.state);
    } catch {
      // The next reconnect sends a fresh snapshot anyway.
    } finally {
      this.#resyncing = false;
    }
  }

  async #measureClock() {
    const sentAt = Date.now();
    try {
      const answer = await this.#socket.timeout(15_000).emitWithAck("clock");
      const receivedAt = Date.now();
      if (!answer.ok) return;
      this.#set({ clockOffsetMs: answer.serverTime - (sentAt + receivedAt) / 2 });
    } catch {
      /* measured again on the next connect */
    }
  }

  #set(change: Partial<LiveState>) {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}
