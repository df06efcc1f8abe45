import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustProxy, type TrustProxy } from "../../server/http/trustProxy.ts";
import { createConference, makeDataDir, startServer, type Conference, type TestServer } from "../support/server.ts";

function wrongCode(code: string): string {
  return code.startsWith("A") ? "B" + code.slice(1) : "A" + code.slice(1);
}

/** A join from a client that says (through a proxy) it is `forwardedFor`. */
async function joinAs(server: TestServer, conference: Conference, joinCode: string, forwardedFor?: string) {
  const response = await fetch(`${server.url}/api/conferences/${conference.id}/join`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ joinCode, name: "Đại biểu", attendance: "hall" }),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The real default budgets (20 wrong codes per address, 200 per conference), refilled so slowly
 * here that the counts are exact however long the machine takes.
 */
const SLOW_REFILL = { joinFailurePerSecond: 1 / 3600, conferenceJoinFailurePerSecond: 1 / 3600 };
describe("join codes under attack from the hall's shared address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ limits: { createBurst: 100, ...SLOW_REFILL } });
  });
  afterAll(() => server.dispose());

  it("never refuses the right code, however many wrong ones the same address sent", async () => {
    const conference = await createConference(server.url, { title: "Giao ban" });
    const other = await createConference(server.url, { title: "Khác" });
    const wrong: number[] = [];
    for (let i = 0; i < 30; i++) wrong.push(await joinAs(server, conference, wrongCode(conference.joinCode)));
    expect(wrong.slice(0, 20)).toEqual(Array(20).fill(403));
    expect(wrong.slice(20)).toEqual(Array(10).fill(429));
    // The same address, right after: the honest delegates there get in, here and elsewhere.
    expect(await joinAs(server, conference, conference.joinCode)).toBe(201);
    expect(await joinAs(server, conference, conference.joinCode.toLowerCase().replace(/(....)/, "$1-"))).toBe(201);
    expect(await joinAs(server, other, other.joinCode)).toBe(201);
    // Guessing stays slowed: still 429 for the wrong ones.
    expect(await joinAs(server, conference, wrongCode(conference.joinCode))).toBe(429);
  });
});

describe("join codes guessed from many addresses", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ trustProxy: "loopback", limits: SLOW_REFILL });
  });
  afterAll(() => server.dispose());

  it("keep a per-conference budget of wrong codes; the right code still gets in, other conferences are untouched", async () => {
    const conference = await createConference(server.url, { title: "Giao ban" });
    const other = await createConference(server.url, { title: "Khác" });
    const statuses: number[] = [];
    // 11 addresses × 20 wrong codes = 220 > the conference's 200.
    for (let address = 0; address < 11; address++) {
      for (let i = 0; i < 20; i++) {
        statuses.push(await joinAs(server, conference, wrongCode(conference.joinCode), `198.51.100.${address}`));
      }
    }
    expect(statuses.filter((s) => s === 403).length).toBe(200);
    expect(statuses.slice(200)).toEqual(Array(20).fill(429));
    // A fresh address: its wrong guess is slowed by the conference's budget, its right code is not.
    expect(await joinAs(server, conference, wrongCode(conference.joinCode), "198.51.100.200")).toBe(429);
    expect(await joinAs(server, conference, conference.joinCode, "198.51.100.200")).toBe(201);
    expect(await joinAs(server, other, wrongCode(other.joinCode), "198.51.100.201")).toBe(403);
  });
});

describe("TRUST_PROXY", () => {
  it("reads what Express accepts", () => {
    const cases: [string | undefined, TrustProxy][] = [
      [undefined, false],
      ["", false],
      ["false", false],
      ["true", true],
      ["TRUE", true],
      ["1", 1],
      ["2", 2],
      ["loopback", "loopback"],
      ["127.0.0.1, ::1", "127.0.0.1, ::1"],
      ["10.0.0.0/8,loopback", "10.0.0.0/8,loopback"],
    ];
    for (const [raw, expected] of cases) expect(parseTrustProxy(raw)).toEqual(expected);
    expect(() => parseTrustProxy("banana")).toThrow(/TRUST_PROXY="banana" is not understood/);
  });

  /**
   * Which address the server sees, told by the per-address budget: 20 wrong codes "from" `first`,
   * then whether `second` is limited too (it is when the server did not believe the header).
   */
  async function seesForwardedAddresses(trustProxy: TrustProxy, first: string, second: string): Promise<boolean> {
    const server = await startServer({ trustProxy, limits: SLOW_REFILL });
    try {
      const conference = await createConference(server.url, { title: "Proxy" });
      for (let i = 0; i < 20; i++) expect(await joinAs(server, conference, wrongCode(conference.joinCode), first)).toBe(403);
      expect(await joinAs(server, conference, wrongCode(conference.joinCode), first)).toBe(429);
      return (await joinAs(server, conference, wrongCode(conference.joinCode), second)) === 403;
    } finally {
      await server.dispose();
    }
  }

  it("trusts the proxy in front when set (true, a hop count, loopback, an address list), and nothing when unset", async () => {
    expect(await seesForwardedAddresses(false, "203.0.113.1", "203.0.113.2")).toBe(false);
    expect(await seesForwardedAddresses(true, "203.0.113.1", "203.0.113.2")).toBe(true);
    expect(await seesForwardedAddresses(parseTrustProxy("1"), "203.0.113.1", "203.0.113.2")).toBe(true);
    expect(await seesForwardedAddresses(parseTrustProxy("loopback"), "203.0.113.1", "203.0.113.2")).toBe(true);
    expect(await seesForwardedAddresses(parseTrustProxy("127.0.0.1, ::1, ::ffff:127.0.0.1"), "203.0.113.1", "203.0.113.2")).toBe(true);
    // An address list that does not include us: the header is not believed.
    expect(await seesForwardedAddresses(parseTrustProxy("10.9.9.9"), "203.0.113.1", "203.0.113.2")).toBe(false);
    // Two hops: the client is the one before the last proxy; what it claims further left is ignored.
    expect(await seesForwardedAddresses(2, "203.0.113.1, 192.0.2.1", "203.0.113.9, 192.0.2.2")).toBe(true);
    expect(await seesForwardedAddresses(1, "203.0.113.1, 192.0.2.1", "203.0.113.9, 192.0.2.1")).toBe(false);
  });
});

/** `npm start`'s entry point with TRUST_PROXY set: answers what it printed once it listens, or its error. */
function startMain(trustProxy: string): Promise<string> {
  return makeDataDir().then(
    (dataDir) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
          cwd: fileURLToPath(new URL("../..", import.meta.url)),
          env: { ...process.env, TRUST_PROXY: trustProxy, PORT: "0", HOST: "127.0.0.1", DEMO: "0", SKIP_CLIENT_BUILD: "1", DATA_DIR: dataDir },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const collect = (chunk: Buffer) => {
          output += chunk;
          if (output.includes("listening")) child.kill("SIGKILL");
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("exit", () => resolve(output));
      }),
  );
}

describe("TRUST_PROXY at start", () => {
  it("starts with true and with a hop count, and refuses nonsense with the reason", async () => {
    expect(await startMain("true")).toContain("Giao Ban is listening");
    expect(await startMain("1")).toContain("Giao Ban is listening");
    expect(await startMain("banana")).toContain('TRUST_PROXY="banana" is not understood');
  });
});

describe("the code-only /join page's lookup", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ limits: { createBurst: 100, ...SLOW_REFILL } });
  });
  afterAll(() => server.dispose());

  const lookUp = async (joinCode: unknown) => {
    const response = await fetch(`${server.url}/api/join-codes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ joinCode }),
    });
    return { status: response.status, body: await response.json() };
  };

  it("finds the conference of a typed code (case, spaces, dashes ignored), refuses wrong ones, never the right one", async () => {
    const conference = await createConference(server.url, { title: "Giao ban" });
    await createConference(server.url, { title: "Khác" });
    const typed = `${conference.joinCode.slice(0, 4).toLowerCase()} - ${conference.joinCode.slice(4)}`;
    expect(await lookUp(typed)).toEqual({ status: 200, body: { conferenceId: conference.id } });
    const wrong: number[] = [];
    for (let i = 0; i < 22; i++) wrong.push((await lookUp(wrongCode(conference.joinCode))).status);
    expect(wrong.slice(0, 20)).toEqual(Array(20).fill(403));
    expect(wrong.slice(20)).toEqual([429, 429]);
    // The budget is the same as for wrong codes at …/join: that address is slowed there too.
    expect(await joinAs(server, conference, wrongCode(conference.joinCode))).toBe(429);
    expect((await lookUp(conference.joinCode)).status).toBe(200);
    expect(await joinAs(server, conference, conference.joinCode)).toBe(201);
    for (const bad of [5, "", "x".repeat(33), null]) expect((await lookUp(bad)).status).toBe(400);
  });
});
