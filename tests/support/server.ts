import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { arrivalsOf } from "../../shared/domain/index.ts";
import type { WireEvent } from "../../shared/events.ts";
import type { Ack, ClientToServerEvents, ServerToClientEvents, SyncAck } from "../../shared/socketEvents.ts";
import { applyPresence, type Snapshot } from "../../shared/view.ts";
import { createGiaoBanServer, type GiaoBanServer, type ServerOptions } from "../../server/app.ts";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  server: GiaoBanServer;
  url: string;
  dataDir: string;
  /** Stops the server, keeping the data directory. */
  stop(): Promise<void>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/** Generous limits so suites are not throttled, unless a test asks for the real ones. */
export const RELAXED_LIMITS: ServerOptions["limits"] = {
  createBurst: 10_000,
  createPerSecond: 10_000,
  joinFailureBurst: 10_000,
  joinFailurePerSecond: 10_000,
  commandBurst: 10_000,
  commandsPerSecond: 10_000,
  presenceIntervalMs: 20,
};

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "giaoban-test-"));
}

/** The real server on an ephemeral port with a temporary (or given) data directory. */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const server = await createGiaoBanServer({ serveClient: false, limits: RELAXED_LIMITS, ...options, dataDir });
  const port = await server.listen(0, "127.0.0.1");
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    stop,
    async dispose() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function api<T = any>(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string | Uint8Array; contentType?: string } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined && init.rawBody === undefined ? "GET" : "POST"),
    headers: {
      "content-type": init.contentType ?? "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: (init.rawBody as BodyInit | undefined) ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

export interface Conference {
  id: string;
  chairToken: string;
  joinCode: string;
}

export async function createConference(url: string, body: Record<string, unknown> = {}): Promise<Conference> {
  const { status, body: created } = await api<Conference>(url, "/api/conferences", {
    body: { title: "Hội nghị giao ban", ...body },
  });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(created)}`);
  return created;
}

/**
 * The chair shares the draft minutes (v1.1 \`minutes.share\`), so that every role may read them:
 * for the tests whose readers connect to the minutes' websocket.
 */
export async function shareMinutes(url: string, conference: Conference): Promise<void> {
  const chair = await TestClient.connect(url, conference.chairToken);
  try {
    await chair.must({ type: "minutes.share", shared: true });
  } finally {
    chair.close();
  }
}

export async function addParticipant(
  url: string,
  conference: Conference,
  body: { name: string; role: string; organisation?: string; organisationId?: string; attendance?: string; representative?: boolean },
): Promise<{ id: string; token: string; url: string }> {
  const { status, body: added } = await api(url, `/api/conferences/${conference.id}/participants`, {
    token: conference.chairToken,
    body,
  });
  if (status !== 201) throw new Error(`add failed: ${status} ${JSON.stringify(added)}`);
  return added;
}

/**
 * A connected participant: a real socket.io-client that keeps every event it receives, with
 * helpers to send commands and to wait for events (never for a fixed time).
 */
export class TestClient {
  readonly socket: ClientSocket;
  readonly events: WireEvent[] = [];
  snapshot: Snapshot | null = null;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: ClientSocket) {
    this.socket = socket;
    socket.on("state", (snapshot) => {
      this.snapshot = snapshot;
      this.#notify();
    });
    socket.on("event", (event) => {
      this.events.push(event);
      this.#notify();
    });
    // Who is online, kept in the snapshot's participants as the web client keeps it.
    socket.on("presence", (changes) => {
      if (!this.snapshot) return;
      this.snapshot = applyPresence(this.snapshot, changes);
      this.#notify();
    });
  }

  /**
   * Connects and waits for the snapshot, and on a participant's first connection (or their first
   * since they were marked gone) also for the event that checks them in, so that a test's own seq arithmetic starts from a settled state.
   */
  static async connect(url: string, token: string): Promise<TestClient> {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ["websocket"], forceNew: true, reconnection: false });
    const client = new TestClient(socket);
    await client.waitFor(() => client.snapshot !== null);
    const me = client.snapshot!.participants.find((p) => p.id === client.snapshot!.me.id);
    // A first connection checks them in; so does a connection after they were marked gone.
    if (me?.checkedInAt == null || me.leftAt != null) {
      await client.waitFor(() =>
        client.events.some((e) => arrivalsOf(e)?.some((a) => a.participantId === me?.id)),
      );
    }
    return client;
  }

  command(command: Record<string, unknown>): Promise<Ack> {
    return this.socket.timeout(20_000).emitWithAck("command", command);
  }

  /** Sends a command and fails the test unless it is accepted. */
  async must(command: Record<string, unknown>): Promise<Extract<Ack, { ok: true }>> {
    const ack = await this.command(command);
    if (!ack.ok) throw new Error(`${String(command.type)} refused: ${ack.error.code} ${ack.error.message}`);
    return ack;
  }

  sync(): Promise<SyncAck> {
    return this.socket.timeout(20_000).emitWithAck("sync");
  }

  /** Resolves when `condition` holds, checked after each message received. */
  waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error("timed out waiting for a condition"));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** Waits for the event with this seq (or any later one) to arrive. */
  waitForSeq(seq: number): Promise<void> {
    return this.waitFor(() => this.events.some((e) => e.seq >= seq));
  }

  close(): void {
    this.socket.disconnect();
  }

  #notify() {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
