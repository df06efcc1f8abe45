import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinMany } from "../support/integration.ts";
import { api, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** These tests run against the server's real default limits (no RELAXED_LIMITS). */
let srv: TestServer;

beforeAll(async () => {
  srv = await startServer({ limits: {} });
});
afterAll(async () => {
  await srv.dispose();
});

/** A POST from a chosen local address (127.0.0.x all reach the loopback server). */
function postFrom(localAddress: string, url: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const target = new URL(path, url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

function wrongCode(code: string): string {
  return code.startsWith("A") ? "B" + code.slice(1) : "A" + code.slice(1);
}

describe("conference creation", () => {
  it("is rate limited per address: the 11th in a row is 429, another address still creates", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await postFrom("127.0.0.3", srv.url, "/api/conferences", { title: `c${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    const limited = await postFrom("127.0.0.3", srv.url, "/api/conferences", { title: "again" });
    expect(limited).toEqual({ status: 429, body: { error: { code: "rate_limited", message: expect.any(String) } } });
    expect((await postFrom("127.0.0.4", srv.url, "/api/conferences", { title: "elsewhere" })).status).toBe(201);
  });
});

describe("join codes", () => {
  let conf: Conference;
  beforeAll(async () => {
    const created = await postFrom("127.0.0.5", srv.url, "/api/conferences", { title: "Giao ban" });
    conf = created.body;
  });

  it("wrong codes are rate limited per address with the default limits (20 per minute)", async () => {
    const path = `/api/conferences/${conf.id}/join`;
    const bad = { joinCode: wrongCode(conf.joinCode), name: "x", attendance: "hall" };
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await postFrom("127.0.0.6", srv.url, path, bad)).status);
    expect(statuses).toEqual(Array(20).fill(403));
    const limited = await postFrom("127.0.0.6", srv.url, path, bad);
    expect(limited).toEqual({ status: 429, body: { error: { code: "rate_limited", message: expect.any(String) } } });
    // another address is not affected, neither for wrong nor for right codes
    expect((await postFrom("127.0.0.7", srv.url, path, bad)).status).toBe(403);
    expect((await postFrom("127.0.0.7", srv.url, path, { ...bad, joinCode: conf.joinCode })).status).toBe(201);
  });

  it("500 joins with the right code from one address within a minute all succeed", async () => {
    const started = Date.now();
    const joined = await joinMany(srv.url, conf, 500, { concurrency: 25 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(new Set(joined.map((j) => j.id)).size).toBe(500);
    const chair = await TestClient.connect(srv.url, conf.chairToken);
    try {
      const ids = new Set(chair.snapshot!.participants.map((p) => p.id));
      for (const j of joined) expect(ids.has(j.id)).toBe(true);
    } finally {
      chair.close();
    }
    // and the address that made them is still allowed its wrong tries (only failures count)
    expect((await api(srv.url, `/api/conferences/${conf.id}/join`, { body: { joinCode: wrongCode(conf.joinCode), name: "x", attendance: "hall" } })).status).toBe(403);
  });
});

describe("socket commands", () => {
  it("a socket that floods commands gets rate_limited acks beyond its burst", async () => {
    const created = await postFrom("127.0.0.8", srv.url, "/api/conferences", { title: "Flood" });
    const chair = await TestClient.connect(srv.url, created.body.chairToken);
    try {
      const acks = await Promise.all(
        Array.from({ length: 80 }, (_, i) => chair.command({ type: "agenda.add", title: `item ${i}` })),
      );
      const ok = acks.filter((a) => a.ok).length;
      const limited = acks.filter((a) => !a.ok && a.error.code === "rate_limited").length;
      expect(ok + limited).toBe(80);
      expect(ok).toBeGreaterThanOrEqual(40);
      expect(limited).toBeGreaterThan(0);
      // nothing refused was applied (read through a fresh socket: this one has used its allowance)
      const observer = await TestClient.connect(srv.url, created.body.chairToken);
      expect(observer.snapshot!.agenda.length).toBe(ok);
      observer.close();
    } finally {
      chair.close();
    }
  });

  it("a socket that floods snapshot requests is rate limited too", async () => {
    const created = await postFrom("127.0.0.9", srv.url, "/api/conferences", { title: "Sync flood" });
    const chair = await TestClient.connect(srv.url, created.body.chairToken);
    try {
      const answers = await Promise.all(Array.from({ length: 80 }, () => chair.sync()));
      const ok = answers.filter((a) => a.ok).length;
      expect(ok).toBeGreaterThanOrEqual(40);
      expect(answers.filter((a) => !a.ok && a.error.code === "rate_limited").length).toBeGreaterThan(0);
    } finally {
      chair.close();
    }
  });
});
