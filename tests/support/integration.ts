import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { io as connect } from "socket.io-client";
import type { Ack } from "../../shared/socketEvents.ts";
import { api, TestClient, type ClientSocket, type Conference } from "./server.ts";

/** Runs `fn` over `items` with at most `limit` calls under way at once; answers results in order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface Joined {
  id: string;
  token: string;
  name: string;
  organisation?: string;
}

/** Joins `count` delegates with the join code, `concurrency` requests at a time. */
export async function joinMany(
  url: string,
  conference: Conference,
  count: number,
  options: { concurrency?: number; organisationOf?: (i: number) => string | undefined; prefix?: string } = {},
): Promise<Joined[]> {
  const indices = Array.from({ length: count }, (_, i) => i);
  return pool(indices, options.concurrency ?? 20, async (i) => {
    const name = `${options.prefix ?? "Đại biểu"} ${i}`;
    const organisation = options.organisationOf?.(i);
    const { status, body } = await api(url, `/api/conferences/${conference.id}/join`, {
      body: { joinCode: conference.joinCode, name, attendance: "online", ...(organisation ? { organisation } : {}) },
    });
    if (status !== 201) throw new Error(`join failed: ${status} ${JSON.stringify(body)}`);
    return { id: body.id, token: body.token, name, organisation };
  });
}

/** Connects one client per token, `concurrency` at a time. */
export function connectMany(url: string, tokens: string[], concurrency = 25): Promise<TestClient[]> {
  return pool(tokens, concurrency, (token) => TestClient.connect(url, token));
}

/** Every message a socket received, in order: `state`, `event`, `presence`, and the acks we noted. */
export interface Recorded {
  name: string;
  payload: unknown;
}

/** Records every incoming message of a client, and wraps `command` so acks are recorded too. */
export function record(client: TestClient): { messages: Recorded[]; command(c: Record<string, unknown>): Promise<Ack> } {
  const messages: Recorded[] = [];
  if (client.snapshot) messages.push({ name: "state", payload: client.snapshot });
  client.socket.onAny((name: string, ...args: unknown[]) => messages.push({ name, payload: args[0] }));
  return {
    messages,
    async command(c) {
      const ack = await client.command(c);
      messages.push({ name: "ack", payload: ack });
      return ack;
    },
  };
}

/** Resolves with the connect_error message (or "connected" if the server let the socket in). */
export function connectOutcome(url: string, auth: Record<string, unknown> | undefined): Promise<string> {
  const socket: ClientSocket = connect(url, { auth, transports: ["websocket"], forceNew: true, reconnection: false });
  return new Promise((resolve) => {
    socket.on("connect_error", (error) => {
      socket.disconnect();
      resolve(error.message);
    });
    socket.on("connect", () => {
      socket.disconnect();
      resolve("connected");
    });
  });
}

/** Every regular file under `dir`, with its text. */
export async function readAllFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await readAllFiles(path)));
    else if (entry.isFile()) out.push({ path, text: await readFile(path, "utf8") });
  }
  return out;
}

/** Visits every object inside a JSON-like value. */
export function walk(value: unknown, visit: (node: Record<string, unknown>, path: string) => void, path = "$"): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (value && typeof value === "object") {
    visit(value as Record<string, unknown>, path);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
  }
}

/** Like `walk`, also naming the poll each object belongs to (the nearest enclosing poll or event about one). */
export function walkInPoll(
  value: unknown,
  visit: (node: Record<string, unknown>, path: string, poll: string | undefined) => void,
  path = "$",
  poll: string | undefined = undefined,
): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkInPoll(v, visit, `${path}[${i}]`, poll));
  else if (value && typeof value === "object") {
    const node = value as Record<string, unknown>;
    const own = typeof node.pollId === "string" ? node.pollId : typeof node.question === "string" ? (node.id as string) : poll;
    visit(node, path, own);
    for (const [k, v] of Object.entries(node)) walkInPoll(v, visit, `${path}.${k}`, own);
  }
}

