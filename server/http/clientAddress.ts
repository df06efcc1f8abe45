import type { IncomingMessage } from "node:http";
import express from "express";
import proxyAddr from "proxy-addr";
import type { TrustProxy } from "./trustProxy.ts";

/** The address a request comes from, as Express's `req.ip` would say under the same setting. */
export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * One answer to "who is this" for every entry point (REST, Socket.IO handshakes, the minutes'
 * upgrades), so a limit per address counts the same person everywhere. Uses Express's own
 * compiled `trust proxy` function.
 */
export function clientAddressOf(trust: TrustProxy): ClientAddressOf {
  const trustFn = express().set("trust proxy", trust).get("trust proxy fn") as Parameters<typeof proxyAddr>[1];
  return (req) => {
    try {
      return proxyAddr(req, trustFn);
    } catch {
      return req.socket.remoteAddress ?? "";
    }
  };
}
