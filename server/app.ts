import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { ConferenceRegistry } from "./conferences/ConferenceRegistry.ts";
import { createApi } from "./http/api.ts";
import { RateLimiter } from "./http/rateLimit.ts";
import { MinutesServer } from "./minutes/MinutesServer.ts";
import { minutesRoutes } from "./minutes/routes.ts";
import { createRealtime, type AppServer } from "./realtime/socketServer.ts";

export const CLIENT_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../client/dist");

export interface ServerOptions {
  dataDir: string;
  adminToken?: string;
  publicUrl?: string;
  /** Serve the built web client from client/dist (default: when it has been built). */
  serveClient?: boolean;
  limits?: Partial<{
    createBurst: number;
    createPerSecond: number;
    joinFailureBurst: number;
    joinFailurePerSecond: number;
    commandBurst: number;
    commandsPerSecond: number;
    presenceIntervalMs: number;
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
  commandBurst: 40,
  commandsPerSecond: 20,
  presenceIntervalMs: 500,
};

/** Builds the whole server (REST, Socket.IO, static client) on one HTTP server, data loaded. */
export async function createGiaoBanServer(options: ServerOptions): Promise<GiaoBanServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    // Only our own scripts run; names and titles are data, never markup.
    res.set({
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
        "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    next();
  });
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  const http = createServer(app);

  let broadcast: ReturnType<typeof createRealtime>["broadcast"] = () => undefined;
  const registry = new ConferenceRegistry(options.dataDir, (room, events) => broadcast(room, events));
  await registry.load();
  const realtime = createRealtime(http, registry, limits);
  broadcast = realtime.broadcast;
  const minutes = new MinutesServer(registry);
  minutes.attach(http);

  app.use(
    "/api",
    createApi({
      registry,
      adminToken: options.adminToken,
      publicUrl: options.publicUrl,
      createLimit: new RateLimiter(limits.createBurst, limits.createPerSecond),
      joinFailureLimit: new RateLimiter(limits.joinFailureBurst, limits.joinFailurePerSecond),
      extend: minutesRoutes(minutes),
    }),
  );

  if (options.serveClient ?? existsSync(join(CLIENT_DIST, "index.html"))) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: "1h" }));
    // Every other GET is a route of the single-page client.
    app.get("/{*path}", (_req, res) => {
      res.set("Cache-Control", "no-cache").sendFile(join(CLIENT_DIST, "index.html"));
    });
  }

  return {
    http,
    io: realtime.io,
    registry,
    listen(port, host) {
      return new Promise((resolvePort, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => resolvePort((http.address() as AddressInfo).port));
      });
    },
    async close() {
      realtime.presence.stop();
      await minutes.close();
      await new Promise<void>((resolveClose) => {
        realtime.io.close(() => resolveClose());
      });
      await registry.settled();
    },
  };
}
