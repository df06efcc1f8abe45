/** Baseline for the minutes: a plain @y/websocket-server with the stock connection handler. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";

const http = createServer();
const wss = new WebSocketServer({ noServer: true });
http.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    const docName = (request.url ?? "/").split("?")[0]!.split("/").pop()!;
    setupWSConnection(ws, request, { docName });
  });
});
http.listen(0, "127.0.0.1", () => {
  process.on("message", (message: { type: string; id?: number }) => {
    if (message.type === "stats") process.send!({ type: "stats", id: message.id, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, writes: {} });
  });
  process.send!({ type: "ready", port: (http.address() as AddressInfo).port });
});

process.on("SIGTERM", () => process.exit(0));
