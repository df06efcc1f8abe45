/**
 * The minutes' websocket spoken by hand, for the fault tests: raw y-websocket messages (lib0
 * encoding), a raw socket that keeps what it receives, and measurements of the server process.
 */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterEach } from "vitest";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import WebSocket from "ws";
import * as Y from "yjs";
import { encodeAwarenessMessage, type AwarenessEntry } from "../../server/minutes/sync/messages.ts";
import { makeDataDir } from "../support/server.ts";
import { spawnServer, type ChildServer } from "../support/spawnServer.ts";

/** y-websocket's sync message with a sync step 1 (a state vector: empty asks for everything). */
export function syncStep1(stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** y-websocket's sync message carrying one update. */
export function syncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message; `state` is JSON text as sent (so it can be anything, valid or not). */
export const awarenessMessage: (entries: readonly AwarenessEntry[]) => Uint8Array = encodeAwarenessMessage;

/** The sync submessage type of a message from the server, or null for anything else. */
export function syncTypeOf(message: Uint8Array): number | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0) return null;
  return decoding.readVarUint(decoder);
}

export interface RawMinutes {
  ws: WebSocket;
  /** Every binary message received, in order. */
  received: Uint8Array[];
  /** Bytes received so far. */
  receivedBytes(): number;
  /** Resolves with the close code once the socket is closed (by either side). */
  closed: Promise<number>;
  /** Resolves when `condition` holds, checked after every message received. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  send(message: Uint8Array): void;
}

/** A raw websocket on `/yjs/<conferenceId>?token=…`, open (or the upgrade's refusal thrown). */
export function openRaw(url: string, conferenceId: string, token: string): Promise<RawMinutes> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/yjs/${conferenceId}?token=${token}`);
  const received: Uint8Array[] = [];
  let bytes = 0;
  const checks = new Set<() => void>();
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  ws.on("message", (data: Buffer) => {
    received.push(new Uint8Array(data));
    bytes += data.length;
    for (const check of [...checks]) check();
  });
  ws.on("close", () => {
    for (const check of [...checks]) check();
  });
  ws.on("error", () => undefined);
  const raw: RawMinutes = {
    ws,
    received,
    receivedBytes: () => bytes,
    closed,
    until(condition, what, timeoutMs = 20_000) {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          checks.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        const check = () => {
          if (!condition()) return;
          clearTimeout(timer);
          checks.delete(check);
          resolve();
        };
        checks.add(check);
      });
    },
    send(message) {
      if (ws.readyState === WebSocket.OPEN) ws.send(message);
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(raw));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

/** The status and body with which the server answers an upgrade (101 when it accepts it). */
export function upgradeAnswer(url: string, path: string): Promise<{ status: number; body: unknown; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}`);
    ws.on("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk));
      res.on("end", () => {
        ws.terminate();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.on("open", () => resolve({ status: 101, body: null, ws }));
    ws.on("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Resident memory of a process (Linux), in bytes. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib * 1024;
}

/** Samples a process's RSS every few ms until stopped; answers the highest seen. */
export function watchRss(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      /* the process is gone: the test will say so */
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Asks `GET /api/health` again and again, one request at a time, until `done()`; answers each
 * request's time. A stalled server fails the request (10 s) rather than hanging the test.
 */
export async function probeHealth(url: string, done: () => boolean): Promise<number[]> {
  const times: number[] = [];
  do {
    const start = performance.now();
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    await response.text();
    if (response.status !== 200) throw new Error(`health answered ${response.status}`);
    times.push(performance.now() - start);
  } while (!done());
  return times;
}

/** `count` one-character updates from one Yjs client, as TipTap sends a keystroke each. */
export function keystrokes(count: number, text = (i: number) => String.fromCharCode(97 + (i % 26))): { updates: Uint8Array[]; typed: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment("minutes");
  const paragraph = new Y.XmlElement("paragraph");
  const content = new Y.XmlText();
  paragraph.insert(0, [content]);
  fragment.insert(0, [paragraph]);
  let typed = "";
  for (let i = 0; i < count; i++) {
    const char = text(i);
    content.insert(typed.length, char);
    typed += char;
  }
  return { updates, typed };
}

/** Undo steps run after each test, last first; call once at the top of a test file. */
export function cleanupAfterEach(): (undo: () => unknown) => void {
  const steps: (() => unknown)[] = [];
  afterEach(async () => {
    for (const undo of steps.splice(0).reverse()) await undo();
  });
  return (undo) => void steps.push(undo);
}

/** A server in its own process on a fresh data directory, both gone after the test. */
export async function spawnFresh(cleanup: (undo: () => unknown) => void): Promise<ChildServer> {
  const dataDir = await makeDataDir();
  cleanup(() => rm(dataDir, { recursive: true, force: true }));
  const server = await spawnServer(dataDir);
  cleanup(() => server.kill9());
  return server;
}
