/**
 * The documented nginx configuration (docs/nginx.conf), run by Debian's nginx in front of a real
 * server: REST, the Socket.IO websocket and the minutes' websocket all pass through it. Without
 * nginx the test is skipped with the reason, except in CI, where that is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConference, shareMinutes, startServer, TestClient, type TestServer } from "../support/server.ts";
import { appendParagraph, connectMinutes } from "../support/minutesClient.ts";

const NGINX = "/usr/sbin/nginx";
const missing = spawnSync(NGINX, ["-v"]).error ? `${NGINX} is not installed (apt-get install nginx)` : null;
if (missing && process.env.CI) throw new Error(`nginx is needed in CI: ${missing}`);
if (missing) console.warn(`skipping the nginx test: ${missing}`);

/** A free port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe.skipIf(missing !== null)("through nginx, as docs/nginx.conf says", () => {
  let server: TestServer;
  let nginx: ChildProcess;
  let prefix: string;
  let url: string;

  beforeAll(async () => {
    server = await startServer({ trustProxy: 1 });
    const upstream = new URL(server.url).port;
    const port = await freePort();
    prefix = await mkdtemp(join(tmpdir(), "giaoban-nginx-"));
    const documented = await readFile(new URL("../../docs/nginx.conf", import.meta.url), "utf8");
    const config = documented.replace("server 127.0.0.1:3000;", `server 127.0.0.1:${upstream};`).replace("listen 80;", `listen 127.0.0.1:${port};`);
    expect(config).not.toBe(documented);
    await writeFile(join(prefix, "nginx.conf"), config);
    nginx = spawn(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log"), "-g", `daemon off; pid ${join(prefix, "nginx.pid")};`], { stdio: "ignore" });
    url = `http://127.0.0.1:${port}`;
    // Ready once it answers.
    for (let attempt = 0; ; attempt++) {
      const answered = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (answered) break;
      if (attempt > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${await readFile(join(prefix, "error.log"), "utf8").catch(() => "")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    nginx?.kill("SIGTERM");
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx.once("exit", resolve));
    await server?.dispose();
    if (prefix) await rm(prefix, { recursive: true, force: true });
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
