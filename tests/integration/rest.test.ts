import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

let srv: TestServer;
let url: string;
let conf: Conference;

beforeAll(async () => {
  srv = await startServer();
  url = srv.url;
  conf = await createConference(url, { title: "Giao ban 2021", organisation: "VUSTA", venue: "Hà Nội", language: "vi" });
});
afterAll(async () => {
  await srv.dispose();
});

/** Asserts an error answer: status, `{error: {code, message}}` and nothing else. */
function expectError(answer: { status: number; body: any }, status: number, code: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
  expect(answer.body.error.message.length).toBeGreaterThan(0);
}

/** A 256-bit token in base64url. */
function expect256Bits(token: string) {
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(token, "base64url").length).toBe(32);
}

describe("GET /api/health", () => {
  it("answers 200 {ok: true}", async () => {
    const answer = await api(url, "/api/health");
    expect(answer).toEqual({ status: 200, body: { ok: true } });
  });

  it("unknown API routes are 404 not_found", async () => {
    expectError(await api(url, "/api/nothing-here"), 404, "not_found");
  });
});

describe("POST /api/conferences", () => {
  it("creates: 201 {id, chairToken, joinCode} with a 256-bit token", async () => {
    const answer = await api(url, "/api/conferences", {
      body: { title: "Hội nghị giao ban các hội ngành", startsAt: "2023-07-28T08:00:00+07:00", language: "en" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: expect.any(String), chairToken: expect.any(String), joinCode: expect.any(String) });
    expect256Bits(answer.body.chairToken);
    expect(answer.body.joinCode).toMatch(/^[A-Z0-9]{8}$/);
    const chair = await TestClient.connect(url, answer.body.chairToken);
    try {
      expect(chair.snapshot!.conference).toMatchObject({
        id: answer.body.id,
        title: "Hội nghị giao ban các hội ngành",
        organisation: "",
        venue: "",
        startsAt: Date.parse("2023-07-28T08:00:00+07:00"),
        status: "scheduled",
        joinCode: answer.body.joinCode,
      });
      expect(chair.snapshot!.me).toMatchObject({ role: "chair", voting: true });
    } finally {
      chair.close();
    }
  });

  const bad: [string, { body?: unknown; rawBody?: string }][] = [
    ["no body", { rawBody: "" }],
    ["malformed JSON", { rawBody: '{"title": "x"' }],
    ["a JSON array", { body: [{ title: "x" }] }],
    ["a JSON string", { rawBody: '"x"' }],
    ["no title", { body: { organisation: "VUSTA" } }],
    ["an empty title", { body: { title: "   " } }],
    ["a title of the wrong type", { body: { title: 42 } }],
    ["an over-long title", { body: { title: "x".repeat(201) } }],
    ["an over-long organisation", { body: { title: "x", organisation: "y".repeat(201) } }],
    ["an unknown field", { body: { title: "x", colour: "red" } }],
    ["an unknown language", { body: { title: "x", language: "fr" } }],
    ["a bad startsAt", { body: { title: "x", startsAt: "tomorrow" } }],
    ["a startsAt past the last valid date", { body: { title: "x", startsAt: 9e15 } }],
    ["a negative startsAt", { body: { title: "x", startsAt: -1 } }],
    ["control characters", { body: { title: "x\u0007y" } }],
  ];
  for (const [what, init] of bad) {
    it(`400 invalid for ${what}`, async () => {
      expectError(await api(url, "/api/conferences", { method: "POST", ...init }), 400, "invalid");
    });
  }

  it("413 too_large for a huge body", async () => {
    expectError(await api(url, "/api/conferences", { body: { title: "x", venue: "v".repeat(200_000) } }), 413, "too_large");
  });
});

describe("ADMIN_TOKEN", () => {
  it("only that bearer creates conferences", async () => {
    const guarded = await startServer({ adminToken: "s3cret-admin-token" });
    try {
      expectError(await api(guarded.url, "/api/conferences", { body: { title: "x" } }), 401, "unauthorized");
      expectError(await api(guarded.url, "/api/conferences", { body: { title: "x" }, token: "wrong" }), 401, "unauthorized");
      const ok = await api(guarded.url, "/api/conferences", { body: { title: "x" }, token: "s3cret-admin-token" });
      expect(ok.status).toBe(201);
      // the admin token is for creating only: it is no chair token
      expectError(
        await api(guarded.url, `/api/conferences/${ok.body.id}/participants`, {
          token: "s3cret-admin-token",
          body: { name: "A", role: "delegate" },
        }),
        401,
        "unauthorized",
      );
    } finally {
      await guarded.dispose();
    }
  });
});

describe("POST /api/conferences/:id/participants", () => {
  it("the chair adds any role: 201 {id, token, url}", async () => {
    for (const role of ["chair", "secretary", "delegate", "observer", "projector"]) {
      const answer = await api(url, `/api/conferences/${conf.id}/participants`, {
        token: conf.chairToken,
        body: { name: `Người ${role}`, organisation: "Hội A", role },
      });
      expect(answer.status, role).toBe(201);
      expect(Object.keys(answer.body).sort()).toEqual(["id", "token", "url"]);
      expect256Bits(answer.body.token);
      expect(answer.body.url).toContain(conf.id);
      expect(answer.body.url).toContain(answer.body.token);
      const client = await TestClient.connect(url, answer.body.token);
      expect(client.snapshot!.me).toEqual({
        id: answer.body.id,
        name: `Người ${role}`,
        organisation: "Hội A",
        organisationId: expect.any(String),
        representative: false,
        role,
        voting: role === "chair" || role === "delegate",
      });
      client.close();
    }
  });

  it("401 without a token, with a bad token, or with a token of another conference", async () => {
    const path = `/api/conferences/${conf.id}/participants`;
    const body = { name: "A", role: "delegate" };
    expectError(await api(url, path, { body }), 401, "unauthorized");
    expectError(await api(url, path, { body, token: "not-a-token" }), 401, "unauthorized");
    expectError(await api(url, path, { body, token: conf.chairToken.slice(0, -2) + "AA" }), 401, "unauthorized");
    const other = await createConference(url);
    expectError(await api(url, path, { body, token: other.chairToken }), 401, "unauthorized");
  });

  it("403 forbidden for every role but chair", async () => {
    for (const role of ["secretary", "delegate", "observer", "projector"]) {
      const p = await addParticipant(url, conf, { name: role, role });
      expectError(
        await api(url, `/api/conferences/${conf.id}/participants`, { token: p.token, body: { name: "B", role: "delegate" } }),
        403,
        "forbidden",
      );
    }
  });

  it("404 not_found for an unknown conference", async () => {
    expectError(
      await api(url, `/api/conferences/nope/participants`, { token: conf.chairToken, body: { name: "A", role: "delegate" } }),
      404,
      "not_found",
    );
  });

  it("400 invalid for bad bodies", async () => {
    const path = `/api/conferences/${conf.id}/participants`;
    for (const body of [
      { name: "A", role: "king" },
      { name: "A" },
      { role: "delegate" },
      { name: "", role: "delegate" },
      { name: "n".repeat(121), role: "delegate" },
      { name: "A", role: "delegate", extra: 1 },
      { name: ["A"], role: "delegate" },
      { name: "A", role: "delegate", attendance: "moon" },
    ]) {
      expectError(await api(url, path, { token: conf.chairToken, body }), 400, "invalid");
    }
    expectError(await api(url, path, { token: conf.chairToken, rawBody: "{name:" }), 400, "invalid");
  });
});

describe("POST /api/conferences/:id/join", () => {
  const join = (body: Record<string, unknown>, id = conf.id) => api(url, `/api/conferences/${id}/join`, { body });

  it("joins as a delegate with the join code: 201 {id, token, url}", async () => {
    const answer = await join({ joinCode: conf.joinCode, name: "Lê Công Lương", organisation: "Hội B", attendance: "online" });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body).sort()).toEqual(["id", "token", "url"]);
    expect256Bits(answer.body.token);
    const client = await TestClient.connect(url, answer.body.token);
    expect(client.snapshot!.me).toMatchObject({ id: answer.body.id, role: "delegate", voting: true, organisation: "Hội B" });
    expect(client.snapshot!.participants.find((p) => p.id === answer.body.id)).toMatchObject({ attendance: "online" });
    expect(client.snapshot!.conference).not.toHaveProperty("joinCode");
    client.close();
  });

  it("compares the join code without case (and without spaces or dashes)", async () => {
    const lower = conf.joinCode.toLowerCase();
    expect((await join({ joinCode: lower, name: "a", attendance: "hall" })).status).toBe(201);
    const mixed = [...conf.joinCode].map((c, i) => (i % 2 ? c.toLowerCase() : c)).join("");
    expect((await join({ joinCode: mixed, name: "b", attendance: "hall" })).status).toBe(201);
    const spaced = `${conf.joinCode.slice(0, 4)}-${conf.joinCode.slice(4).toLowerCase()}`;
    expect((await join({ joinCode: spaced, name: "c", attendance: "hall" })).status).toBe(201);
  });

  it("403 forbidden for a wrong join code", async () => {
    const wrong = conf.joinCode.startsWith("A") ? "B" + conf.joinCode.slice(1) : "A" + conf.joinCode.slice(1);
    expectError(await join({ joinCode: wrong, name: "x", attendance: "hall" }), 403, "forbidden");
    expectError(await join({ joinCode: conf.joinCode + "X", name: "x", attendance: "hall" }), 403, "forbidden");
  });

  it("400 invalid for bad bodies, 404 for an unknown conference", async () => {
    expectError(await join({ joinCode: conf.joinCode, name: "x" }), 400, "invalid");
    expectError(await join({ joinCode: conf.joinCode, name: "x", attendance: "hall", role: "chair" }), 400, "invalid");
    expectError(await join({ joinCode: conf.joinCode, name: "", attendance: "hall" }), 400, "invalid");
    expectError(await join({ joinCode: "x".repeat(33), name: "x", attendance: "hall" }), 400, "invalid");
    expectError(await join({ joinCode: 12345678, name: "x", attendance: "hall" }), 400, "invalid");
    expectError(await join({ joinCode: conf.joinCode, name: "x", attendance: "hall" }, "nope"), 404, "not_found");
  });

  it("409 conflict once the conference has ended", async () => {
    const ended = await createConference(url);
    const chair = await TestClient.connect(url, ended.chairToken);
    await chair.must({ type: "conference.end" });
    chair.close();
    expectError(
      await api(url, `/api/conferences/${ended.id}/join`, { body: { joinCode: ended.joinCode, name: "x", attendance: "hall" } }),
      409,
      "conflict",
    );
  });
});

describe("GET /api/conferences/:id (extension)", () => {
  it("never shows the join code", async () => {
    const answer = await api(url, `/api/conferences/${conf.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: conf.id, title: "Giao ban 2021" });
    expect(JSON.stringify(answer.body)).not.toContain(conf.joinCode);
  });
});
