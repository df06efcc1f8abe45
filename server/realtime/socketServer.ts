import type { Server as HttpServer } from "node:http";
import { deflateRawSync } from "node:zlib";
import { Server, type Socket } from "socket.io";
import { commandSchema } from "../../shared/commands.ts";
import type { WireEvent } from "../../shared/events.ts";
import { isPresent } from "../../shared/domain/index.ts";
import { LIMITS } from "../../shared/limits.ts";
import { ConnectRefusal } from "../../shared/errors.ts";
import {
  PROTOCOL_VERSION,
  SNAPSHOT_ENCODING,
  type Ack,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
  type SyncAck,
} from "../../shared/socketEvents.ts";
import { describeIssues, PAYLOAD_SHAPE, withinShape } from "../../shared/validation.ts";
import { seesBallots } from "../../shared/roles.ts";
import { commonSnapshot, presentEvent, presentSnapshot, presentToFollowers, viewerSnapshot } from "../../shared/view.ts";
import type { ConferenceState } from "../../shared/state.ts";
import type { ConferenceRegistry, ConferenceView } from "../conferences/ConferenceRegistry.ts";
import type { PresenceChange } from "../../shared/events.ts";
import { LOST } from "../conferences/ConferenceRoom.ts";
import type { ClientAddressOf } from "../http/clientAddress.ts";
import type { LimitStore } from "../http/limits.ts";
import { unsentBytes } from "./backpressure.ts";
import { SECURITY_HEADERS } from "../http/securityHeaders.ts";
import { PresenceTracker } from "./presence.ts";

interface SocketData {
  conferenceId: string;
  participantId: string;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A command's retry id, as clients make them (a UUID fits). */
const COMMAND_ID = /^[A-Za-z0-9_-]{8,64}$/;
const COMMAND_TYPES = new Set(commandSchema.options.map((option) => option.shape.type.value));
const roomName = (conferenceId: string) => `conference:${conferenceId}`;
/** The conference's sockets that see who voted how in named polls. */
const ballotsRoomName = (conferenceId: string) => `conference:${conferenceId}:ballots`;
/** One participant's sockets (to disconnect them when their token or role changes). */
const participantRoomName = (conferenceId: string, participantId: string) => `conference:${conferenceId}:participant:${participantId}`;

/** Who is online: this server's own connections (`PresenceTracker`), or a cluster's. */
export interface Presence {
  connect(conferenceId: string, participantId: string): void;
  disconnect(conferenceId: string, participantId: string): void;
  /** Who is online as last sent to the conference's clients (see `PresenceTracker.sent`). */
  sent(conferenceId: string): { online: ReadonlySet<string>; version: number };
  stop(): void;
}

export interface RealtimeOptions {
  /** Commands per participant (over their connections, and a cluster's servers): burst, and refill per second. */
  commandBurst: number;
  commandsPerSecond: number;
  presenceIntervalMs: number;
  /** Time a connection has to complete Socket.IO's handshake (send its token). */
  handshakeTimeoutMs: number;
  connectionsPerToken: number;
  connectionsPerAddress: number;
  /** Unsent bytes past which a client's `sync` is refused, and past which it is disconnected. */
  socketSoftBufferBytes: number;
  socketHardBufferBytes: number;
  clientAddress: ClientAddressOf;
  /** Where the command budgets and connection caps are counted (this process, or a cluster's Redis). */
  limits: LimitStore;
  /** Called with the Socket.IO server before it serves anyone (a cluster's adapter). */
  attach?: (io: AppServer) => void;
  /** Makes the presence tracking, given how to send changes to a conference's clients (default: this server's). */
  presence?: (send: (conferenceId: string, changes: PresenceChange[]) => void) => Presence;
}

/** How often every socket's unsent buffer is checked against the hard bound. */
const BACKPRESSURE_SWEEP_MS = 1_000;

/**
 * The Socket.IO side: authenticates the token, sends the snapshot, validates each command and
 * hands it to its conference, and broadcasts what conferences have stored.
 */
export function createRealtime(httpServer: HttpServer, registry: ConferenceRegistry, options: RealtimeOptions) {
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: LIMITS.payloadBytes,
    // The minutes' websocket shares the port; engine.io must leave its upgrades alone.
    destroyUpgrade: false,
    connectTimeout: options.handshakeTimeoutMs,
  });
  options.attach?.(io);
  // Polling answers come from engine.io, not Express: they carry the same headers.
  io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, SECURITY_HEADERS));
  const perToken = options.limits.caps("socket-token");
  const perAddress = options.limits.caps("socket-address");
  // Per participant, however many connections (and servers) they use: sync and clock draw on it too.
  const commands = options.limits.budget("commands", options.commandBurst, options.commandsPerSecond);
  const send = (conferenceId: string, changes: PresenceChange[]) => void io.to(roomName(conferenceId)).emit("presence", changes);
  const presence: Presence = options.presence?.(send) ?? new PresenceTracker(options.presenceIntervalMs, send);

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as Partial<Record<keyof HandshakeAuth, unknown>> | undefined;
    if (auth?.protocol !== undefined && auth.protocol !== PROTOCOL_VERSION) {
      return next(Object.assign(new Error(ConnectRefusal.incompatibleProtocol), { data: { protocolVersion: PROTOCOL_VERSION } }));
    }
    // Its conference is loaded (or taken over, in a cluster) if it is not here yet.
    let identity;
    try {
      identity = await registry.locate(auth?.token);
    } catch (error) {
      console.error("a connection's token could not be looked up:", (error as Error).message);
      return next(new Error(ConnectRefusal.rateLimited));
    }
    if (!identity) return next(new Error(ConnectRefusal.unauthorized));
    const address = options.clientAddress(socket.request);
    const holder = `${identity.room.id}/${identity.participant.id}`;
    if (!(await perAddress.tryOpen(address, options.connectionsPerAddress))) return next(new Error(ConnectRefusal.rateLimited));
    if (!(await perToken.tryOpen(holder, options.connectionsPerToken))) {
      perAddress.close(address);
      return next(new Error(ConnectRefusal.rateLimited));
    }
    const uncount = () => {
      perAddress.close(address);
      perToken.close(holder);
    };
    // Gone while it was being counted: its close has passed already.
    if (socket.conn.readyState === "closed") {
      uncount();
      return next(new Error(ConnectRefusal.rateLimited));
    }
    socket.conn.once("close", uncount);
    socket.data = { conferenceId: identity.room.id, participantId: identity.participant.id };
    next();
  });

  // A client that does not read what it is sent is cut off before its queue costs the server
  // memory; it catches up with a fresh snapshot when it reconnects.
  const sweep = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      if (unsentBytes(socket) > options.socketHardBufferBytes) socket.disconnect(true);
    }
  }, BACKPRESSURE_SWEEP_MS);
  sweep.unref();

  io.on("connection", (socket) => {
    const room = registry.view(socket.data.conferenceId);
    const { participantId } = socket.data;
    // Its token was revoked between the handshake and now (or its conference unloaded).
    if (!room || registry.authenticate((socket.handshake.auth as { token?: unknown } | undefined)?.token)?.participant.id !== participantId) {
      return void socket.disconnect(true);
    }
    const release = registry.use(room.id);
    const limiter = { take: () => commands.take(`${room.id}/${participantId}`) };
    presence.connect(room.id, participantId);
    // The snapshot (which may broadcast the room's pending turnout first), then joining and
    // sending it in one turn: no broadcast can fall between them.
    const state = room.latest();
    socket.join([roomName(room.id), participantRoomName(room.id, participantId)]);
    if (seesBallots(room.participant(participantId)!.role)) socket.join(ballotsRoomName(room.id));
    sendSnapshot(socket, room, state);
    if (!isPresent(room.participant(participantId)!)) void room.recordArrival(participantId);

    socket.on("command", async (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => undefined;
      if (!(await limiter.take())) {
        return reply({ ok: false, error: { code: "rate_limited", message: "too many commands; slow down" } });
      }
      // The conference may have changed hands (a takeover) since the socket connected.
      const room = registry.view(socket.data.conferenceId);
      if (!room) return reply({ ok: false, error: { code: "unavailable", message: "the conference is not served here now" } });
      handleCommand(room, participantId, payload)
        .then((ack) => {
          // Refused unstored because another server took the conference over meanwhile: it goes there.
          const now = registry.view(room.id);
          return !ack.ok && ack.error === LOST && now && now !== room ? handleCommand(now, participantId, payload) : ack;
        })
        .then(reply, (error: unknown) => {
          console.error(`conference ${room.id}: a command could not be handled:`, (error as Error)?.message);
          reply({ ok: false, error: { code: "unavailable", message: "the server could not handle the command" } });
        });
    });

    socket.on("sync", async (ack) => {
      if (typeof ack !== "function") return;
      let answer: SyncAck;
      const unread = () => unsentBytes(socket) > options.socketSoftBufferBytes;
      // It has not read the last answers yet: another snapshot would only pile up.
      const pilingUp = { ok: false, error: { code: "rate_limited", message: "read what was sent first" } } as const;
      if (unread()) {
        answer = pilingUp;
      } else if (!(await limiter.take())) {
        // A snapshot costs far more than a command: it shares the same allowance.
        answer = { ok: false, error: { code: "rate_limited", message: "too many requests; slow down" } };
      } else if (unread()) {
        // Asked again: the answers to the requests just before may have gone out meanwhile.
        answer = pilingUp;
      } else {
        answer = { ok: true, state: snapshotFor(registry.view(socket.data.conferenceId) ?? room, participantId) };
      }
      ack(answer);
    });

    // The client's clock offset, measured on each connect: a few bytes rather than a second snapshot.
    socket.on("clock", async (ack) => {
      if (typeof ack !== "function") return;
      if (!(await limiter.take())) return ack({ ok: false, error: { code: "rate_limited", message: "too many requests; slow down" } });
      ack({ ok: true, serverTime: Date.now() });
    });

    socket.on("disconnect", () => {
      presence.disconnect(room.id, participantId);
      release();
    });
  });

  /**
   * A snapshot of `state` (by default the latest, which may broadcast the room's pending turnout
   * first), in the encoding the client asked for, sent in the same turn.
   */
  function sendSnapshot(socket: AppSocket, room: ConferenceView, state = room.latest()) {
    const { participantId } = socket.data;
    const common = commonEncoding(room.id, state);
    const own = viewerSnapshot(state, room.participant(participantId)!, Date.now());
    if ((socket.handshake.auth as Partial<HandshakeAuth> | undefined)?.snapshot === SNAPSHOT_ENCODING) {
      // Compressed once per state and presence, like the encoding: a tenth of the bytes on the hall's Wi-Fi.
      socket.emit("compressedState", { common: (common.deflated ??= deflateRawSync(common.json)), own });
    } else {
      // Encoded as `socket.emit("state", snapshot)` would be (a Socket.IO event packet), the
      // common JSON and the viewer's own fields spliced into one object.
      socket.client._packet(`2["state",${common.json.slice(0, -1)},${JSON.stringify(own).slice(1)}]` as never, { preEncoded: true });
    }
  }

  function snapshotFor(room: ConferenceView, participantId: string) {
    const viewer = room.participant(participantId)!;
    return presentSnapshot(room.latest(), viewer, presence.sent(room.id).online, Date.now());
  }

  /**
   * What every participant's snapshot holds alike (the roster, most of it) as JSON, encoded once
   * per state and presence sent and shared by a hall of phones connecting at once, each adding only
   * its own fields (`viewerSnapshot`); compressed, once too, for those that ask. Without it each
   * connection built and encoded the whole roster, and the server's memory kept the high-water mark
   * of those copies.
   */
  const commonEncodings = new WeakMap<ConferenceState, { version: number; json: string; deflated?: Buffer }>();
  function commonEncoding(conferenceId: string, state: ConferenceState) {
    const { online, version } = presence.sent(conferenceId);
    let common = commonEncodings.get(state);
    if (!common || common.version !== version) {
      common = { version, json: JSON.stringify(commonSnapshot(state, online)) };
      commonEncodings.set(state, common);
    }
    return common;
  }

  /**
   * Sends each stored event once to everyone, or in two versions where a role may not see all of
   * it; a poll's opening and votes in a common version without voter keys, and to each participant
   * who follows a key in it, their own (`presentToFollowers`).
   */
  function broadcast(room: ConferenceView, events: WireEvent[], owned: boolean) {
    // A replica's events reached this server's clients from their owner, through the adapter.
    if (!owned) return;
    const everyone = roomName(room.id);
    const ballots = ballotsRoomName(room.id);
    const state = room.published;
    const votesCastAfter = votesCastAfterEach(state, events);
    events.forEach((event, i) => {
      const full = presentEvent(event, "chair");
      const restricted = presentEvent(full, "delegate");
      const poll = "pollId" in event.data ? state.polls.find((p) => p.id === (event.data as { pollId: string }).pollId) : undefined;
      const followed = poll ? presentToFollowers(restricted as WireEvent, state, poll, votesCastAfter[i] ?? poll.votesCast) : null;
      if (followed) {
        io.to(ballots).emit("event", full);
        const personal = [...followed.personal.keys()].map((id) => participantRoomName(room.id, id));
        io.to(everyone).except([ballots, ...personal]).emit("event", followed.common);
        for (const [participantId, own] of followed.personal) io.to(participantRoomName(room.id, participantId)).except(ballots).emit("event", own);
      } else if (restricted === full) {
        io.to(everyone).emit("event", full);
      } else {
        io.to(ballots).emit("event", full);
        io.to(everyone).except(ballots).emit("event", restricted);
      }
    });
  }
  const unsubscribe = registry.subscribe(broadcast);
  // A conference whose state here was replaced at once (taken over, or a replica that missed a
  // batch): its clients here get a fresh snapshot, since the events in between reach nobody.
  const unsubscribeReplaced = registry.subscribeReplaced((conferenceId) => {
    const room = registry.view(conferenceId);
    if (!room) return;
    for (const socket of io.sockets.sockets.values()) {
      if (socket.data.conferenceId === conferenceId && room.participant(socket.data.participantId)) sendSnapshot(socket, room);
    }
  });
  // A revoked token's sockets are disconnected: reconnecting, the client gets `connect_error`
  // "unauthorized" (the web client shows its invalid-link page). After a change of role they are
  // disconnected too, and reconnect to the snapshot, rooms and commands of the new role.
  const unsubscribeAccess = registry.subscribeAccess((room, participantId) => {
    io.in(participantRoomName(room.id, participantId)).disconnectSockets(true);
  });

  /** Stops what runs on its own: the backpressure sweep, presence, the broadcasts. */
  function stop() {
    clearInterval(sweep);
    presence.stop();
    unsubscribe();
    unsubscribeReplaced();
    unsubscribeAccess();
  }

  return { io, stop };
}

/** For each vote event of a batch, its poll's count of votes once it is folded (from the state after the batch). */
function votesCastAfterEach(state: ConferenceState, events: readonly WireEvent[]): (number | undefined)[] {
  const remaining = new Map<string, number>();
  const after: (number | undefined)[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type !== "poll.votes_cast") continue;
    const { pollId, ballots } = event.data;
    const count = remaining.get(pollId) ?? state.polls.find((p) => p.id === pollId)?.votesCast ?? 0;
    after[i] = count;
    remaining.set(pollId, count - ballots.length);
  }
  return after;
}

async function handleCommand(room: ConferenceView, participantId: string, payload: unknown): Promise<Ack> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { ok: false, error: { code: "invalid", message: "a command is an object with a type" } };
  }
  // Before anything walks it (zod, an error message): a hostile payload may nest 100,000 deep.
  if (!withinShape(payload)) {
    return {
      ok: false,
      error: { code: "invalid", message: `a command nests at most ${PAYLOAD_SHAPE.maxDepth} levels and holds ${PAYLOAD_SHAPE.maxNodes} values` },
    };
  }
  // Extension: a client-made id that makes a retry safe (the ConferenceRoom answers it with the first ack).
  const { commandId, ...command } = payload as { commandId?: unknown };
  if (commandId !== undefined && (typeof commandId !== "string" || !COMMAND_ID.test(commandId))) {
    return { ok: false, error: { code: "invalid", message: "commandId: 8 to 64 letters, digits, - or _" } };
  }
  payload = command;
  const type = (payload as { type?: unknown }).type;
  if (typeof type !== "string") return { ok: false, error: { code: "invalid", message: "type: a command type is a string" } };
  if (!COMMAND_TYPES.has(type as never)) {
    return { ok: false, error: { code: "invalid", message: `unknown command type ${JSON.stringify(type.slice(0, 60))}` } };
  }
  const parsed = commandSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: "invalid", message: describeIssues(parsed.error) } };
  const actor = room.participant(participantId);
  if (!actor) return { ok: false, error: { code: "unauthorized", message: "unknown participant" } };
  try {
    return await room.execute(parsed.data, { participantId, role: actor.role }, commandId as string | undefined);
  } catch (error) {
    console.error(`conference ${room.id}: command ${type} failed:`, error);
    return { ok: false, error: { code: "unavailable", message: "the server could not apply the command" } };
  }
}
