/**
 * A child process holding y-websocket clients. Readers publish no awareness; they record when
 * each writer's keystroke (a writer's Yjs clock value) first reaches them. Writers type one
 * character at a time into the "minutes" fragment and record when each keystroke was made.
 */
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

type Message =
  | { type: "readers"; serverUrl: string; room: string; tokens: string[] }
  | { type: "writers"; serverUrl: string; room: string; tokens: string[]; charsPerSecond: number; seconds: number; id: number }
  | { type: "arrivals"; id: number }
  | { type: "close" };

const now = () => performance.timeOrigin + performance.now();
// Every WebsocketProvider listens for the process's exit; hundreds of them are expected here.
process.setMaxListeners(0);
const providers: WebsocketProvider[] = [];
/** reader index → "client:clock" → arrival time */
const arrivals: Map<string, number>[] = [];

function connect(serverUrl: string, room: string, token: string, publishAwareness: boolean) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    connect: false,
    disableBc: true,
  });
  if (!publishAwareness) provider.awareness.setLocalState(null);
  provider.connect();
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once("sync", () => resolve()));
  return { doc, provider, synced };
}

process.on("message", async (message: Message) => {
  switch (message.type) {
    case "readers": {
      await Promise.all(
        message.tokens.map((token) => {
          const { doc, synced } = connect(message.serverUrl, message.room, token, false);
          const seen = new Map<string, number>();
          arrivals.push(seen);
          const clocks = new Map<number, number>();
          doc.on("update", () => {
            const at = now();
            for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
              for (let c = (clocks.get(client) ?? 0) + 1; c <= clock; c++) seen.set(`${client}:${c}`, at);
              clocks.set(client, clock);
            }
          });
          return synced;
        }),
      );
      process.send!({ type: "readersReady" });
      break;
    }
    case "writers": {
      const writers = message.tokens.map((token) => connect(message.serverUrl, message.room, token, true));
      await Promise.all(writers.map((w) => w.synced));
      writers.forEach((w, i) => w.provider.awareness.setLocalStateField("user", { name: `Thư ký ${i + 1}`, color: "#0b3d91" }));
      const sent: Record<string, number> = {};
      const keystrokes = message.charsPerSecond * message.seconds;
      await Promise.all(
        writers.map(async ({ doc }) => {
          const fragment = doc.getXmlFragment("minutes");
          const paragraph = new Y.XmlElement("paragraph");
          const text = new Y.XmlText();
          doc.transact(() => {
            paragraph.insert(0, [text]);
            fragment.push([paragraph]);
          });
          const start = now();
          for (let k = 0; k < keystrokes; k++) {
            const due = start + (k * 1000) / message.charsPerSecond;
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())));
            text.insert(text.length, String.fromCharCode(97 + (k % 26)));
            sent[`${doc.clientID}:${Y.getState(doc.store, doc.clientID)}`] = now();
          }
        }),
      );
      process.send!({ type: "typed", id: message.id, sent });
      break;
    }
    case "arrivals":
      process.send!({ type: "arrivals", id: message.id, arrivals: arrivals.map((m) => Object.fromEntries(m)) });
      break;
    case "close":
      for (const provider of providers) provider.destroy();
      process.exit(0);
  }
});
process.send!({ type: "ready" });
