import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/server.ts";

/** The built client as the hall's phones fetch it: compressed, and cached for a year when hashed. */
let srv: TestServer;
let dir: string;
const script = `console.log(${JSON.stringify("Giao Ban ".repeat(2000))});`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "giaoban-dist-"));
  await mkdir(join(dir, "assets"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>Giao Ban</title>");
  await writeFile(join(dir, "assets", "index-abc123.js"), script);
  await writeFile(join(dir, "assets", "index-abc123.js.br"), brotliCompressSync(script));
  await writeFile(join(dir, "assets", "index-abc123.js.gz"), gzipSync(script));
  srv = await startServer({ serveClient: true, clientDir: dir });
});
afterAll(async () => {
  await srv.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("the client's files", () => {
  it("go out as the brotli copy to a browser that takes it, gzip to one that takes only that, plain otherwise", async () => {
    const br = await fetch(`${srv.url}/assets/index-abc123.js`, { headers: { "accept-encoding": "br, gzip" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("vary")).toMatch(/accept-encoding/i);
    // fetch decompresses by itself: node:http shows the bytes as they travel.
    const raw = await new Promise<Buffer>((resolve, reject) => {
      get(`${srv.url}/assets/index-abc123.js`, { headers: { "accept-encoding": "br" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks)));
      }).on("error", reject);
    });
    expect(raw.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(raw).toString()).toBe(script);
    const gz = await fetch(`${srv.url}/assets/index-abc123.js`, { headers: { "accept-encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(await gz.text()).toBe(script);
    const plain = await fetch(`${srv.url}/assets/index-abc123.js`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("content-type")).toMatch(/javascript/);
  });

  it("are immutable for a year when their name carries a hash; the page itself is revalidated", async () => {
    const asset = await fetch(`${srv.url}/assets/index-abc123.js`);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const page = await fetch(`${srv.url}/c/anything`);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(await page.text()).toContain("Giao Ban");
  });
});
