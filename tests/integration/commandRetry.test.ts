/**
 * A command sent again with the same `commandId` (its ack lost with a connection) is applied once
 * and answered with the first ack: at once, while the first is still being stored, and after a
 * restart of the server. The web client sends it again by itself once reconnected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConferenceConnection } from "../../client/src/live/ConferenceConnection.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

describe("commands sent again with their commandId", () => {
  let server: TestServer;
  let conference: Conference;
  let chair: TestClient;

  beforeAll(async () => {
    server = await startServer();
    conference = await createConference(server.url);
    chair = await TestClient.connect(server.url, conference.chairToken);
  });

  afterAll(async () => {
    chair.close();
    await server.dispose();
  });

  const items = () => chair.sync().then((s) => (s.ok ? s.state.agenda.map((a) => a.title) : []));

  it("are applied once, and every sending gets the first ack", async () => {
    const command = { type: "agenda.add", title: "Một lần", commandId: "retry-0000000001" };
    // Twice at once (the second while the first is being stored), then once more.
    const [a, b] = await Promise.all([chair.command(command), chair.command(command)]);
    const c = await chair.command(command);
    expect(a).toMatchObject({ ok: true });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect((await items()).filter((t) => t === "Một lần")).toHaveLength(1);
    // Without a commandId nothing is deduplicated.
    await chair.must({ type: "agenda.add", title: "Hai lần" });
    await chair.must({ type: "agenda.add", title: "Hai lần" });
    expect((await items()).filter((t) => t === "Hai lần")).toHaveLength(2);
  });

  it("are keyed per participant, and a malformed id is refused", async () => {
    const secretary = await addParticipant(server.url, conference, { name: "Thư ký", role: "secretary" });
    const other = await TestClient.connect(server.url, secretary.token);
    try {
      const mine = await chair.command({ type: "agenda.add", title: "Của chủ trì", commandId: "shared-id-000001" });
      const theirs = await other.command({ type: "agenda.add", title: "Của thư ký", commandId: "shared-id-000001" });
      expect(theirs).toMatchObject({ ok: true });
      expect(theirs).not.toEqual(mine);
      expect(await other.command({ type: "agenda.add", title: "x", commandId: "bad id!" })).toMatchObject({ ok: false, error: { code: "invalid" } });
      expect(await other.command({ type: "agenda.add", title: "x", commandId: 42 })).toMatchObject({ ok: false, error: { code: "invalid" } });
    } finally {
      other.close();
    }
  });

  it("are answered with the first ack after a restart of the server", async () => {
    const command = { type: "speakers.request", kind: "speech", commandId: "after-restart-01" };
    const first = await chair.command(command);
    expect(first).toMatchObject({ ok: true });
    chair.close();
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });
    chair = await TestClient.connect(server.url, conference.chairToken);
    expect(await chair.command(command)).toEqual(first);
    const state = await chair.sync();
    expect(state.ok && state.state.speakers.queue).toHaveLength(1);
  });

  it("the web client sends a command again after its connection dropped before the ack, and it is applied once", async () => {
    let cut = false;
    server.server.io.on("connection", (socket) => {
      socket.use(([event, payload], next) => {
        next();
        // The command is in the server's hands; the connection goes before its ack can.
        if (!cut && event === "command" && (payload as { title?: string })?.title === "Mất kết nối") {
          cut = true;
          socket.conn.close();
        }
      });
    });
    const connection = new ConferenceConnection(conference.chairToken, server.url);
    try {
      await new Promise<void>((resolve) => {
        const check = () => connection.getState().status === "online" && resolve();
        connection.subscribe(check);
        check();
      });
      const ack = await connection.send({ type: "agenda.add", title: "Mất kết nối" });
      expect(cut).toBe(true);
      expect(ack).toMatchObject({ ok: true });
      expect((await items()).filter((t) => t === "Mất kết nối")).toHaveLength(1);
    } finally {
      connection.close();
    }
  });
});
