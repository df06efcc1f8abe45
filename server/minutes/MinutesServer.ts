import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { docs, setPersistence, setupWSConnection, type WSSharedDoc } from "@y/websocket-server/utils";
import { WebSocket, WebSocketServer } from "ws";
import * as Y from "yjs";
import type { ErrorCode } from "../../shared/errors.ts";
import { writesMinutes } from "../../shared/roles.ts";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import type { ConferenceRoom } from "../conferences/ConferenceRoom.ts";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { GuardedConnection } from "./GuardedConnection.ts";
import type { PmNode } from "./proseMirror.ts";
import { DEFAULT_COMPACTION, MinutesStore, type CompactionPolicy } from "./MinutesStore.ts";

/** Where the minutes' websocket lives: `/yjs/<conferenceId>?token=…`. */
export const YJS_PATH_PREFIX = "/yjs/";
/** The contract's name of the minutes' XML fragment. */
export const MINUTES_FIELD = "minutes";
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

export interface MinutesServerOptions {
  compaction?: CompactionPolicy;
}

type Refusal = { status: 401 | 404 | 503; text: string };

/** Where an upgrade request for the minutes goes, or why it is refused. Pure apart from the lookups. */
export function routeUpgrade(
  url: string | undefined,
  registry: Pick<ConferenceRegistry, "get" | "authenticate">,
): { ok: true; room: ConferenceRoom; canWrite: boolean; participantId: string } | ({ ok: false } & Refusal) {
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
  return { ok: true, room, canWrite: writesMinutes(identity.participant.role), participantId: identity.participant.id };
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
  #closing = false;

  constructor(registry: ConferenceRegistry, options: MinutesServerOptions = {}) {
    this.#registry = registry;
    this.#policy = options.compaction ?? DEFAULT_COMPACTION;
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
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.#closing) return ws.terminate();
      this.#sockets.add(ws);
      ws.once("close", () => this.#sockets.delete(ws));
      const store = this.storeOf(route.room);
      const connection = new GuardedConnection(ws, route.canWrite, (deliver) => store.afterDurable(deliver));
      setupWSConnection(connection as unknown as WebSocket, req, { docName: this.#docName(route.room.id), gc: true });
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

  /** The minutes as ProseMirror JSON: from the live document if someone has it open, else from disk. */
  proseMirrorJSON(room: ConferenceRoom): PmNode {
    const live = docs.get(this.#docName(room.id));
    if (live) return yXmlFragmentToProsemirrorJSON(live.getXmlFragment(MINUTES_FIELD)) as PmNode;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, this.storeOf(room).readState());
      return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(MINUTES_FIELD)) as PmNode;
    } finally {
      doc.destroy();
    }
  }

  /** Connections open now (for tests). */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Closes every minutes socket and waits until every store is on disk and closed. */
  async close(): Promise<void> {
    this.#closing = true;
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
  const code: ErrorCode = refusal.status === 401 ? "unauthorized" : refusal.status === 404 ? "not_found" : "unavailable";
  const body = JSON.stringify({ error: { code, message: refusal.text } });
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.text}\r\n` +
      "Connection: close\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
