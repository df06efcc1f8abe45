import { inflateRawSync } from "node:zlib";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_ENCODING, type CompressedSnapshot } from "../../shared/socketEvents.ts";
import type { Snapshot } from "../../shared/view.ts";
import { ConferenceConnection } from "../../client/src/live/ConferenceConnection.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** The first message of a fresh socket with this handshake: `state` or `compressedState`. */
function firstSnapshot(url: string, auth: Record<string, unknown>): Promise<{ kind: "state"; snapshot: Snapshot } | { kind: "compressed"; parts: CompressedSnapshot }> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth, transports: ["websocket"], forceNew: true, reconnection: false });
    socket.once("state", (snapshot: Snapshot) => {
      socket.disconnect();
      resolve({ kind: "state", snapshot });
    });
    socket.once("compressedState", (parts: CompressedSnapshot) => {
      socket.disconnect();
      resolve({ kind: "compressed", parts });
    });
    socket.once("connect_error", reject);
  });
}

const withoutTime = ({ serverTime: _t, ...rest }: Snapshot) => rest;

describe("the snapshot on connect, compressed for clients that ask", () => {
  let server: TestServer;
  let conference: Conference;
  let delegate: { id: string; token: string };
  let chair: TestClient;

  beforeAll(async () => {
    server = await startServer();
    conference = await createConference(server.url);
    chair = await TestClient.connect(server.url, conference.chairToken);
    delegate = await addParticipant(server.url, conference, { name: "Đại biểu Nén", role: "delegate" });
    for (let i = 0; i < 40; i++) await addParticipant(server.url, conference, { name: `Đại biểu ${i}`, role: "delegate" });
    const poll = await chair.must({ type: "polls.create", question: "Thành lập cụm?" });
    await chair.must({ type: "polls.open", pollId: poll.id });
  });

  afterAll(async () => {
    chair.close();
    await server.dispose();
  });

  it("inflates to exactly the snapshot a plain client gets, in a fraction of the bytes", async () => {
    const plain = await firstSnapshot(server.url, { token: delegate.token });
    const packed = await firstSnapshot(server.url, { token: delegate.token, snapshot: SNAPSHOT_ENCODING });
    expect(plain.kind).toBe("state");
    expect(packed.kind).toBe("compressed");
    if (plain.kind !== "state" || packed.kind !== "compressed") return;
    const bytes = Buffer.from(packed.parts.common as Uint8Array);
    const snapshot = { ...JSON.parse(inflateRawSync(bytes).toString("utf8")), ...packed.parts.own } as Snapshot;
    expect(withoutTime(snapshot)).toEqual(withoutTime(plain.snapshot));
    expect(snapshot.me.id).toBe(delegate.id);
    // The viewer's own fields are not in the shared part: another delegate gets the same bytes.
    expect(packed.parts.own.polls[0]!.voters).toEqual([]);
    expect(bytes.length).toBeLessThan(JSON.stringify(plain.snapshot).length / 4);
  });

  it("a client that does not ask gets `state` as the contract says", async () => {
    expect((await firstSnapshot(server.url, { token: conference.chairToken })).kind).toBe("state");
  });

  it("the web client's connection takes it compressed and folds the events that follow", async () => {
    const connection = new ConferenceConnection(delegate.token, server.url);
    try {
      await new Promise<void>((resolve) => {
        const check = () => connection.getState().status === "online" && resolve();
        connection.subscribe(check);
        check();
      });
      expect(connection.getState().me?.id).toBe(delegate.id);
      const ack = await chair.must({ type: "agenda.add", title: "Sau khi nén" });
      await new Promise<void>((resolve) => {
        const check = () => (connection.getState().conference?.seq ?? 0) >= ack.seq && resolve();
        connection.subscribe(check);
        check();
      });
      expect(connection.getState().conference!.agenda.map((a) => a.title)).toContain("Sau khi nén");
    } finally {
      connection.close();
    }
  });
});
