import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { PROTOCOL_VERSION } from "../../shared/socketEvents.ts";
import { connectOutcome } from "../support/integration.ts";
import { createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

describe("the protocol version on the wire", () => {
  let server: TestServer;
  let conference: Conference;
  beforeAll(async () => {
    server = await startServer();
    conference = await createConference(server.url, { title: "Phiên bản" });
  });
  afterAll(() => server.dispose());

  it("serves clients of its own version and those that send none, and says its version in the snapshot", async () => {
    expect(await connectOutcome(server.url, { token: conference.chairToken, protocol: PROTOCOL_VERSION })).toBe("connected");
    expect(await connectOutcome(server.url, { token: conference.chairToken })).toBe("connected");
    const chair = await TestClient.connect(server.url, conference.chairToken);
    expect(chair.snapshot!.protocolVersion).toBe(PROTOCOL_VERSION);
    chair.close();
  });

  it("refuses a client of another version with a typed error that names the server's", async () => {
    const socket = connect(server.url, {
      auth: { token: conference.chairToken, protocol: PROTOCOL_VERSION + 1 },
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    const error = await new Promise<Error & { data?: unknown }>((resolve) => socket.on("connect_error", resolve));
    socket.disconnect();
    expect(error.message).toBe("incompatible_protocol");
    expect(error.data).toEqual({ protocolVersion: PROTOCOL_VERSION });
  });
});
