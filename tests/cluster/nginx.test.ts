/**
 * The documented nginx configuration (docs/nginx.conf), run by Debian's nginx in front of a real
 * server: REST, the Socket.IO websocket and the minutes' websocket all pass through it. Without
 * nginx the test is skipped with the reason, except in CI, where that is a failure.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { addParticipant, createConference, shareMinutes, startServer, TestClient, type TestServer } from "../support/server.ts";
import { startCluster, untilAnswered, type Cluster } from "../support/cluster.ts";
import { postgresUnreachable } from "../support/postgres.ts";
import { redisUnreachable } from "../support/redis.ts";
import { freePort } from "../support/ports.ts";
import { appendParagraph, connectMinutes } from "../support/minutesClient.ts";

const NGINX = "/usr/sbin/nginx";
const missing = spawnSync(NGINX, ["-v"]).error ? `${NGINX} is not installed (apt-get install nginx)` : null;
if (missing && process.env.CI) throw new Error(`nginx is needed in CI: ${missing}`);
if (missing) console.warn(`skipping the nginx test: ${missing}`);

/** nginx running docs/nginx.conf with only its upstream servers and its address changed. */
async function startNginx(upstreams: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const prefix = await mkdtemp(join(tmpdir(), "giaoban-nginx-"));
  const documented = await readFile(new URL("../../docs/nginx.conf", import.meta.url), "utf8");
  const servers = upstreams.map((u) => `server 127.0.0.1:${new URL(u).port};`).join("\n    ");
  const config = documented.replace("server 127.0.0.1:3000;", servers).replace("listen 80;", `listen 127.0.0.1:${port};`);
  expect(config).not.toBe(documented);
  await writeFile(join(prefix, "nginx.conf"), config);
  const nginx = spawn(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log"), "-g", `daemon off; pid ${join(prefix, "nginx.pid")};`], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  // Ready once it answers.
  for (let attempt = 0; ; attempt++) {
    const answered = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (answered) break;
    if (attempt > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${await readFile(join(prefix, "error.log"), "utf8").catch(() => "")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async stop() {
      nginx.kill("SIGTERM");
      if (nginx.exitCode === null) await new Promise((resolve) => nginx.once("exit", resolve));
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

describe.skipIf(missing !== null)("through nginx, as docs/nginx.conf says", () => {
  let server: TestServer;
  let nginx: Awaited<ReturnType<typeof startNginx>>;
  let url: string;

  beforeAll(async () => {
    server = await startServer({ trustProxy: 1 });
    nginx = await startNginx([server.url]);
    url = nginx.url;
  });

  afterAll(async () => {
    await nginx?.stop();
    await server?.dispose();
  });

  it("carries REST, Socket.IO over a websocket, and the minutes' websocket", async () => {
    const conference = await createConference(url);
    const chair = await TestClient.connect(url, conference.chairToken);
    try {
      expect(chair.socket.io.engine.transport.name).toBe("websocket");
      const ack = await chair.must({ type: "agenda.add", title: "Qua nginx" });
      await chair.waitForSeq(ack.seq);
      expect(chair.events.find((e) => e.seq === ack.seq)?.type).toBe("agenda.item_added");
      await shareMinutes(url, conference);
      const writer = await connectMinutes(url, conference.id, conference.chairToken);
      // A reader straight on the server: what is typed through nginx reaches it.
      const reader = await connectMinutes(server.url, conference.id, conference.chairToken, { reader: true });
      try {
        appendParagraph(writer.doc, "Biên bản qua nginx");
        await reader.until(() => reader.plainText().includes("Biên bản qua nginx"));
      } finally {
        writer.close();
        reader.close();
      }
    } finally {
      chair.close();
    }
  });
});

describe.skipIf(missing !== null || postgresUnreachable !== null || redisUnreachable !== null)("a cluster of three behind nginx", () => {
  let cluster: Cluster;
  let nginx: Awaited<ReturnType<typeof startNginx>>;

  beforeAll(async () => {
    cluster = await startCluster(3);
    nginx = await startNginx(cluster.servers.map((s) => s.url));
  });

  afterAll(async () => {
    await nginx?.stop();
    await cluster?.dispose();
  });

  it("spreads one conference's clients over the servers: same events in consecutive seq, each command acked once, and a dead server's clients served by the others", { timeout: 60_000 }, async () => {
    const conference = await createConference(nginx.url);
    const tokens = [conference.chairToken];
    for (let i = 0; i < 5; i++) tokens.push((await addParticipant(nginx.url, conference, { name: `Đại biểu ${i + 1}`, role: "delegate" })).token);
    const clients = await Promise.all(tokens.map((token) => TestClient.connect(nginx.url, token)));
    try {
      const [chair] = clients as [TestClient];
      const acks = await Promise.all(["Một", "Hai", "Ba", "Bốn"].map((title) => chair.must({ type: "agenda.add", title })));
      const requests = await Promise.all(clients.slice(1).map((c) => c.must({ type: "speakers.request", kind: "speech" })));
      const seqs = [...acks, ...requests].map((a) => a.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const last = Math.max(...seqs);
      await Promise.all(clients.map((c) => c.waitForSeq(last)));
      for (const client of clients) {
        const after = client.events.map((e) => e.seq).filter((s) => s > client.snapshot!.seq);
        expect(after).toEqual(after.map((_, i) => client.snapshot!.seq + i + 1));
      }
      const synced = await Promise.all(clients.map((c) => c.sync()));
      const queues = synced.map((s) => (s.ok ? s.state.speakers.queue.map((r) => r.requestId) : null));
      for (const queue of queues) expect(queue).toEqual(queues[0]);

      // Minutes typed through nginx by two writers (on two servers, round robin) converge.
      await shareMinutes(nginx.url, conference);
      const secretary = await addParticipant(nginx.url, conference, { name: "Thư ký", role: "secretary" });
      const writers = [await connectMinutes(nginx.url, conference.id, conference.chairToken), await connectMinutes(nginx.url, conference.id, secretary.token)];
      try {
        writers.forEach((writer, w) => appendParagraph(writer.doc, `Người viết ${w + 1}`));
        await Promise.all(writers.map((writer) => writer.until(() => writer.plainText().includes("Người viết 1") && writer.plainText().includes("Người viết 2"))));
        expect(writers[0]!.plainText()).toBe(writers[1]!.plainText());
      } finally {
        for (const writer of writers) writer.close();
      }

      // One server dies: nginx sends new connections to the others, and the meeting goes on.
      await cluster.servers[0]!.kill9();
      const again = await untilAnswered(15_000, () => TestClient.connect(nginx.url, conference.chairToken).then((c) => c, () => null), (c) => c !== null);
      clients.push(again!);
      // Sent again with the same id until the conference's new owner answers it.
      const commandId = randomUUID();
      const moved = await untilAnswered(15_000, () => again!.command({ type: "agenda.add", title: "Năm", commandId }), (ack) => ack.ok);
      expect(moved.ok).toBe(true);
    } finally {
      for (const client of clients) client.close();
    }
  });
});
