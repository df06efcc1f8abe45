import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { docs, getYDoc, setPersistence, setupWSConnection, type WSSharedDoc } from "@y/websocket-server/utils";
import type { Pool } from "pg";
import { WebSocket, WebSocketServer } from "ws";
import * as Y from "yjs";
import { YjsCloseCode, type ErrorCode } from "../../../shared/errors.ts";
import { LIMITS, MINUTES_LIMITS } from "../../../shared/limits.ts";
import { writesMinutes } from "../../../shared/roles.ts";
import { minutesOpenForEdits, readsMinutes } from "../../../shared/domain/minutes.ts";
import type { ConferenceRegistry, ConferenceView } from "../../conferences/ConferenceRegistry.ts";
import { RateLimiter } from "../../http/rateLimit.ts";
import { refuseUpgrade } from "../../http/upgrades.ts";
import { localLimits, type ConnectionCaps, type LimitStore } from "../../http/limits.ts";
import { GuardedConnection, type ConnectionLimits } from "./GuardedConnection.ts";
import { YJS_PATH_PREFIX } from "../../../shared/minutes.ts";
import { DEFAULT_COMPACTION, MinutesStore, type CompactionPolicy } from "./MinutesStore.ts";
import type { MinutesCluster } from "./minutesCluster.ts";
import { MinutesRelay } from "./MinutesRelay.ts";
import { PgMinutesStorage } from "../../storage/pg/PgMinutesStorage.ts";
import { within } from "../../storage/retry.ts";

/** Largest websocket message accepted (a writer's first sync of a long document). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Longest a first connection waits for its document's stored updates before it is refused (503). */
const LOAD_TIMEOUT_MS = 5_000;

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
  /** Time a document's first connection waits for its stored updates (PostgreSQL) before a 503. */
  loadTimeoutMs: number;
}

export interface MinutesServerOptions {
  compaction?: CompactionPolicy;
  limits?: Partial<MinutesLimits>;
  /** Who an upgrade comes from (the app's `clientAddressOf`, which knows `trust proxy`). */
  clientAddress?: (req: IncomingMessage) => string;
  /**
   * Issue 18: several servers serve the same minutes. They are kept in PostgreSQL and each stored
   * update is relayed to the other servers through Redis. Without it: files in `room.dir`.
   */
  cluster?: MinutesCluster;
  /** One server on PostgreSQL (`DATABASE_URL` without Redis): the minutes there, relayed to nobody. */
  database?: Pool;
  /** Where the connection caps are counted (default: this process; a cluster's, over every server). */
  limitStore?: LimitStore;
}

type Refusal = { status: 401 | 404 | 429 | 503; text: string };
type Route = Extract<ReturnType<typeof routeUpgrade>, { ok: true }>;

/** Where an upgrade request for the minutes goes, or why it is refused. Pure apart from the lookups. */
export function routeUpgrade(
  url: string | undefined,
  registry: Pick<ConferenceRegistry, "view" | "authenticate">,
): { ok: true; room: ConferenceView; canWrite: boolean; readable: boolean; participantId: string } | ({ ok: false } & Refusal) {
  const parsed = new URL(url ?? "/", "http://localhost");
  let conferenceId: string;
  try {
    conferenceId = decodeURIComponent(parsed.pathname.slice(YJS_PATH_PREFIX.length));
  } catch {
    return { ok: false, status: 404, text: "Not Found" };
  }
  // Owned here or a replica of another server's: the minutes only read it.
  const room = conferenceId.includes("/") ? undefined : registry.view(conferenceId);
  if (!room) return { ok: false, status: 404, text: "Not Found" };
  const identity = registry.authenticate(tokenOf(parsed));
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
 *
 * The first connection of a document waits until its stored updates are loaded (`prepare`),
 * because the library sets the document up synchronously and does not wait for `bindState`; in a
 * cluster that load reads PostgreSQL, every server's updates.
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
  readonly #perToken: ConnectionCaps;
  readonly #perAddress: ConnectionCaps;
  /** Allowances per participant (not per connection: reconnecting does not refill them). */
  readonly #writers: { allowance: RateLimiter; tolerance: RateLimiter };
  readonly #readers: { allowance: RateLimiter; tolerance: RateLimiter };
  /** Per live document: which connection publishes each Yjs client id's cursor. */
  readonly #cursorOwners = new WeakMap<Y.Doc, Map<number, GuardedConnection>>();
  /** Live connections by holder (`<conference>/<participant>`), to close when their access changes. */
  readonly #byHolder = new Map<string, Set<GuardedConnection>>();
  readonly #unsubscribeAccess: () => void;
  readonly #unsubscribeEvents: () => void;
  readonly #unsubscribeUnloaded: () => void;
  /** Issue 18: the database the minutes live in, and the relay to the other servers (null: one server); null: files. */
  readonly #database: { pool: Pool; relay: MinutesRelay | null } | null;
  #closing = false;

  constructor(registry: ConferenceRegistry, options: MinutesServerOptions = {}) {
    this.#registry = registry;
    this.#policy = options.compaction ?? DEFAULT_COMPACTION;
    const limitStore = options.limitStore ?? localLimits();
    this.#perToken = limitStore.caps("minutes-token");
    this.#perAddress = limitStore.caps("minutes-address");
    this.#limits = {
      ...MINUTES_LIMITS,
      connectionsPerToken: LIMITS.connectionsPerToken,
      connectionsPerAddress: LIMITS.connectionsPerAddress,
      loadTimeoutMs: LOAD_TIMEOUT_MS,
      ...options.limits,
    };
    this.#database = options.cluster
      ? { pool: options.cluster.pool, relay: new MinutesRelay(options.cluster) }
      : options.database
        ? { pool: options.database, relay: null }
        : null;
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
    this.#unsubscribeUnloaded = registry.subscribeUnloaded((conferenceId) => this.#unload(conferenceId));
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
    // The registry loads a conference when it is first asked for (and unloads idle ones): the
    // token says which, before the request is routed.
    within(this.#registry.locate(tokenOf(new URL(req.url ?? "/", "http://localhost"))), this.#limits.loadTimeoutMs).then(
      () =>
        this.#route(req, socket, head).catch((error: Error) => {
          console.error("a minutes connection could not be set up:", error.message);
          if (!socket.destroyed) refuse(socket, { status: 503, text: "the minutes cannot be served now" });
        }),
      (error: Error) => {
        console.error("a minutes connection's token could not be looked up:", error.message);
        refuse(socket, { status: 503, text: "the conference cannot be loaded now" });
      },
    );
  }

  async #route(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Gone while its conference was looked up: nothing is counted, nothing will close.
    if (socket.destroyed) return;
    if (this.#closing) return refuse(socket, { status: 503, text: "Service Unavailable" });
    const route = routeUpgrade(req.url, this.#registry);
    if (!route.ok) return refuse(socket, route);
    // Caps a real hall never reaches (one NAT address for the whole Wi-Fi), counted until the
    // TCP socket is gone, whether the upgrade succeeds or not (over every server of a cluster).
    const address = this.#clientAddress(req);
    const holder = `${route.room.id}/${route.participantId}`;
    if (!(await this.#perAddress.tryOpen(address, this.#limits.connectionsPerAddress))) {
      return refuse(socket, { status: 429, text: "too many minutes connections from this address" });
    }
    if (!(await this.#perToken.tryOpen(holder, this.#limits.connectionsPerToken))) {
      this.#perAddress.close(address);
      return refuse(socket, { status: 429, text: "too many minutes connections for this token" });
    }
    const uncount = () => {
      this.#perAddress.close(address);
      this.#perToken.close(holder);
    };
    // Gone while it was being counted: its close has passed already.
    if (socket.destroyed) return uncount();
    socket.once("close", uncount);
    const from = { address, holder };
    if (!route.readable || docs.has(this.#docName(route.room.id))) return this.#upgrade(req, socket, head, route, from);
    this.storeOf(route.room)
      .prepare(this.#limits.loadTimeoutMs)
      .then(
        (release) => {
          if (socket.destroyed) return release();
          // Released once the document is set up, or once the socket is gone without it.
          socket.once("close", release);
          this.#upgrade(req, socket, head, route, from, release);
        },
        () => refuse(socket, { status: 503, text: "the minutes cannot be loaded now" }),
      );
  }

  /**
   * Upgrades to a websocket and sets up the minutes' connection (its document loaded, or not
   * needed); `setUp` is called once it is.
   */
  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, route: Route, from: { address: string; holder: string }, setUp = () => {}): void {
    if (this.#closing) return refuse(socket, { status: 503, text: "Service Unavailable" });
    const { address, holder } = from;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.#closing) return ws.terminate();
      this.#sockets.add(ws);
      ws.once("close", () => this.#sockets.delete(ws));
      if (!route.readable) {
        // The contract's refusal of a reader while the draft is not shared is a close code.
        ws.close(YjsCloseCode.notShared, "the draft minutes are not shared");
        return;
      }
      const docName = this.#docName(route.room.id);
      const store = this.storeOf(route.room);
      // The document setupWSConnection will use (created here if nobody has it open; its stored
      // updates were loaded beforehand).
      const doc = getYDoc(docName, true);
      let cursorOwners = this.#cursorOwners.get(doc);
      if (!cursorOwners) this.#cursorOwners.set(doc, (cursorOwners = new Map()));
      const room = route.room;
      const connection = new GuardedConnection(ws, { doc, store, cursorOwners }, {
        canWrite: route.canWrite,
        // Only a chair's or secretary's connection is told that their edit came too late. The
        // registry's view of the conference, which a takeover replaces at once.
        ...(writesMinutes(room.participant(route.participantId)?.role ?? "observer") && {
          locked: () => !minutesOpenForEdits((this.#registry.view(room.id) ?? room).published.minutes),
        }),
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
      // Not unloaded as idle while someone writes or reads its minutes.
      ws.once("close", this.#registry.use(room.id));
      setupWSConnection(connection as unknown as WebSocket, req, { docName, gc: true });
      setUp();
    });
  }

  /** An idle conference is unloaded: its minutes' store goes too (nobody has its document open). */
  #unload(conferenceId: string): void {
    const store = this.#stores.get(conferenceId);
    const name = this.#docName(conferenceId);
    if (!store || docs.has(name)) return;
    this.#stores.delete(conferenceId);
    storesByDocName.delete(name);
    store.close().catch((error: Error) => console.error(`minutes of ${conferenceId}: closing failed:`, error.message));
  }

  /** The store of a conference's minutes (kept while its conference is loaded here). */
  storeOf(room: ConferenceView): MinutesStore {
    let store = this.#stores.get(room.id);
    if (!store) {
      const database = this.#database;
      store = new MinutesStore(
        room.dir,
        this.#policy,
        database ? { storage: new PgMinutesStorage(database.pool, room.id), ...(database.relay && { peers: database.relay.peersOf(room.id) }) } : {},
      );
      this.#stores.set(room.id, store);
      storesByDocName.set(this.#docName(room.id), store);
    }
    return store;
  }

  /**
   * The minutes as one Yjs update: the live document's when someone has it open here (the
   * freshest), else what is stored (in a cluster, every server's). This is all the export asks
   * of the sync side.
   */
  async documentState(room: ConferenceView): Promise<Uint8Array> {
    const live = docs.get(this.#docName(room.id));
    return live ? Y.encodeStateAsUpdate(live) : this.storeOf(room).storedState();
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
    this.#unsubscribeUnloaded();
    const closed = [...this.#sockets].map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once("close", () => resolve());
      ws.terminate();
    }));
    await Promise.all(closed);
    await Promise.all([...this.#stores.values()].map((store) => store.close()));
    this.#database?.relay?.close();
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

/** The token an upgrade request carries (`?token=`). */
function tokenOf(url: URL): string | null {
  return url.searchParams.get("token");
}

function refuse(socket: Duplex, refusal: Refusal): void {
  const codes: Record<Refusal["status"], ErrorCode> = { 401: "unauthorized", 404: "not_found", 429: "rate_limited", 503: "unavailable" };
  refuseUpgrade(socket, codes[refusal.status], refusal.text);
}
