import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Snapshot } from "../../shared/view.ts";
import {
  addParticipant,
  api,
  createConference,
  startServer,
  TestClient,
  type Conference,
  type TestServer,
} from "../support/server.ts";

/** The parts of a snapshot a hostile command could change (not the clock or who is online). */
function stable(snapshot: Snapshot) {
  const { serverTime: _t, participants, ...rest } = snapshot;
  return { ...rest, participants: participants.map(({ online: _o, ...p }) => p) };
}

const HUGE = "x".repeat(40_000);
const deep = (depth: number): unknown => {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
const WRONG_VALUES: unknown[] = [null, 42, -1, 1.5, true, "", HUGE, [], [1, 2], {}, deep(300), "<script>alert(1)</script>"];

const COMMAND_FIELDS: Record<string, string[]> = {
  "conference.start": [],
  "conference.end": [],
  "participants.leave": ["participantId"],
  "presence.set": ["attendance"],
  "agenda.add": ["title", "presenter", "plannedMinutes", "afterId"],
  "agenda.update": ["itemId", "title", "presenter", "plannedMinutes"],
  "agenda.remove": ["itemId"],
  "agenda.move": ["itemId", "toIndex"],
  "agenda.start": ["itemId"],
  "agenda.next": [],
  "speakers.request": ["kind", "note", "participantId"],
  "speakers.withdraw": ["requestId"],
  "speakers.remove": ["requestId"],
  "speakers.clear": [],
  "speakers.grant": ["requestId"],
  "speakers.finish": [],
  "speakers.setLimit": ["seconds"],
  "polls.create": ["question", "kind", "options", "itemId", "secret", "weighting", "majority"],
  "polls.delete": ["pollId"],
  "polls.open": ["pollId"],
  "polls.close": ["pollId"],
  "polls.vote": ["pollId", "optionId"],
};

/** Several hundred malformed commands: wrong types per field, unknown types, hostile keys. */
function malformedCommands(foreign: { itemId: string; pollId: string }): unknown[] {
  const out: unknown[] = [
    null,
    42,
    "agenda.next",
    [],
    [{ type: "agenda.next" }],
    {},
    { type: 7 },
    { type: "agenda.nope" },
    { type: "__proto__" },
    { type: "constructor" },
    { type: "toString" },
    { type: HUGE },
    deep(300),
    JSON.parse('{"type":"agenda.add","title":"x","__proto__":{"polluted":true}}'),
    { type: "agenda.add", title: "x", constructor: { prototype: { polluted: true } } },
    { type: "agenda.add", title: "x", prototype: { polluted: true } },
    { type: "agenda.add", title: "   " },
    { type: "agenda.add", title: "bad\u0000byte" },
    { type: "agenda.add", title: "x".repeat(201) },
    { type: "agenda.add", title: "x", plannedMinutes: 1e12 },
    { type: "speakers.setLimit", seconds: Number.MAX_SAFE_INTEGER },
    { type: "polls.create", question: "q", kind: "election", options: Array.from({ length: 51 }, (_, i) => `c${i}`) },
    { type: "polls.create", question: "q", kind: "election", options: ["A", "a"] },
    { type: "polls.create", question: "q", options: ["yes"] },
    // Well-formed, but naming another conference's things.
    { type: "agenda.start", itemId: foreign.itemId },
    { type: "agenda.remove", itemId: foreign.itemId },
    { type: "polls.open", pollId: foreign.pollId },
    { type: "polls.vote", pollId: foreign.pollId, optionId: "yes" },
    { type: "speakers.grant", requestId: "no-such-request" },
    { type: "speakers.request", kind: "speech", participantId: "no-such-person" },
  ];
  for (const [type, fields] of Object.entries(COMMAND_FIELDS)) {
    out.push({ type, unexpected: 1 });
    for (const field of fields) {
      for (const value of WRONG_VALUES) {
        // Values a field could legitimately take are skipped: only the wrong ones are sent.
        if (typeof value === "string" && value.length < 100 && ["title", "presenter", "note", "question"].includes(field)) continue;
        if (value === "" && ["presenter", "note"].includes(field)) continue;
        if (typeof value === "number" && Number.isInteger(value) && value >= 0 && ["plannedMinutes", "toIndex", "seconds"].includes(field)) continue;
        if (typeof value === "boolean" && field === "secret") continue;
        if (value === null && field === "itemId" && type === "polls.create") continue;
        out.push({ type, [field]: value });
      }
    }
  }
  return out;
}

describe("hostile input", () => {
  let server: TestServer;
  let conference: Conference;
  let chair: TestClient;
  let foreign: { itemId: string; pollId: string };

  beforeAll(async () => {
    server = await startServer();
    conference = await createConference(server.url, { title: "Hội nghị" });
    chair = await TestClient.connect(server.url, conference.chairToken);
    await chair.must({ type: "agenda.add", title: "Khai mạc" });
    const other = await createConference(server.url, { title: "Khác" });
    const otherChair = await TestClient.connect(server.url, other.chairToken);
    const item = await otherChair.must({ type: "agenda.add", title: "Khác" });
    const poll = await otherChair.must({ type: "polls.create", question: "Khác?" });
    foreign = { itemId: item.id as string, pollId: poll.id as string };
    otherChair.close();
  });

  afterAll(async () => {
    chair.close();
    await server.dispose();
  });

  it("answers every malformed command with a clear error and changes nothing", async () => {
    const before = await chair.sync();
    const commands = malformedCommands(foreign);
    expect(commands.length).toBeGreaterThan(300);
    for (const command of commands) {
      const ack = await chair.command(command as Record<string, unknown>);
      expect(ack.ok, JSON.stringify(command).slice(0, 200)).toBe(false);
      if (ack.ok) continue;
      expect(["invalid", "not_found", "conflict"]).toContain(ack.error.code);
      expect(ack.error.message.length).toBeGreaterThan(0);
      expect(ack.error.message.length).toBeLessThan(500);
    }
    const after = await chair.sync();
    expect(before.ok && after.ok).toBe(true);
    if (before.ok && after.ok) expect(stable(after.state)).toEqual(stable(before.state));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await api(server.url, "/api/health")).status).toBe(200);
  });

  it("answers a deeply nested payload sent over a raw websocket", async () => {
    // socket.io-client itself cannot encode 30,000 levels, so speak engine.io by hand.
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    const next = (test: (frame: string) => boolean) =>
      new Promise<string>((resolve) => {
        const found = frames.find(test);
        if (found) return resolve(found);
        socket.addEventListener("message", function listen(message) {
          if (test(String(message.data))) {
            socket.removeEventListener("message", listen);
            resolve(String(message.data));
          }
        });
      });
    socket.addEventListener("message", (message) => {
      frames.push(String(message.data));
      if (message.data === "2") socket.send("3");
    });
    await next((f) => f.startsWith("0{"));
    socket.send(`40${JSON.stringify({ token: conference.chairToken })}`);
    await next((f) => f.startsWith('42["state"'));
    const depth = 30_000;
    socket.send(`421["command",{"type":"agenda.add","title":${"[".repeat(depth)}${"]".repeat(depth)}}]`);
    const ack = JSON.parse((await next((f) => f.startsWith("431"))).slice(3));
    expect(ack[0]).toMatchObject({ ok: false, error: { code: "invalid" } });
    socket.close();
    expect((await chair.command({ type: "speakers.setLimit", seconds: 120 })).ok).toBe(true);
  });

  it("survives commands without an ack, and a message over the size limit only costs that socket", async () => {
    chair.socket.emit("command", { type: "agenda.nope" });
    chair.socket.emit("command", { type: "agenda.add", title: "no ack" });
    const reckless = await TestClient.connect(server.url, conference.chairToken);
    const closed = new Promise((resolve) => reckless.socket.on("disconnect", resolve));
    reckless.socket.emit("command", { type: "agenda.add", title: "y".repeat(200_000) });
    await closed;
    const ack = await chair.command({ type: "agenda.add", title: "still here" });
    expect(ack.ok).toBe(true);
    const state = await chair.sync();
    expect(state.ok && state.state.agenda.map((i) => i.title)).toEqual(["Khai mạc", "no ack", "still here"]);
  });

  it("answers malformed REST bodies with 400, 401, 404 or 413 and never crashes", async () => {
    const delegate = await addParticipant(server.url, conference, { name: "Đại biểu", role: "delegate" });
    const bodies: unknown[] = [
      null, 1, "s", [], {}, { title: 5 }, { title: "" }, { title: HUGE }, { title: "t", extra: 1 },
      { title: "t", language: "fr" }, { title: "t", startsAt: "yesterday" }, deep(3000),
      JSON.parse('{"title":"t","__proto__":{"polluted":true}}'),
    ];
    for (const body of bodies) {
      const created = await api(server.url, "/api/conferences", { body });
      expect(created.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(created.body.error.code).toBe("invalid");
    }
    const participantBodies: unknown[] = [
      {}, { name: "x" }, { name: "x", role: "admin" }, { name: 1, role: "delegate" }, { name: "x", role: "delegate", attendance: "moon" },
      { name: "x".repeat(121), role: "delegate" }, { name: "x", role: "delegate", token: "mine" },
    ];
    for (const body of participantBodies) {
      const added = await api(server.url, `/api/conferences/${conference.id}/participants`, { body, token: conference.chairToken });
      expect(added.status).toBe(400);
    }
    const joinBodies: unknown[] = [{}, { joinCode: conference.joinCode }, { joinCode: 5, name: "x", attendance: "hall" }, { joinCode: "x".repeat(100), name: "x", attendance: "hall" }];
    for (const body of joinBodies) {
      expect((await api(server.url, `/api/conferences/${conference.id}/join`, { body })).status).toBe(400);
    }
    expect((await api(server.url, "/api/conferences", { rawBody: '{"title":' })).status).toBe(400);
    expect((await api(server.url, "/api/conferences", { rawBody: JSON.stringify({ title: "z".repeat(100_000) }) })).status).toBe(413);
    expect((await api(server.url, `/api/conferences/${conference.id}/participants`, { body: { name: "x", role: "delegate" }, token: delegate.token })).status).toBe(403);
    expect((await api(server.url, `/api/conferences/${conference.id}/participants`, { body: { name: "x", role: "delegate" }, token: "forged" })).status).toBe(401);
    expect((await api(server.url, "/api/conferences/nope/participants", { body: { name: "x", role: "delegate" }, token: conference.chairToken })).status).toBe(404);
    expect((await api(server.url, "/api/nope")).status).toBe(404);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await api(server.url, "/api/health")).body).toEqual({ ok: true });
  });

  it("tells browsers to run only the server's own scripts", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("keeps script tags as plain text in names, titles and notes", async () => {
    const script = "<script>alert('x')</script>";
    const item = await chair.must({ type: "agenda.add", title: script, presenter: script });
    const state = await chair.sync();
    const stored = state.ok && state.state.agenda.find((i) => i.id === item.id);
    expect(stored && stored.title).toBe(script);
  });
});
