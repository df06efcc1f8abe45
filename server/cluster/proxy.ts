import { request } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import { sendError } from "../http/errors.ts";
import type { ClusterNode } from "./ClusterNode.ts";

/** Headers that belong to one hop (RFC 9110), not passed on. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

/**
 * REST calls about a conference another server owns (`/api/conferences/:id/…`) are passed on to
 * that server as they came, body streamed, so every route has one implementation: the owner's.
 * A conference neither owned nor replicated here goes on to the routes (which answer not_found).
 */
export function ownerProxy(registry: ConferenceRegistry, node: ClusterNode) {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = String(req.params.id);
    if (registry.get(id) || !registry.view(id)) return next();
    const owner = node.ownerOf(id);
    if (!owner) return sendError(res, "unavailable", "the conference is changing servers; try again in a few seconds");
    node.urlOf(owner).then(
      (base) => (base ? pass(base, req, res, node.peerSecret) : sendError(res, "unavailable", "the conference's server cannot be reached")),
      () => sendError(res, "unavailable", "the conference's server cannot be reached"),
    );
  };
}

/** The headers by which a server of the cluster says whose REST call it passes on. */
export const PEER_HEADER = "x-giaoban-peer";
export const CLIENT_HEADER = "x-giaoban-client";

/**
 * Takes the client's address from a call another server of the cluster passed on (and only from
 * such a call), so that limits per address count the client, not the server in between.
 */
export function peerClientAddress(node: ClusterNode) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const peer = req.headers[PEER_HEADER];
    const client = req.headers[CLIENT_HEADER];
    delete req.headers[PEER_HEADER];
    delete req.headers[CLIENT_HEADER];
    if (peer === node.peerSecret && typeof client === "string") Object.defineProperty(req, "ip", { value: client, configurable: true });
    next();
  };
}

function pass(base: string, req: Request, res: Response, secret: string): void {
  const target = new URL(req.originalUrl, base);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  const forwarded = [req.headers["x-forwarded-for"], req.socket.remoteAddress].flat().filter(Boolean).join(", ");
  headers["x-forwarded-for"] = forwarded;
  headers[PEER_HEADER] = secret;
  headers[CLIENT_HEADER] = req.ip ?? "";
  const upstream = request(target, { method: req.method, headers }, (answer) => {
    const passed: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) passed[name] = value;
    res.writeHead(answer.statusCode ?? 502, passed);
    answer.pipe(res);
  });
  upstream.on("error", () => {
    if (!res.headersSent) sendError(res, "unavailable", "the conference's server cannot be reached");
    else res.destroy();
  });
  req.pipe(upstream);
}
