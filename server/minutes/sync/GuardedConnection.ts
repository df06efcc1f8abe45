import { EventEmitter } from "node:events";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { WebSocket, type RawData } from "ws";
import * as Y from "yjs";
import { YjsCloseCode } from "../../../shared/errors.ts";
import type { RateLimiter } from "../../http/rateLimit.ts";
import {
  acceptsFromClient,
  checkUpdate,
  classifyMessage,
  decodeAwareness,
  encodeAwarenessMessage,
  frameMessage,
  isStateVector,
  type Framed,
  MessageType,
  sendsToClient,
} from "./messages.ts";

/** Holds a message until what it may carry is on disk (MinutesStore.afterDurable). */
export type DurabilityBarrier = (deliver: () => void) => void;

type SendCallback = (error?: Error | null) => void;

/** What a connection has counted so far, for tests and logs; the product never reads it. */
export interface ConnectionStats {
  /** Messages dropped: a reader's writes, refusals, those over the allowance. */
  dropped: number;
}

/** What the connections of one document share. */
export interface MinutesSession {
  doc: Y.Doc;
  /** The document's store: the durability barrier, and how much is waiting for the disk. */
  store: { afterDurable: DurabilityBarrier; readonly backlogBytes: number };
  /** Which connection publishes each Yjs client id's cursor (the first to introduce it). */
  cursorOwners: Map<number, GuardedConnection>;
}

/** The bounds a connection enforces (MINUTES_LIMITS, or a test's own). */
export interface ConnectionLimits {
  bytesPerMessageCost: number;
  softBufferBytes: number;
  hardBufferBytes: number;
  storeBacklogBytes: number;
  documentDepth: number;
  valueDepth: number;
  awarenessStateBytes: number;
  awarenessClientsPerConnection: number;
  refusalLogIntervalMs: number;
}

/** Who a connection is and what it may send. */
export interface ConnectionOptions {
  canWrite: boolean;
  /**
   * v1.1: whether the minutes are approved now. A writer's edit that arrives once they are is
   * discarded and the writer is told (closed with `YjsCloseCode.approved`).
   */
  locked?: () => boolean;
  /** Who holds the connection (`<conference>/<participant>`): the key of its allowance. */
  holder: string;
  /** How the logs name it (conference, participant, address). */
  label: string;
  /** Messages it may send (a token per message): the writers' or the readers' buckets. */
  allowance: RateLimiter;
  /** Messages it may send past its allowance before it is closed. */
  tolerance: RateLimiter;
  limits: ConnectionLimits;
}

/** First and longest wait before asking a writer again for updates that were refused. */
const RESYNC_FIRST_MS = 500;
const RESYNC_LONGEST_MS = 30_000;
/** Time a connection we close has to take the close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * What `setupWSConnection` of @y/websocket-server sees instead of the real socket: the same
 * small surface (`on`, `send`, `ping`, `close`, `readyState`, `binaryType`), with the guards the
 * library does not have (docs/protocol.md, "Minutes websocket limits").
 *
 * Incoming, before the library or the document sees anything:
 * - an allowance per participant (a token bucket); past it messages are dropped, and a client
 *   that keeps going far past it is closed (4429);
 * - framing checked; a reader may only ask for the document (sync step 1);
 * - updates checked against the document (checkUpdate) and applied here, so nothing a client
 *   sends reaches the library's `console.error`; an update that depends on something dropped is
 *   refused and the writer asked again (sync step 1) for what the server lacks;
 * - awareness decoded: states bounded in size and depth, and only for the client ids this
 *   connection introduced first;
 * - while the store's backlog passes a bound, writers' sockets are not read.
 * Refused messages are logged at most one line per connection every few seconds, with counts.
 *
 * Outgoing: every message waits for the durability barrier; readers get no awareness. A
 * connection whose unsent bytes (socket buffer plus what the barrier holds for it) pass the soft
 * bound gets no answers to sync step 1 and no cursors; past the hard bound it is closed (4413).
 */
export class GuardedConnection extends EventEmitter {
  readonly #socket: WebSocket;
  readonly #session: MinutesSession;
  readonly #options: ConnectionOptions;
  readonly #limits: ConnectionLimits;
  readonly #log: RefusalLog;
  /** Bytes of messages the durability barrier holds for this socket. */
  #held = 0;
  /** We are closing it: nothing more is read or sent. */
  #shutting = false;
  #paused = false;
  readonly #cursorIds = new Set<number>();
  #resyncTimer: NodeJS.Timeout | null = null;
  #resyncDelay = RESYNC_FIRST_MS;
  #graceTimer: NodeJS.Timeout | null = null;
  /** What this connection has dropped so far. */
  readonly stats: ConnectionStats = { dropped: 0 };

  constructor(socket: WebSocket, session: MinutesSession, options: ConnectionOptions) {
    super();
    this.#socket = socket;
    this.#session = session;
    this.#options = options;
    this.#limits = options.limits;
    this.#log = new RefusalLog(options.label, options.limits.refusalLogIntervalMs);
    socket.binaryType = "arraybuffer";
    socket.on("message", (data: RawData, isBinary: boolean) => this.#receive(data, isBinary));
    socket.on("close", (code: number, reason: Buffer) => {
      this.#closed();
      this.emit("close", code, reason);
    });
    socket.on("pong", (data: Buffer) => this.emit("pong", data));
    socket.on("error", () => socket.terminate());
  }

  get readyState(): number {
    return this.#socket.readyState;
  }

  /** The library sets this; the real socket already delivers ArrayBuffers. */
  set binaryType(_value: string) {}

  get binaryType(): string {
    return "arraybuffer";
  }

  /** Whether it was opened as a writer's. */
  get canWrite(): boolean {
    return this.#options.canWrite;
  }

  /** Who holds the connection (conference/participant). */
  get holder(): string {
    return this.#options.holder;
  }

  /** Bytes sent to this client that it has not taken yet: the socket's buffer and the barrier's. */
  get unsentBytes(): number {
    return this.#socket.bufferedAmount + this.#held;
  }

  send(message: Uint8Array, _options?: unknown, callback?: SendCallback): void {
    if (this.#shutting) return callback?.(new Error("the connection is closing"));
    const kind = classifyMessage(message);
    if (!sendsToClient(kind, this.#options.canWrite)) return callback?.(null);
    const unsent = this.unsentBytes;
    if (unsent > this.#limits.hardBufferBytes) {
      this.#shut(YjsCloseCode.tooSlow, "too slow: it did not read what it was sent");
      return callback?.(new Error("the client does not read"));
    }
    // Cursors are renewed all the time: one that does not fit is simply not sent.
    if (kind === "awareness" && unsent > this.#limits.softBufferBytes) return callback?.(null);
    this.#held += message.length;
    this.#session.store.afterDurable(() => {
      this.#held -= message.length;
      if (this.#shutting || this.#socket.readyState !== WebSocket.OPEN) return callback?.(new Error("the socket is closed"));
      this.#socket.send(message, { binary: true }, callback);
    });
  }

  ping(): void {
    this.#socket.ping();
  }

  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  #receive(data: RawData, isBinary: boolean): void {
    // A client we are closing may still have sent a lot: none of it is read.
    if (this.#shutting) return;
    const message = toBytes(data);
    const framed: Framed = isBinary ? frameMessage(message) : { kind: "malformed", reason: "a text message" };
    // Checked before it is charged: y-websocket clients echo every cursor they hear back to the
    // server, and those echoes must not eat a busy writer's allowance (see #relayAwareness).
    if (framed.kind === "awareness" && this.#options.canWrite) return this.#relayAwareness(framed.payload, message);
    if (!this.#withinAllowance(message.length)) return;
    if (framed.kind === "malformed") return this.#refuse(framed.reason);
    if (!acceptsFromClient(framed.kind, this.#options.canWrite)) {
      // A chair's or secretary's edit after the approval (their page reconnected read-only).
      if ((framed.kind === "sync-update" || framed.kind === "sync-step2") && this.#options.locked?.()) return this.#refuseLocked(framed.payload);
      this.stats.dropped++;
      return;
    }
    switch (framed.kind) {
      case "sync-step1":
        if (!isStateVector(framed.payload)) return this.#refuse("an unreadable state vector");
        // It has not read the last answers yet: another copy of the document would only pile up.
        if (this.unsentBytes > this.#limits.softBufferBytes) {
          this.stats.dropped++;
          return;
        }
        this.emit("message", toArrayBuffer(message));
        return;
      case "sync-step2":
      case "sync-update":
        return this.#applyUpdate(framed.payload);
      case "awareness": // a reader's: not accepted above
        return;
      default:
        return assertNever(framed);
    }
  }

  /**
   * Takes the message's cost from the holder's allowance: one, and one more per
   * `bytesPerMessageCost` bytes (never more than the whole burst, or it could never pass).
   * Over it, the message is dropped; far over it, the connection is closed.
   */
  #withinAllowance(bytes: number): boolean {
    const { allowance, tolerance, holder, canWrite } = this.#options;
    const cost = Math.min(allowance.capacity, 1 + Math.floor(bytes / this.#limits.bytesPerMessageCost));
    let granted = true;
    for (let i = 0; i < cost && granted; i++) granted = allowance.take(holder);
    if (granted) return true;
    this.stats.dropped++;
    if (!tolerance.take(holder)) {
      this.#log.note("over its message allowance, long and far: closed");
      this.#shut(YjsCloseCode.rateLimited, "too many messages");
      return false;
    }
    this.#log.note("over its message allowance");
    // What a writer sent may have been an edit: once it slows down, ask for what is missing.
    if (canWrite) this.#scheduleResync();
    return false;
  }

  #applyUpdate(update: Uint8Array): void {
    const { doc, store } = this.#session;
    if (this.#options.locked?.()) return this.#refuseLocked(update);
    const verdict = checkUpdate(update, doc, { maxTypeDepth: this.#limits.documentDepth, maxValueDepth: this.#limits.valueDepth });
    if (!verdict.ok) {
      this.stats.dropped++;
      // A gap follows a dropped update (or overtook one): not hostile, and healed by asking again.
      if (verdict.gap) this.#scheduleResync();
      else this.#log.note(verdict.reason);
      return;
    }
    try {
      // What the library would do with a step 2 or an update, with the connection as origin.
      Y.applyUpdate(doc, update, this);
      this.#resyncDelay = RESYNC_FIRST_MS;
    } catch (error) {
      this.#log.note(`an update Yjs could not apply (${(error as Error)?.message})`);
    }
    // The disk is behind: stop reading this writer until it has caught up (TCP holds the rest).
    if (store.backlogBytes > this.#limits.storeBacklogBytes && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
      store.afterDurable(() => {
        this.#paused = false;
        if (!this.#shutting) this.#socket.resume();
      });
    }
  }

  /**
   * v1.1: the minutes are approved: the text is what the meeting adopted, and no edit goes in. An
   * update that carries text the document does not have (a writer typed) closes the connection
   * with `YjsCloseCode.approved`, so that the writer is told; one with nothing new (the answer to
   * the server's sync on connecting, or deletions only) is dropped silently.
   */
  #refuseLocked(update: Uint8Array): void {
    this.stats.dropped++;
    let adds = false;
    try {
      const known = Y.decodeStateVector(Y.encodeStateVector(this.#session.doc));
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
        if (clock > (known.get(client) ?? 0)) adds = true;
      }
    } catch {
      adds = true;
    }
    if (adds) this.#shut(YjsCloseCode.approved, "the minutes are approved: the edit was discarded");
  }

  /**
   * A writer's awareness: decoded and bounded, then only the entries of the client ids this
   * connection owns are relayed. y-websocket clients send every awareness change they see,
   * other writers' cursors included (and their removal when a writer leaves): a message of only
   * such echoes is dropped silently and costs no allowance; anything else is charged.
   */
  #relayAwareness(payload: Uint8Array, message: Uint8Array): void {
    const decoded = decodeAwareness(payload, {
      maxEntries: this.#limits.awarenessClientsPerConnection,
      maxStateBytes: this.#limits.awarenessStateBytes,
      maxDepth: this.#limits.valueDepth,
    });
    if ("reason" in decoded) {
      if (this.#withinAllowance(message.length)) this.#refuse(decoded.reason);
      return;
    }
    const own = decoded.entries.filter((entry) => this.#mayPublish(entry.clientID, entry.state === "null"));
    if (own.length === 0) {
      this.stats.dropped++;
      return;
    }
    if (!this.#withinAllowance(message.length)) return;
    this.emit("message", toArrayBuffer(own.length === decoded.entries.length ? message : encodeAwarenessMessage(own)));
  }

  /**
   * Whether this connection may publish (or remove) `clientID`'s cursor. A connection owns the
   * ids it introduced first, with a state (a removal claims nothing: every writer's client
   * echoes the removal of one who left). An id owned by a connection of the same participant
   * (a reconnect the server has not noticed yet) moves here.
   */
  #mayPublish(clientID: number, removal: boolean): boolean {
    const owners = this.#session.cursorOwners;
    const owner = owners.get(clientID);
    if (owner === this) return true;
    if (owner !== undefined && owner.holder !== this.holder) return false;
    if (removal) return owner !== undefined;
    if (owner === undefined && this.#cursorIds.size >= this.#limits.awarenessClientsPerConnection) return false;
    if (owner !== undefined) owner.#cursorIds.delete(clientID);
    owners.set(clientID, this);
    this.#cursorIds.add(clientID);
    return true;
  }

  #refuse(reason: string): void {
    this.stats.dropped++;
    this.#log.note(reason);
  }

  /** Asks the writer (sync step 1) for what the server lacks, once, after a growing pause. */
  #scheduleResync(): void {
    if (this.#resyncTimer !== null || this.#shutting) return;
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = null;
      if (this.#shutting || this.#socket.readyState !== WebSocket.OPEN) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      syncProtocol.writeSyncStep1(encoder, this.#session.doc);
      this.send(encoding.toUint8Array(encoder));
    }, this.#resyncDelay);
    this.#resyncTimer.unref();
    this.#resyncDelay = Math.min(this.#resyncDelay * 2, RESYNC_LONGEST_MS);
  }

  /** Closes with `code` (the server's own reason, such as a revoked token), reading nothing more. */
  shut(code: number, reason: string): void {
    this.#shut(code, reason);
  }

  /** Closes with `code`, reads nothing more, and destroys the socket if the close does not finish. */
  #shut(code: number, reason: string): void {
    if (this.#shutting) return;
    this.#shutting = true;
    this.#log.flush();
    this.#socket.close(code, reason);
    this.#socket.pause();
    this.#graceTimer = setTimeout(() => this.#socket.terminate(), CLOSE_GRACE_MS);
    this.#graceTimer.unref();
  }

  #closed(): void {
    this.#shutting = true;
    if (this.#resyncTimer !== null) clearTimeout(this.#resyncTimer);
    if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
    const owners = this.#session.cursorOwners;
    for (const id of this.#cursorIds) if (owners.get(id) === this) owners.delete(id);
    this.#cursorIds.clear();
    this.#log.flush();
  }
}

/**
 * At most one log line per connection every `intervalMs` about what it had refused, with the
 * count and the first reason: 8 KB of malformed messages once wrote 792 KB of stack traces.
 */
class RefusalLog {
  readonly #label: string;
  readonly #intervalMs: number;
  #count = 0;
  #reasons = new Set<string>();
  #loggedAt = -Infinity;

  constructor(label: string, intervalMs: number) {
    this.#label = label;
    this.#intervalMs = intervalMs;
  }

  note(reason: string): void {
    this.#count++;
    if (this.#reasons.size < 3) this.#reasons.add(reason);
    if (Date.now() - this.#loggedAt >= this.#intervalMs) this.flush();
  }

  /** Writes the line for what was noted since the last one, if anything. */
  flush(): void {
    if (this.#count === 0) return;
    console.warn(`minutes ${this.#label}: refused ${this.#count} message(s): ${[...this.#reasons].join("; ")}`);
    this.#count = 0;
    this.#reasons = new Set();
    this.#loggedAt = Date.now();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return Array.isArray(data) ? Buffer.concat(data) : data;
}

/** The library reads messages as ArrayBuffers (`new Uint8Array(message)`). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}
