import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { commandSchema } from "../../shared/commands.ts";
import type { WireEvent } from "../../shared/events.ts";
import { LIMITS } from "../../shared/limits.ts";
import type { Ack, ClientToServerEvents, ServerToClientEvents, SyncAck } from "../../shared/socketEvents.ts";
import { describeIssues } from "../../shared/validation.ts";
import { seesBallots } from "../../shared/roles.ts";
import { eventForRole, presentSnapshot } from "../../shared/view.ts";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import type { ConferenceRoom } from "../conferences/ConferenceRoom.ts";
import { RateLimiter } from "../http/rateLimit.ts";
import { PresenceTracker } from "./presence.ts";

interface SocketData {
  conferenceId: string;
  participantId: string;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const COMMAND_TYPES = new Set(commandSchema.options.map((option) => option.shape.type.value));
const roomName = (conferenceId: string) => `conference:${conferenceId}`;
/** The conference's sockets that see who voted how in named polls. */
const ballotsRoomName = (conferenceId: string) => `conference:${conferenceId}:ballots`;

export interface RealtimeOptions {
  /** Commands per socket: burst, and refill per second. */
  commandBurst: number;
  commandsPerSecond: number;
  presenceIntervalMs: number;
}

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
  });
  const presence = new PresenceTracker(options.presenceIntervalMs, (conferenceId, changes) => {
    io.to(roomName(conferenceId)).emit("presence", changes);
  });

  io.use((socket, next) => {
    const identity = registry.authenticate((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!identity) return next(new Error("unauthorized"));
    socket.data = { conferenceId: identity.room.id, participantId: identity.participant.id };
    next();
  });

  io.on("connection", (socket) => {
    const room = registry.get(socket.data.conferenceId)!;
    const { participantId } = socket.data;
    const limiter = new RateLimiter(options.commandBurst, options.commandsPerSecond);
    presence.connect(room.id, participantId);
    // Joining and sending the snapshot in one turn: no broadcast can fall between them.
    socket.join(roomName(room.id));
    if (seesBallots(room.participant(participantId)!.role)) socket.join(ballotsRoomName(room.id));
    socket.emit("state", snapshotFor(room, participantId));
    if (room.participant(participantId)!.checkedInAt == null) void room.recordArrival(participantId);

    socket.on("command", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => undefined;
      if (!limiter.take("command")) {
        return reply({ ok: false, error: { code: "rate_limited", message: "too many commands; slow down" } });
      }
      void handleCommand(room, participantId, payload).then(reply);
    });

    socket.on("sync", (ack) => {
      if (typeof ack !== "function") return;
      // A snapshot costs far more than a command: it shares the same allowance.
      const answer: SyncAck = limiter.take("command")
        ? { ok: true, state: snapshotFor(room, participantId) }
        : { ok: false, error: { code: "rate_limited", message: "too many requests; slow down" } };
      ack(answer);
    });

    socket.on("disconnect", () => presence.disconnect(room.id, participantId));
  });

  function snapshotFor(room: ConferenceRoom, participantId: string) {
    const viewer = room.participant(participantId)!;
    return presentSnapshot(room.published, viewer, presence.online(room.id), Date.now());
  }

  /** Sends each event once to everyone, or in two versions where a role may not see all of it. */
  function broadcast(room: ConferenceRoom, events: WireEvent[]) {
    const everyone = roomName(room.id);
    const ballots = ballotsRoomName(room.id);
    for (const event of events) {
      const restricted = eventForRole(event, "delegate");
      if (restricted === event) {
        io.to(everyone).emit("event", event);
      } else {
        io.to(ballots).emit("event", event);
        io.to(everyone).except(ballots).emit("event", restricted);
      }
    }
  }

  return { io, broadcast, presence };
}

async function handleCommand(room: ConferenceRoom, participantId: string, payload: unknown): Promise<Ack> {
  const type = (payload as { type?: unknown } | null)?.type;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { ok: false, error: { code: "invalid", message: "a command is an object with a type" } };
  }
  if (typeof type !== "string" || !COMMAND_TYPES.has(type as never)) {
    return { ok: false, error: { code: "invalid", message: `unknown command type ${JSON.stringify(type)?.slice(0, 60)}` } };
  }
  const parsed = commandSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: "invalid", message: describeIssues(parsed.error) } };
  const actor = room.participant(participantId);
  if (!actor) return { ok: false, error: { code: "unauthorized", message: "unknown participant" } };
  try {
    return await room.execute(parsed.data, { participantId, role: actor.role });
  } catch (error) {
    console.error(`conference ${room.id}: command ${type} failed:`, error);
    return { ok: false, error: { code: "unavailable", message: "the server could not apply the command" } };
  }
}
