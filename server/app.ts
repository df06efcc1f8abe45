import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import expressStaticGzip from "express-static-gzip";
import express from "express";
import { LIMITS } from "../shared/limits.ts";
import { ConferenceRegistry } from "./conferences/ConferenceRegistry.ts";
import { createApi } from "./http/api.ts";
import { clientAddressOf } from "./http/clientAddress.ts";
import { joinCodeRoutes } from "./http/joinCodes.ts";
import { localLimits } from "./http/limits.ts";
import { sendError } from "./http/errors.ts";
import { SECURITY_HEADERS } from "./http/securityHeaders.ts";
import type { TrustProxy } from "./http/trustProxy.ts";
import { refuseUpgrade } from "./http/upgrades.ts";
import { YJS_PATH_PREFIX } from "../shared/minutes.ts";
import { MinutesServer } from "./minutes/sync/MinutesServer.ts";
import { minutesRoutes } from "./minutes/export/routes.ts";
import { pgStores } from "./storage/conferenceStores.ts";
import { ClusterNode } from "./cluster/ClusterNode.ts";
import { ownerProxy, peerClientAddress } from "./cluster/proxy.ts";
import { createRealtime, type AppServer } from "./realtime/socketServer.ts";

export const CLIENT_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../client/dist");

export interface ServerOptions {
  dataDir: string;
  /**
   * PostgreSQL for everything a conference keeps (snapshots, logs, the index of tokens and join
   * codes, the minutes) instead of files in `dataDir`. Unset: files only.
   */
  databaseUrl?: string;
  /**
   * Redis, with `databaseUrl`: several servers serve the same conferences (issue 18). Servers with
   * the same `redisPrefix` (default "giaoban") form one cluster; `internalUrl` is where the others
   * reach this one over HTTP (default http://127.0.0.1:<port>).
   */
  redisUrl?: string;
  redisPrefix?: string;
  internalUrl?: string;
  adminToken?: string;
  publicUrl?: string;
  /** A conference nobody is connected to and nobody has asked for in this long is unloaded (default 10 minutes). */
  idleUnloadMs?: number;
  /** Express's `trust proxy` (see `parseTrustProxy`); default: trust no proxy. */
  trustProxy?: TrustProxy;
  /** Serve the built web client from client/dist (default: when it has been built). */
  serveClient?: boolean;
  /** Where the built client is (default `CLIENT_DIST`; tests use their own). */
  clientDir?: string;
  limits?: Partial<{
    createBurst: number;
    createPerSecond: number;
    joinFailureBurst: number;
    joinFailurePerSecond: number;
    conferenceJoinFailureBurst: number;
    conferenceJoinFailurePerSecond: number;
    commandBurst: number;
    commandsPerSecond: number;
    presenceIntervalMs: number;
    /** Time a connection has to send its request headers, or its Socket.IO handshake. */
    handshakeTimeoutMs: number;
    connectionsPerToken: number;
    connectionsPerAddress: number;
    socketSoftBufferBytes: number;
    socketHardBufferBytes: number;
  }>;
}

export interface GiaoBanServer {
  http: HttpServer;
  io: AppServer;
  registry: ConferenceRegistry;
  /** Listens on `port` (0: an ephemeral one) and answers the port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking connections and waits for every acked change to be stored. */
  close(): Promise<void>;
}

const DEFAULT_LIMITS = {
  createBurst: 10,
  createPerSecond: 10 / 60,
  joinFailureBurst: 20,
  joinFailurePerSecond: 20 / 60,
  // A whole hall mistyping still fits; a guesser gets ~100 tries a minute per conference, which
  // against 31^8 codes is hopeless (docs/protocol.md, "Join codes").
  conferenceJoinFailureBurst: 200,
  conferenceJoinFailurePerSecond: 100 / 60,
  commandBurst: 40,
  commandsPerSecond: 20,
  presenceIntervalMs: 500,
  handshakeTimeoutMs: 10_000,
  connectionsPerToken: LIMITS.connectionsPerToken,
  connectionsPerAddress: LIMITS.connectionsPerAddress,
  socketSoftBufferBytes: LIMITS.socketSoftBufferBytes,
  socketHardBufferBytes: LIMITS.socketHardBufferBytes,
};

/** Time to send a whole request. */
const REQUEST_TIMEOUT_MS = 60_000;
/** TCP connections the server holds at once (far above a congress; below the descriptor limit). */
const MAX_CONNECTIONS = 20_000;
const SOCKET_IO_PATH = "/socket.io/";
/** How long a conference with nobody connected stays in memory after it was last asked for. */
const IDLE_UNLOAD_MS = 10 * 60_000;

/**
 * The built client, as 500 phones on one hall Wi-Fi need it: the brotli or gzip copy the build made
 * beside each file (vite-plugin-compression2 in client/vite.config.ts), chosen by the browser's
 * Accept-Encoding (express-static-gzip); files under `assets/` carry a content hash in their name,
 * so they are cached for a year as immutable; anything else is revalidated.
 */
function serveClientFiles(dir: string) {
  return expressStaticGzip(dir, {
    enableBrotli: true,
    orderPreference: ["br", "gz"],
    index: false,
    serveStatic: {
      index: false,
      setHeaders(res, path) {
        const hashed = /[\\/]assets[\\/]/.test(path);
        res.setHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      },
    },
  });
}

/** Builds the whole server (REST, Socket.IO, static client) on one HTTP server, data loaded. */
export async function createGiaoBanServer(options: ServerOptions): Promise<GiaoBanServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  const trustProxy = options.trustProxy ?? false;
  app.set("trust proxy", trustProxy);
  const clientAddress = clientAddressOf(trustProxy);
  // Idle connections are checked every second (Node's default is 30 s) against the timeouts below.
  const http = createServer({ connectionsCheckingInterval: 1_000 }, app);
  // Nobody holds a connection open without finishing a request: every socket that has not
  // authenticated is bounded in time (Socket.IO's own handshake has `connectTimeout`).
  http.headersTimeout = limits.handshakeTimeoutMs;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  http.maxConnections = MAX_CONNECTIONS;
  // An upgrade nobody serves is answered and closed rather than left hanging.
  http.on("upgrade", (req, socket) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path.startsWith(SOCKET_IO_PATH) || path.startsWith(YJS_PATH_PREFIX)) return;
    refuseUpgrade(socket, "not_found", "no websocket is served here");
  });

  const clustered = options.databaseUrl !== undefined && options.redisUrl !== undefined;
  const serverId = clustered ? randomUUID() : undefined;
  const stores = options.databaseUrl ? await pgStores(options.databaseUrl, serverId) : undefined;
  const registry = new ConferenceRegistry(options.dataDir, stores, clustered);
  const node = clustered
    ? await ClusterNode.connect({ redisUrl: options.redisUrl!, pool: stores!.pool!, prefix: options.redisPrefix ?? "giaoban", serverId }, registry)
    : null;
  await registry.load();
  // Budgets and caps: this process's, or the cluster's in Redis (one budget over every server).
  const limitStore = node?.limits ?? localLimits();
  const realtime = createRealtime(http, registry, {
    ...limits,
    clientAddress,
    limits: limitStore,
    ...(node && { attach: (io: AppServer) => node.attach(io), presence: (send) => node.presence(send, limits.presenceIntervalMs) }),
  });
  const minutes = new MinutesServer(registry, {
    clientAddress,
    limits: { connectionsPerToken: limits.connectionsPerToken, connectionsPerAddress: limits.connectionsPerAddress },
    limitStore,
    ...(node
      ? { cluster: { pool: stores!.pool!, redis: node.redis, subscriber: () => node.redis.duplicate(), prefix: node.prefix } }
      : stores?.pool && { database: stores.pool }),
  });
  minutes.attach(http);

  /** Extension: the base of the links this server hands out, for the QR codes pages draw (null: the page's own). */
  app.get("/api/server", (_req, res) => {
    res.json({ publicUrl: options.publicUrl ?? null });
  });
  // Wrong join codes from one address count together, whether typed with the conference or alone.
  const joinFailureLimit = limitStore.budget("join-failures", limits.joinFailureBurst, limits.joinFailurePerSecond);
  const conferenceJoinFailureLimit = limitStore.budget("conference-join-failures", limits.conferenceJoinFailureBurst, limits.conferenceJoinFailurePerSecond);
  if (node) app.use(peerClientAddress(node));
  // A conference's REST calls load it if it is not here; another server's go there.
  app.use("/api/conferences/:id", async (req, res, next) => {
    try {
      await registry.open(String(req.params.id));
    } catch (error) {
      console.error(`conference ${String(req.params.id).slice(0, 40)} could not be opened:`, (error as Error).message);
      return sendError(res, "unavailable", "the conference cannot be loaded now; try again in a moment");
    }
    next();
  });
  if (node) app.use("/api/conferences/:id", ownerProxy(registry, node));
  const idleUnloadMs = options.idleUnloadMs ?? IDLE_UNLOAD_MS;
  const unloading = setInterval(() => {
    registry.unloadIdle(idleUnloadMs).catch((error: unknown) => console.error("unloading idle conferences:", (error as Error).message));
  }, Math.min(idleUnloadMs, 60_000));
  unloading.unref();
  app.use(
    "/api",
    createApi({
      registry,
      adminToken: options.adminToken,
      publicUrl: options.publicUrl,
      createLimit: limitStore.budget("creations", limits.createBurst, limits.createPerSecond),
      joinFailureLimit,
      conferenceJoinFailureLimit,
      extend: (router, helpers) => {
        minutesRoutes(minutes)(router, helpers);
        joinCodeRoutes(registry, joinFailureLimit, conferenceJoinFailureLimit)(router);
      },
    }),
  );

  const clientDir = options.clientDir ?? CLIENT_DIST;
  if (options.serveClient ?? existsSync(join(clientDir, "index.html"))) {
    app.use(serveClientFiles(clientDir));
    // Every other GET is a route of the single-page client.
    app.get("/{*path}", (_req, res) => {
      res.set("Cache-Control", "no-cache").sendFile(join(clientDir, "index.html"));
    });
  }

  return {
    http,
    io: realtime.io,
    registry,
    async listen(port, host) {
      const listening = await new Promise<number>((resolvePort, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => resolvePort((http.address() as AddressInfo).port));
      });
      // Once reachable: the cluster's conferences are taken or replicated, and the leases kept.
      await node?.start(options.internalUrl ?? `http://127.0.0.1:${listening}`);
      return listening;
    },
    async close() {
      clearInterval(unloading);
      realtime.stop();
      await minutes.close();
      await new Promise<void>((resolveClose) => {
        realtime.io.close(() => resolveClose());
      });
      await registry.settled();
      await node?.close();
      await stores?.close();
    },
  };
}
