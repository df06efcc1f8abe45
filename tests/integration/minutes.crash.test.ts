import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { addParticipant, createConference } from "../support/server.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const children = new Set<ChildProcess>();
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const fn of cleanup.splice(0)) await fn();
});

/** The real server in its own process (so it can be killed with SIGKILL); answers its URL. */
async function launch(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", SKIP_CLIENT_BUILD: "1", DEMO: "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        child.stdout!.off("data", onData);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  return { url, child };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function connect(url: string, conferenceId: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/yjs`, conferenceId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  cleanup.push(async () => {
    provider.destroy();
    doc.destroy();
  });
  await new Promise<void>((resolve) => provider.once("sync", () => resolve()));
  return { doc, provider, text: () => doc.getXmlFragment("minutes").toString() };
}

it("keeps every update another client has seen through a kill -9", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "giaoban-crash-"));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const first = await launch(dataDir);
  const conference = await createConference(first.url);
  const writerA = await addParticipant(first.url, conference, { name: "Thư ký A", role: "secretary" });
  const writerB = await addParticipant(first.url, conference, { name: "Thư ký B", role: "secretary" });
  const a = await connect(first.url, conference.id, writerA.token);
  const b = await connect(first.url, conference.id, writerB.token);

  const fragment = a.doc.getXmlFragment("minutes");
  for (let i = 0; i < 40; i++) {
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    text.insert(0, `Dòng ${i}`);
    paragraph.insert(0, [text]);
    fragment.insert(fragment.length, [paragraph]);
  }
  const deadline = Date.now() + 10_000;
  while (!b.text().includes("Dòng 39")) {
    if (Date.now() > deadline) throw new Error("the other secretary never saw the last line");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // The moment the other client has it, the process dies without a chance to store anything.
  await kill9(first.child);
  const seen = b.text();
  a.provider.disconnect();
  b.provider.disconnect();

  const second = await launch(dataDir);
  const c = await connect(second.url, conference.id, writerA.token);
  expect(c.text()).toBe(seen);
  expect(c.doc.getXmlFragment("minutes").length).toBe(40);
});
