import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { io } from "socket.io-client";
import { alternate, Child, json, round, split, summary, tempDir } from "./lib.ts";
import { row } from "./scenarios.ts";

/** CPU seconds (user + system) a process has used so far, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function shareMinutes(url: string, chairToken: string): Promise<void> {
  const chair = io(url, { auth: { token: chairToken }, transports: ["websocket"], forceNew: true, reconnection: false });
  try {
    await new Promise((resolve, reject) => {
      chair.once("state", resolve);
      chair.once("connect_error", reject);
    });
    const ack = await chair.timeout(30_000).emitWithAck("command", { type: "minutes.share", shared: true });
    if (!ack.ok) throw new Error(`minutes.share: ${JSON.stringify(ack.error)}`);
  } finally {
    chair.disconnect();
  }
}

/** 3. Minutes: 3 secretaries type 10 characters a second for 30 s while 300 readers follow. */
export async function minutes(readers = Number(process.env.BENCH_READERS ?? 300), seconds = Number(process.env.BENCH_TYPING_SECONDS ?? 30)) {
  const measure = async (script: string, ours: boolean) => {
    const dir = await tempDir();
    const { child: server, ready } = await Child.start(script, { DATA_DIR: dir.path });
    const url = `http://127.0.0.1:${ready.port}`;
    const workers = await Promise.all([0, 1].map(() => Child.start("processes/yjsClients.ts").then((w) => w.child)));
    const writerProcess = (await Child.start("processes/yjsClients.ts")).child;
    try {
      let room = "bench-minutes";
      let readerTokens = Array.from({ length: readers }, () => "");
      let writerTokens = ["", "", ""];
      if (ours) {
        const conference = await json(url, "/api/conferences", { title: "Benchmark" });
        room = conference.id;
        const add = (role: string, i: number) =>
          json(url, `/api/conferences/${room}/participants`, { name: `${role} ${i}`, role }, conference.chairToken).then((p) => p.token as string);
        writerTokens = await Promise.all([0, 1, 2].map((i) => add("secretary", i)));
        // Readers may read a draft once the chair has shared it (issue 15; unshared they are refused with 4403).
        await shareMinutes(url, conference.chairToken);
        readerTokens = [];
        for (let i = 0; i < readers; i += 50) {
          readerTokens.push(...(await Promise.all(Array.from({ length: Math.min(50, readers - i) }, (_, j) => add("delegate", i + j)))));
        }
      }
      const serverUrl = `${url.replace("http", "ws")}/yjs`;
      await Promise.all(split(readerTokens, workers.length).map((tokens, i) => {
        const readersReady = workers[i]!.next("readersReady");
        workers[i]!.send({ type: "readers", serverUrl, room, tokens });
        return readersReady;
      }));
      const cpuBefore = await cpuSeconds(server.process.pid!);
      const started = Date.now();
      const typed = await writerProcess.ask({ type: "writers", serverUrl, room, tokens: writerTokens, charsPerSecond: 10, seconds }, "typed");
      // Let the last keystrokes arrive everywhere before collecting.
      const sent = typed.sent as Record<string, number>;
      const keys = Object.keys(sent);
      let all: Record<string, number>[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        all = (await Promise.all(workers.map((w) => w.ask({ type: "arrivals" }, "arrivals")))).flatMap((r) => r.arrivals);
        if (all.every((a) => keys.every((k) => k in a))) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const cpu = (await cpuSeconds(server.process.pid!)) - cpuBefore;
      const elapsed = (Date.now() - started) / 1000;
      const latencies: number[] = [];
      let missing = 0;
      for (const reader of all) {
        for (const key of keys) {
          if (key in reader) latencies.push(reader[key]! - sent[key]!);
          else missing++;
        }
      }
      return { ...summary(latencies), missing, cpuPercent: round((100 * cpu) / elapsed) };
    } finally {
      for (const worker of [...workers, writerProcess]) await worker.stop();
      await server.stop();
      await dir.remove();
    }
  };
  const runs = await alternate(() => measure("processes/giaoBanServer.ts", true), () => measure("processes/plainYjsServer.ts", false));
  const of = (pick: (r: Awaited<ReturnType<typeof measure>>) => number) => [runs.ours.map(pick), runs.baseline.map(pick)] as const;
  return {
    raw: runs,
    rows: [
      row("minutes keystroke → every reader p50", "ms", ...of((r) => r.p50)),
      row("minutes keystroke → every reader p99", "ms", ...of((r) => r.p99), "≤ baseline"),
      row("minutes keystrokes never delivered", "count", ...of((r) => r.missing), "0"),
      row("minutes server CPU", "%", ...of((r) => r.cpuPercent)),
    ],
  };
}

/** 5. Sizes: the JavaScript the delegate and projector pages load, gzipped; the editor must not be in it (one run: sizes do not vary). */
export async function sizes() {
  const { build } = await import("vite");
  await build({ configFile: new URL("../client/vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
  const dir = await tempDir();
  const { child: server, ready } = await Child.start("processes/giaoBanServer.ts", { DATA_DIR: dir.path, SERVE_CLIENT: "1" });
  const url = `http://127.0.0.1:${ready.port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const conference = await json(url, "/api/conferences", { title: "Benchmark" });
    const delegate = await json(url, `/api/conferences/${conference.id}/join`, { joinCode: conference.joinCode, name: "Đại biểu", attendance: "hall" });
    const projector = await json(url, `/api/conferences/${conference.id}/participants`, { name: "Màn hình", role: "projector" }, conference.chairToken);
    const measurePage = async (pageUrl: string) => {
      const page = await browser.newPage();
      const scripts: { url: string; gzip: number; editor: boolean }[] = [];
      page.on("response", async (response) => {
        if (response.request().resourceType() !== "script") return;
        const body = await response.body();
        scripts.push({ url: response.url(), gzip: gzipSync(body).length, editor: /prosemirror|tiptap/i.test(body.toString("utf8")) });
      });
      await page.goto(pageUrl, { waitUntil: "networkidle" });
      await page.close();
      return { kb: round(scripts.reduce((a, s) => a + s.gzip, 0) / 1024), editor: scripts.some((s) => s.editor), scripts };
    };
    const delegatePage = await measurePage(delegate.url);
    const projectorPage = await measurePage(projector.url);
    // The lazily loaded minutes chunks, as built: readers load the viewer, writers the editor.
    const assets = new URL("../client/dist/assets/", import.meta.url).pathname;
    const chunkKb = async (prefix: string) => {
      const names = (await readdir(assets)).filter((n) => n.startsWith(prefix) && n.endsWith(".js"));
      const sizes = await Promise.all(names.map(async (n) => gzipSync(await readFile(join(assets, n))).length));
      return round(sizes.reduce((a, b) => a + b, 0) / 1024);
    };
    let viewerKb = 0;
    for (const chunk of ["MinutesViewer", "useMinutesDocument", "renderMinutes", "minutesAccess"]) viewerKb += await chunkKb(chunk);
    const editorKb = await chunkKb("MinutesPanel");
    return {
      raw: { delegatePage, projectorPage },
      rows: [
        row("delegate page JavaScript (gzip)", "KiB", [delegatePage.kb], null),
        row("delegate page loads the editor", "yes=1", [delegatePage.editor ? 1 : 0], null, "0"),
        row("projector page JavaScript (gzip)", "KiB", [projectorPage.kb], null),
        row("projector page loads the editor", "yes=1", [projectorPage.editor ? 1 : 0], null, "0"),
        row("minutes viewer chunks, loaded by readers (gzip)", "KiB", [viewerKb], null),
        row("minutes editor chunk, loaded by writers (gzip)", "KiB", [editorKb], null),
      ],
    };
  } finally {
    await browser.close();
    await server.stop();
    await dir.remove();
  }
}
