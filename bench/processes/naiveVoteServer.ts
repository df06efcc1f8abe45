/**
 * Baseline for the vote burst: a naive server that, for every single vote, rewrites and fsyncs
 * its whole JSON file, acks, and broadcasts the new turnout to everyone.
 */
import { open, rename } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Server } from "socket.io";

const file = join(process.env.DATA_DIR!, "votes.json");
const http = createServer();
const io = new Server(http, { serveClient: false });
const votes: { voter: string; optionId: string }[] = [];
let writes = 0;
let seq = 0;
let queue = Promise.resolve();

async function store() {
  const handle = await open(`${file}.tmp`, "w");
  await handle.writeFile(JSON.stringify({ votes }));
  await handle.sync();
  await handle.close();
  await rename(`${file}.tmp`, file);
  writes++;
}

io.on("connection", (socket) => {
  socket.on("command", (command: { type: string; optionId?: string }, ack?: (answer: unknown) => void) => {
    queue = queue.then(async () => {
      if (command.type === "polls.vote") {
        votes.push({ voter: socket.id, optionId: command.optionId ?? "yes" });
        await store();
        seq++;
        ack?.({ ok: true, seq });
        io.emit("event", { seq, type: "poll.votes_cast", data: { votesCast: votes.length }, serverTime: Date.now() });
      } else if (command.type === "polls.close") {
        seq++;
        ack?.({ ok: true, seq });
        const tally = { yes: votes.filter((v) => v.optionId === "yes").length };
        io.emit("event", { seq, type: "poll.closed", data: { tally }, serverTime: Date.now() });
      }
    });
  });
});
http.listen(0, "127.0.0.1", () => {
  process.on("message", (message: { type: string; id?: number }) => {
    if (message.type === "stats") process.send!({ type: "stats", id: message.id, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, writes: { naive: writes } });
  });
  process.send!({ type: "ready", port: (http.address() as AddressInfo).port });
});

process.on("SIGTERM", () => process.exit(0));
