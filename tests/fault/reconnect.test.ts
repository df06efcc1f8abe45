import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConferenceConnection, type LiveState } from "../../client/src/live/ConferenceConnection.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { addParticipant, createConference, startServer, TestClient, type TestServer } from "../support/server.ts";

function until(connection: ConferenceConnection, condition: (state: LiveState) => boolean, timeoutMs = 20_000) {
  return new Promise<void>((resolve, reject) => {
    if (condition(connection.getState())) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out; state: ${connection.getState().status}`));
    }, timeoutMs);
    const unsubscribe = connection.subscribe(() => {
      if (!condition(connection.getState())) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** The conference without who is online this instant. */
const withoutPresence = (state: ConferenceState | null) =>
  state && { ...state, participants: state.participants.map(({ online: _o, ...p }) => p) };

describe("a client that loses its connection", () => {
  let server: TestServer;
  let chair: TestClient;
  let steady: ConferenceConnection;
  let flaky: ConferenceConnection;
  let flakyId: string;

  beforeAll(async () => {
    server = await startServer();
    const conference = await createConference(server.url);
    chair = await TestClient.connect(server.url, conference.chairToken);
    // Two devices of one delegate: what a client is sent depends on who it is (the keys it follows
    // in a poll), so "identical" compares the same viewer.
    const b = await addParticipant(server.url, conference, { name: "Chập chờn", role: "delegate" });
    flakyId = b.id;
    steady = new ConferenceConnection(b.token, server.url);
    await until(steady, (s) => s.status === "online");
    flaky = new ConferenceConnection(b.token, server.url);
    await until(flaky, (s) => s.status === "online");
  });

  afterAll(async () => {
    steady.close();
    flaky.close();
    chair.close();
    await server.dispose();
  });

  it("catches up by itself and ends identical to a client that never left", async () => {
    await chair.must({ type: "agenda.add", title: "Khai mạc" });
    await chair.must({ type: "speakers.request", kind: "speech" });
    await until(flaky, (s) => s.conference?.speakers.queue.length === 1);

    // Cut the flaky device's transport from the server side (the delegate's later socket): its
    // client sees a dropped network.
    const sockets = [...server.server.io.sockets.sockets.values()].filter((s) => s.data.participantId === flakyId);
    expect(sockets).toHaveLength(2);
    sockets.at(-1)!.conn.close();
    await until(flaky, (s) => s.status === "offline");
    expect(steady.getState().status).toBe("online");

    // The meeting goes on meanwhile.
    await chair.must({ type: "agenda.next" });
    await chair.must({ type: "speakers.grant" });
    await chair.must({ type: "speakers.request", kind: "point_of_order" });
    const poll = await chair.must({ type: "polls.create", question: "Thành lập cụm?" });
    await chair.must({ type: "polls.open", pollId: poll.id });
    const last = await chair.must({ type: "agenda.add", title: "Kết luận" });

    await until(steady, (s) => s.conference?.seq === last.seq);
    await until(flaky, (s) => s.status === "online" && s.conference?.seq === last.seq);
    expect(withoutPresence(flaky.getState().conference)).toEqual(withoutPresence(steady.getState().conference));
    expect(flaky.getState().conference?.speakers.current).not.toBeNull();
    expect(flaky.getState().conference?.polls[0]?.status).toBe("open");
  });

  it("keeps folding live events after the reconnect", async () => {
    const ack = await chair.must({ type: "speakers.finish" });
    await until(flaky, (s) => s.conference?.seq === ack.seq);
    expect(flaky.getState().conference?.speakers.current).toBeNull();
    expect(withoutPresence(flaky.getState().conference)).toEqual(withoutPresence(steady.getState().conference));
  });
});
