import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { docs, getYDoc, setPersistence, setupWSConnection, type WSSharedDoc } from "@y/websocket-server/utils";
import { WebSocket, WebSocketServer } from "ws";
import * as Y from "yjs";
import { YjsCloseCode, type ErrorCode } from "../../../shared/errors.ts";
import { LIMITS, MINUTES_LIMITS } from "../../../shared/limits.ts";
import { writesMinutes } from "../../../shared/roles.ts";
import { minutesOpenForEdits, readsMinutes } from "../../../shared/domain/minutes.ts";
import type { ConferenceRegistry, ConferenceView } from "../../conferences/ConferenceRegistry.ts";
import type { ConferenceRoom } from "../../conferences/ConferenceRoom.ts";
import { RateLimiter } from "../../http/rateLimit.ts";
import { ConnectionCounter, refuseUpgrade } from "../../http/upgrades.ts";
import { GuardedConnection, type ConnectionLimits } from "./GuardedConnection.ts";
import { YJS_PATH_PREFIX } from "../../../shared/minutes.ts";
import { DEFAULT_COMPACTION, MinutesStore, type CompactionPolicy } from "./MinutesStore.ts";

/** Largest websocket message accepted (a writer's first sync of a long document). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * @y/websocket-server keeps its documents and its persistence hooks in module globals. Each
 * MinutesServer names its documents `<server key>/<conference id>` and registers their stores
 * here, so two servers in one process (tests restart a server on the same data directory) never
 * share a document.
 */
const storesByDocName = new Map<string, MinutesStore>();
let serverCount = 0;

setPersistence({
  provider: null,
  bindState(docName: string, doc: WSSharedDoc) {
    const store = storesByDocName.get(docName);
    if (!store) throw new Error(`minutes: no store for ${docName}`);
    store.attach(doc);
  },
  writeState(docName: string, doc: WSSharedDoc) {
    return storesByDocName.get(docName)?.detach(doc) ?? Promise.resolve();
  },
});

/** Everything the minutes' websocket bounds (defaults: MINUTES_LIMITS and LIMITS' connection caps). */
export interface MinutesLimits extends ConnectionLimits {
  writerBurst: number;
  writerPerSecond: number;
  readerBurst: number;
  readerPerSecond: number;
  connectionsPerToken: number;
  connectionsPerAddress: number;
}

export interface MinutesServerOptions {
  compaction?: CompactionPolicy;
  limits?: Partial<MinutesLimits>;
  /** Who an upgrade comes from (the app's `clientAddressOf`, which knows `trust proxy`). */
  clientAddress?: (req: IncomingMessage) => string;
}

type Refusal = { status: 401 | 404 | 429 | 503; text: string };

/** Where an upgrade request for the minutes goes, or why it is refused. Pure apart from the lookups. */
export function routeUpgrade(
  url: string | undefined,
  registry: Pick<ConferenceRegistry, "get" | "authenticate">,
): { ok: true; room: ConferenceRoom; canWrite: boolean; readable: boolean; participantId: string } | ({ ok: false } & Refusal) {
  const parsed = new URL(url ?? "/", "http://localhost");
  let conferenceId: string;
  try {
    conferenceId = decodeURIComponent(parsed.pathname.slice(YJS_PATH_PREFIX.length));
  } catch {
    return { ok: false, status: 404, text: "Not Found" };
  }
  const room = conferenceId.includes("/") ? undefined : registry.get(conferenceId);
  if (!room) return { ok: false, status: 404, text: "Not Found" };
  const identity = registry.authenticate(parsed.searchParams.get("token"));
  if (!identity || identity.room !== room) return { ok: false, status: 401, text: "Unauthorized" };
  // v1.1: chairs and secretaries write while the minutes are a draft; other roles read only once the
  // chair shared the draft or the meeting approved it.
  const { minutes } = room.published;
  const writesByRole = writesMinutes(identity.participant.role);
  return {
    ok: true,
    room,
    canWrite: writesByRole && minutesOpenForEdits(minutes),
    readable: readsMinutes(minutes, writesByRole),
    participantId: identity.participant.id,
  };
}

/**
 * The minutes' Yjs sync websocket on the shared HTTP server, with its stores. Only chairs and
 * secretaries write; every other role reads.
 */
export class MinutesServer {
  readonly #key = `s${++serverCount}`;
  readonly #registry: ConferenceRegistry;
  readonly #policy: CompactionPolicy;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  readonly #stores = new Map<string, MinutesStore>();
  readonly #sockets = new Set<WebSocket>();
  readonly #limits: MinutesLimits;
  readonly #clientAddress: (req: IncomingMessage) => string;
  readonly #perToken = new ConnectionCounter();
  readonly #perAddress = new ConnectionCounter();
  /** Allowances per participant (not per connection: reconnecting does not refill them). */
  readonly #writers: { allowance: RateLimiter; tolerance: RateLimiter };
  readonly #readers: { allowance: RateLimiter; tolerance: RateLimiter };
  /** Per live document: which connection publishes each Yjs client id's cursor. */
  readonly #cursorOwners = new WeakMap<Y.Doc, Map<number, GuardedConnection>>();
  /** Live connections by holder (`<conference>/<participant>`), to close when their access changes. */
  readonly #byHolder = new Map<string, Set<GuardedConnection>>();
  readonly #unsubscribeAccess: () => void;
  readonly #unsubscribeEvents: () => void;
  #closing = false;

  constructor(registry: ConferenceRegistry, options: MinutesServerOptions = {}) {
    this.#registry = registry;
    this.#policy = options.compaction ?? DEFAULT_COMPACTION;
    this.#limits = {
      ...MINUTES_LIMITS,
      connectionsPerToken: LIMITS.connectionsPerToken,
      connectionsPerAddress: LIMITS.connectionsPerAddress,
      ...options.limits,
    };
    this.#clientAddress = options.clientAddress ?? ((req) => req.socket.remoteAddress ?? "");
    const { writerBurst, writerPerSecond, readerBurst, readerPerSecond } = this.#limits;
    // The tolerance is a second bucket of the same size: a client is closed only once it has
    // been refused a whole burst more than it was allowed, i.e. it kept sending at more than
    // twice the sustained rate.
    this.#writers = { allowance: new RateLimiter(writerBurst, writerPerSecond), tolerance: new RateLimiter(writerBurst, writerPerSecond) };
    this.#readers = { allowance: new RateLimiter(readerBurst, readerPerSecond), tolerance: new RateLimiter(readerBurst, readerPerSecond) };
    // A revoked token's connections are closed with 4401; after a change of role with 4000, and
    // y-websocket reconnects as a writer or a reader of the new role.
    this.#unsubscribeEvents = registry.subscribe((room, events) => this.#onMinutesChange(room, events));
    this.#unsubscribeAccess = registry.subscribeAccess((room, participantId, change) => {
      for (const connection of this.#byHolder.get(`${room.id}/${participantId}`) ?? []) {
        if (change === "revoked") connection.shut(YjsCloseCode.unauthorized, "this token no longer works");
        else connection.shut(YjsCloseCode.roleChanged, "the participant's role changed: connect again");
      }
    });
  }

  /**
   * v1.1: when the minutes' status changes, connections opened in another mode go: readers who may
   * no longer read (the draft unshared, or reopened and not shared) with 4403; writers, on approval
   * and on reopening, with 4000 so that they connect again as readers or writers.
   */
  #onMinutesChange(room: ConferenceView, events: readonly { type: string }[]): void {
    if (!events.some((e) => e.type.startsWith("minutes."))) return;
    const { minutes } = room.published;
    const statusChanged = events.some((e) => e.type === "minutes.approved" || e.type === "minutes.reopened");
    for (const [holder, connections] of this.#byHolder) {
      if (!holder.startsWith(`${room.id}/`)) continue;
      for (const connection of connections) {
        const participant = room.participant(holder.slice(room.id.length + 1));
        const writesByRole = participant !== undefined && writesMinutes(participant.role);
        if (!readsMinutes(minutes, writesByRole)) connection.shut(YjsCloseCode.notShared, "the draft minutes are no longer shared");
        else if (writesByRole && statusChanged) connection.shut(YjsCloseCode.roleChanged, "the minutes' status changed: connect again");
      }
    }
  }

  /** Listens for upgrades to /yjs/… on `http`; leaves every other upgrade (Socket.IO) alone. */
  attach(http: HttpServer): void {
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!(req.url ?? "").startsWith(YJS_PATH_PREFIX)) return;
      this.handleUpgrade(req, socket, head);
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (this.#closing) return refuse(socket, { status: 503, text: "Service Unavailable" });
    const route = routeUpgrade(req.url, this.#registry);
    if (!route.ok) return refuse(socket, route);
    // Caps a real hall never reaches (one NAT address for the whole Wi-Fi), counted until the
    // TCP socket is gone, whether the upgrade succeeds or not.
    const address = this.#clientAddress(req);
    const holder = `${route.room.id}/${route.participantId}`;
    if (!this.#perAddress.tryOpen(address, this.#limits.connectionsPerAddress)) {
      return refuse(socket, { status: 429, text: "too many minutes connections from this address" });
    }
    if (!this.#perToken.tryOpen(holder, this.#limits.connectionsPerToken)) {
      this.#perAddress.close(address);
      return refuse(socket, { status: 429, text: "too many minutes connections for this token" });
    }
    socket.once("close", () => {
      this.#perAddress.close(address);
      this.#perToken.close(holder);
    });
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.#closing) return ws.terminate();
      this.#sockets.add(ws);
      ws.once("close", () => this.#sockets.delete(ws));
      const docName = this.#docName(route.room.id);
      const store = this.storeOf(route.room);
      // The document setupWSConnection will use (created and loaded here if nobody has it open).
      const doc = getYDoc(docName, true);
      let cursorOwners = this.#cursorOwners.get(doc);
      if (!cursorOwners) this.#cursorOwners.set(doc, (cursorOwners = new Map()));
      if (!route.readable) {
        // The contract's refusal of a reader while the draft is not shared is a close code.
        ws.close(YjsCloseCode.notShared, "the draft minutes are not shared");
        return;
      }
      const room = route.room;
      const connection = new GuardedConnection(ws, { doc, store, cursorOwners }, {
        canWrite: route.canWrite,
        // Only a chair's or secretary's connection is told that their edit came too late.
        ...(writesMinutes(room.participant(route.participantId)?.role ?? "observer") && { locked: () => !minutesOpenForEdits(room.published.minutes) }),
        holder,
        label: `${route.room.id}, participant ${route.participantId} at ${address}`,
        ...(route.canWrite ? this.#writers : this.#readers),
        limits: this.#limits,
      });
      let held = this.#byHolder.get(holder);
      if (!held) this.#byHolder.set(holder, (held = new Set()));
      held.add(connection);
      ws.once("close", () => {
        held.delete(connection);
        if (held.size === 0 && this.#byHolder.get(holder) === held) this.#byHolder.delete(holder);
      });
      setupWSConnection(connection as unknown as WebSocket, req, { docName, gc: true });
    });
  }

  /** The store of a conference's minutes (one per conference for the server's lifetime). */
  storeOf(room: ConferenceRoom): MinutesStore {
    let store = this.#stores.get(room.id);
    if (!store) {
      store = new MinutesStore(room.dir, this.#policy);
      this.#stores.set(room.id, store);
      storesByDocName.set(this.#docName(room.id), store);
    }
    return store;
  }

  /**
   * The minutes as one Yjs update: the live document's when someone has it open (the freshest),
   * else what the store holds. This is all the export asks of the sync side.
   */
  documentState(room: ConferenceRoom): Uint8Array {
    const live = docs.get(this.#docName(room.id));
    return live ? Y.encodeStateAsUpdate(live) : this.storeOf(room).readState();
  }

  /** Connections open now (for tests). */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Closes every minutes socket and waits until every store is on disk and closed. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#unsubscribeAccess();
    this.#unsubscribeEvents();
    const closed = [...this.#sockets].map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once("close", () => resolve());
      ws.terminate();
    }));
    await Promise.all(closed);
    await Promise.all([...this.#stores.values()].map((store) => store.close()));
    for (const id of this.#stores.keys()) {
      const name = this.#docName(id);
      storesByDocName.delete(name);
      docs.get(name)?.destroy();
      docs.delete(name);
    }
    this.#wss.close();
  }

  #docName(conferenceId: string): string {
    return `${this.#key}/${conferenceId}`;
  }
}

function refuse(socket: Duplex, refusal: Refusal): void {
  const codes: Record<Refusal["status"], ErrorCode> = { 401: "unauthorized", 404: "not_found", 429: "rate_limited", 503: "unavailable" };
  refuseUpgrade(socket, codes[refusal.status], refusal.text);
}
