/**
 * A child process holding many Socket.IO clients, driven by its parent over IPC. Every event each
 * client receives is timed with a clock comparable across processes (`performance.timeOrigin +
 * performance.now()`), so the parent can compute send-to-receive latencies.
 */
import { performance } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";

type Message =
  | { type: "connect"; url: string; tokens: string[] }
  | { type: "await"; seq: number; id: number }
  | { type: "vote"; pollId: string; optionId: string; spreadMs: number; id: number }
  | { type: "count"; eventType: string; id: number }
  | { type: "close" };

const now = () => performance.timeOrigin + performance.now();
interface Client {
  socket: Socket;
  arrivals: Map<number, number>;
  types: Map<string, number>;
}
const clients: Client[] = [];
let waiters: (() => void)[] = [];
const notify = () => {
  const current = waiters;
  waiters = [];
  for (const waiter of current) waiter();
};
const until = (condition: () => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => (condition() ? resolve() : waiters.push(check));
    check();
  });

/** Clients that connect at once. */
const CONNECT_WAVE = 200;

process.on("message", async (message: Message) => {
  switch (message.type) {
    case "connect": {
      // In waves, as a hall's phones arrive over minutes, not in one instant: each connection is
      // sent a snapshot of the whole roster, and thousands at once only measure the handshake timeout.
      const connectOne = (token: string) =>
          new Promise<void>((resolve, reject) => {
            const socket = io(message.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
            const client: Client = { socket, arrivals: new Map(), types: new Map() };
            clients.push(client);
            socket.on("event", (event: { seq: number; type: string }) => {
              client.arrivals.set(event.seq, now());
              client.types.set(event.type, (client.types.get(event.type) ?? 0) + 1);
              notify();
            });
            // Our server greets with `state`; the bare baseline has nothing to send.
            socket.on("state", () => resolve());
            socket.on("connect", () => token === "" && resolve());
            socket.on("connect_error", reject);
          });
      for (let at = 0; at < message.tokens.length; at += CONNECT_WAVE) await Promise.all(message.tokens.slice(at, at + CONNECT_WAVE).map(connectOne));
      process.send!({ type: "connected" });
      break;
    }
    case "await": {
      await until(() => clients.every((c) => c.arrivals.has(message.seq)));
      process.send!({ type: "arrivals", id: message.id, times: clients.map((c) => c.arrivals.get(message.seq)!) });
      break;
    }
    case "vote": {
      const results = await Promise.all(
        clients.map(
          (client) =>
            new Promise<{ ok: boolean; latency: number }>((resolve) => {
              setTimeout(() => {
                const sentAt = now();
                client.socket
                  .timeout(30_000)
                  .emitWithAck("command", { type: "polls.vote", pollId: message.pollId, optionId: message.optionId })
                  .then((ack: { ok: boolean }) => resolve({ ok: ack.ok, latency: now() - sentAt }))
                  .catch(() => resolve({ ok: false, latency: now() - sentAt }));
              }, Math.random() * message.spreadMs);
            }),
        ),
      );
      process.send!({ type: "voted", id: message.id, results });
      break;
    }
    case "count":
      process.send!({
        type: "counted",
        id: message.id,
        counts: clients.map((c) => c.types.get(message.eventType) ?? 0),
      });
      break;
    case "close":
      for (const client of clients) client.socket.disconnect();
      process.exit(0);
  }
});
process.send!({ type: "ready" });
