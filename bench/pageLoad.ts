/**
 * Page load: what a phone feels when it scans the hall's QR code for the first time. The delegate
 * page is loaded in real Chromium from our real server (built client, SERVE_CLIENT), over emulated
 * connections (CDP network conditions and CPU throttling), each run in a fresh browser context
 * (empty cache, empty storage).
 *
 * - bytes moved: the sum of `encodedDataLength` of CDP `Network.loadingFinished` over every HTTP
 *   request of the load (compressed bytes on the wire, headers included), counted once the network
 *   has been quiet for QUIET_MS after the page became usable (so the lazily loaded chunks count);
 *   WebSocket frames are not requests: the Socket.IO payload (uncompressed JSON) received by the
 *   time the page was usable is a row of its own, every frame is in `raw`.
 * - time until usable: `performance.now()` inside the page (whose origin is the navigation start)
 *   when the "Xin phát biểu" (request the floor) button first enters the DOM, seen by a
 *   MutationObserver installed before any page script; Playwright then waits for that button to be
 *   visible. The wall time around `page.goto` + that wait (Date.now()) is kept in `raw` too.
 *
 * The conference holds DELEGATES delegates (500, as in the hall; BENCH_PAGELOAD_DELEGATES), so the
 * state the page receives is the one the 500th phone gets; each run opens a different delegate's link.
 */
import { chromium, type Browser, type CDPSession } from "playwright-core";
import { Child, json, median, RUNS, round, tempDir } from "./lib.ts";
import { row, type Row } from "./scenarios.ts";

interface Profile {
  key: "hall" | "slow 3G";
  label: string;
  /** Bytes per second. */
  downloadThroughput: number;
  uploadThroughput: number;
  /** Round trip added to every request, ms. */
  latency: number;
  /** CPU slow-down factor. */
  cpu: number;
}

const PROFILES: Profile[] = [
  { key: "hall", label: "hall connection (1.6 Mbps, 150 ms, CPU 4×)", downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8, latency: 150, cpu: 4 },
  { key: "slow 3G", label: "slow 3G (400 kbps, 400 ms, CPU 6×)", downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8, latency: 400, cpu: 6 },
];

/** The delegate page's main control: the submit button of the request-to-speak form (vi, the default language). */
const READY_TEXT = "Xin phát biểu";
const DELEGATES = Math.max(1, Number(process.env.BENCH_PAGELOAD_DELEGATES ?? 500));
/** The network counts as settled after this long without an HTTP request in flight. */
const QUIET_MS = 1000;
const LOAD_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 20_000;

interface Resource {
  url: string;
  type: string;
  status?: number;
  encoding?: string;
  /** encodedDataLength: bytes on the wire, headers included. */
  bytes?: number;
  failed?: string;
  done: boolean;
  /** Finished when Playwright saw the ready button. */
  beforeUsable?: boolean;
  /** Request sent and loading finished, ms after the document request was sent (CDP timestamps). */
  startMs?: number;
  endMs?: number;
}

interface WebSocketSeen {
  url: string;
  /** Handshake sent, handshake answered, first frame received: ms after the document request. */
  handshakeMs?: number;
  openMs?: number;
  firstFrameMs?: number;
  kibReceived: number;
  framesReceived: number;
  /** Each frame received: when (ms after the document request), payload bytes, and the Socket.IO packet and event name. */
  frames: { ms?: number; bytes: number; kind: string }[];
}

export interface LoadResult {
  profile: string;
  /** performance.now() in the page when the button entered the DOM (ms from navigation start). */
  usableMs: number;
  /** Date.now() around page.goto + the visible wait. */
  wallMs: number;
  firstContentfulPaintMs: number | null;
  domContentLoadedMs: number | null;
  loadEventMs: number | null;
  /** All HTTP requests once the network settled. */
  kib: number;
  /** HTTP requests finished when Playwright saw the button. */
  kibAtUsable: number;
  requests: number;
  /** WebSocket payload received (all frames seen, and those when Playwright saw the button). */
  webSocketKibReceived: number;
  webSocketKibAtUsable: number;
  webSocketFramesReceived: number;
  /** The Accept-Encoding the browser sent for the document. */
  acceptEncoding: string | null;
  resources: Resource[];
  webSockets: WebSocketSeen[];
}

const header = (headers: Record<string, unknown>, name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
  return undefined;
};

/**
 * Installed before any page script: notes when the ready button first exists. A string, not a
 * function: tsx (esbuild, keepNames) would wrap a function's inner functions in a `__name` helper
 * that does not exist in the page.
 */
const observeReady = (text: string) => `(() => {
  const text = ${JSON.stringify(text)};
  const check = () => {
    if (window.__usableAt !== undefined) return true;
    for (const button of document.querySelectorAll("button")) {
      if (button.textContent && button.textContent.trim() === text) {
        window.__usableAt = performance.now();
        return true;
      }
    }
    return false;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function loadOnce(browser: Browser, url: string, profile: Profile): Promise<LoadResult> {
  const context = await browser.newContext({ locale: "vi-VN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await context.addInitScript({ content: observeReady(READY_TEXT) });
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    const resources = new Map<string, Resource>();
    let lastActivity = Date.now();
    const sockets = new Map<string, WebSocketSeen>();
    let origin: number | null = null; // CDP monotonic seconds when the document request was sent
    const since = (t: number) => (origin === null ? undefined : round((t - origin) * 1000));
    let documentId: string | null = null;
    let acceptEncoding: string | null = null;
    cdp.on("Network.requestWillBeSent", (e) => {
      lastActivity = Date.now();
      if (origin === null) origin = e.timestamp;
      if (documentId === null && e.type === "Document") documentId = e.requestId;
      const known = resources.get(e.requestId);
      if (known) known.url = e.request.url; // a redirect: the same request goes on
      else resources.set(e.requestId, { url: e.request.url, type: e.type ?? "Other", done: false, startMs: since(e.timestamp) });
    });
    cdp.on("Network.requestWillBeSentExtraInfo", (e) => {
      if (e.requestId === documentId) acceptEncoding = header(e.headers, "accept-encoding") ?? null;
    });
    cdp.on("Network.webSocketWillSendHandshakeRequest", (e) => {
      const ws = sockets.get(e.requestId);
      if (ws) ws.handshakeMs = since(e.timestamp);
    });
    cdp.on("Network.webSocketCreated", (e) => {
      sockets.set(e.requestId, { url: e.url, kibReceived: 0, framesReceived: 0, frames: [] });
    });
    cdp.on("Network.webSocketHandshakeResponseReceived", (e) => {
      const ws = sockets.get(e.requestId);
      if (ws) ws.openMs = since(e.timestamp);
    });
    cdp.on("Network.responseReceived", (e) => {
      lastActivity = Date.now();
      const r = resources.get(e.requestId);
      if (!r) return;
      r.status = e.response.status;
      r.encoding = header(e.response.headers, "content-encoding") ?? "identity";
    });
    cdp.on("Network.loadingFinished", (e) => {
      lastActivity = Date.now();
      const r = resources.get(e.requestId);
      if (!r) return;
      r.bytes = e.encodedDataLength;
      r.done = true;
      r.endMs = since(e.timestamp);
    });
    cdp.on("Network.loadingFailed", (e) => {
      lastActivity = Date.now();
      const r = resources.get(e.requestId);
      if (!r) return;
      r.failed = e.errorText;
      r.done = true;
    });
    cdp.on("Network.webSocketFrameReceived", (e) => {
      const ws = sockets.get(e.requestId);
      if (!ws) return;
      ws.firstFrameMs ??= since(e.timestamp);
      ws.framesReceived++;
      // Payload bytes (after any permessage-deflate), not wire bytes.
      const text = e.response.opcode === 1;
      const bytes = text ? Buffer.byteLength(e.response.payloadData, "utf8") : Buffer.from(e.response.payloadData, "base64").length;
      ws.kibReceived += bytes / 1024;
      ws.frames.push({ ms: since(e.timestamp), bytes, kind: text ? (/^\d+(?:\["[^"]{0,40}")?/.exec(e.response.payloadData)?.[0] ?? "text") : "binary" });
    });
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.downloadThroughput,
      uploadThroughput: profile.uploadThroughput,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });

    const kibOf = () => [...resources.values()].reduce((sum, r) => sum + (r.bytes ?? 0), 0) / 1024;
    const started = Date.now();
    await page.goto(url, { waitUntil: "commit", timeout: LOAD_TIMEOUT_MS });
    await page.getByRole("button", { name: READY_TEXT, exact: true }).waitFor({ state: "visible", timeout: LOAD_TIMEOUT_MS });
    const wallMs = Date.now() - started;
    const kibAtUsable = kibOf();
    const webSocketKibAtUsable = [...sockets.values()].reduce((a, ws) => a + ws.kibReceived, 0);
    for (const r of resources.values()) r.beforeUsable = r.done;

    // Let the rest of the load (lazy chunks, late requests) finish: no HTTP request in flight for QUIET_MS.
    const settleBy = Date.now() + SETTLE_TIMEOUT_MS;
    while (Date.now() < settleBy) {
      const inFlight = [...resources.values()].some((r) => !r.done);
      if (!inFlight && Date.now() - lastActivity >= QUIET_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const timing = await page.evaluate(() => {
      const w = window as unknown as { __usableAt?: number };
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        usableAt: w.__usableAt ?? null,
        fcp: fcp ? fcp.startTime : null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        load: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
      };
    });
    if (timing.usableAt === null) throw new Error("the ready button was seen by Playwright but not by the page's observer");
    const list = [...resources.values()].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
    const webSockets = [...sockets.values()].map((ws) => ({ ...ws, kibReceived: round(ws.kibReceived, 2) }));
    await cdp.detach();
    return {
      profile: profile.key,
      usableMs: round(timing.usableAt),
      wallMs,
      firstContentfulPaintMs: timing.fcp === null ? null : round(timing.fcp),
      domContentLoadedMs: timing.dcl === null ? null : round(timing.dcl),
      loadEventMs: timing.load === null ? null : round(timing.load),
      kib: round(kibOf(), 2),
      kibAtUsable: round(kibAtUsable, 2),
      requests: list.length,
      webSocketKibReceived: round(webSockets.reduce((a, ws) => a + ws.kibReceived, 0), 2),
      webSocketKibAtUsable: round(webSocketKibAtUsable, 2),
      webSocketFramesReceived: webSockets.reduce((a, ws) => a + ws.framesReceived, 0),
      acceptEncoding,
      resources: list,
      webSockets,
    };
  } finally {
    await context.close();
  }
}

/** The delegate page loaded by a first-time phone on the hall Wi-Fi and on slow 3G. */
export async function pageLoad(): Promise<{ rows: Row[]; raw: unknown }> {
  const { build } = await import("vite");
  await build({ configFile: new URL("../client/vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
  const dir = await tempDir();
  let server: Child | null = null;
  let browser: Browser | null = null;
  try {
    const started = await Child.start("processes/giaoBanServer.ts", { DATA_DIR: dir.path, SERVE_CLIENT: "1" });
    server = started.child;
    const url = `http://127.0.0.1:${started.ready.port}`;
    const conference = await json(url, "/api/conferences", { title: "Benchmark" });
    const links: string[] = [];
    for (let i = 0; i < DELEGATES; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, DELEGATES - i) }, (_, j) =>
          json(url, `/api/conferences/${conference.id}/join`, { joinCode: conference.joinCode, name: `Đại biểu ${i + j + 1}`, attendance: "hall" }),
        ),
      );
      // The server answers an absolute link (its public URL or the request's host); a relative one is resolved here.
      links.push(...batch.map((d) => new URL(String(d.url), url).href));
    }
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    const results: Record<Profile["key"], LoadResult[]> = { hall: [], "slow 3G": [] };
    let next = 0;
    for (let run = 0; run < RUNS; run++) {
      for (const profile of PROFILES) {
        // A different delegate each time (reusing links past DELEGATES); a fresh context each time.
        results[profile.key].push(await loadOnce(browser, links[next++ % links.length]!, profile));
      }
    }
    const hall = results.hall;
    const slow = results["slow 3G"];
    const kib = (list: LoadResult[]) => list.map((r) => r.kib);
    const rows: Row[] = [
      row("delegate page moved, first load (hall)", "KiB", kib(hall), null, "< 170 KiB"),
      // The same files either way; a row of its own only when the bytes differ.
      ...(median(kib(slow)) !== median(kib(hall)) ? [row("delegate page moved, first load (slow 3G)", "KiB", kib(slow), null, "< 170 KiB")] : []),
      row(`delegate page usable, ${PROFILES[0]!.label}`, "ms", hall.map((r) => r.usableMs), null, "< 2 s"),
      row(`delegate page usable, ${PROFILES[1]!.label}`, "ms", slow.map((r) => r.usableMs), null, "< 6 s"),
      // Not in the HTTP bytes above: the Socket.IO snapshot the page waits for (payload, uncompressed).
      row(`delegate page WebSocket payload until usable (hall, ${DELEGATES} delegates)`, "KiB", hall.map((r) => r.webSocketKibAtUsable), null),
    ];
    return {
      rows,
      raw: {
        delegatesInConference: DELEGATES,
        readySelector: `getByRole("button", { name: "${READY_TEXT}", exact: true })`,
        usableClock: "performance.now() in the page (origin: navigation start) when the button entered the DOM",
        profiles: PROFILES,
        runs: Object.fromEntries(
          Object.entries(results).map(([key, list]) => [
            key,
            list.map((r) => ({
              ...r,
              resources: r.resources.map((x) => ({ ...x, url: x.url.replace(url, "") })),
              webSockets: r.webSockets.map((ws) => ({ ...ws, url: ws.url.replace(/token=[^&]+/, "token=…") })),
            })),
          ]),
        ),
      },
    };
  } finally {
    await browser?.close();
    await server?.stop();
    await dir.remove();
  }
}
