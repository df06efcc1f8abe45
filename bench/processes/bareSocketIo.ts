/**
 * Baseline for fan-out and memory: a bare Socket.IO server. A `command` is acked and answered
 * with an `event` of a given size to every connected socket, the least any broadcast can cost.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { serveClient: false });
let seq = 0;
io.on("connection", (socket) => {
  socket.on("command", (command: { size?: number }, ack?: (answer: unknown) => void) => {
    seq++;
    ack?.({ ok: true, seq });
    io.emit("event", { seq, type: "speakers.requested", data: { padding: "x".repeat(command.size ?? 200) }, serverTime: Date.now() });
  });
});
http.listen(0, "127.0.0.1", () => {
  process.on("message", (message: { type: string; id?: number }) => {
    if (message.type !== "stats") return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: "stats", id: message.id, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, writes: {} });
  });
  process.send!({ type: "ready", port: (http.address() as AddressInfo).port });
});

process.on("SIGTERM", () => process.exit(0));
