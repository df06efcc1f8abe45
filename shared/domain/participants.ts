import type { CommandOf, InternalCommand } from "../commands.ts";
import type { DomainEvent, ParticipantChanges } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { Actor, ConferenceState, Participant } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { takeOffTheFloor } from "./cascades.ts";

export function findParticipant(state: ConferenceState, participantId: string): Participant | undefined {
  return state.participants.find((p) => p.id === participantId);
}

/** Whether a participant is there: checked in and not marked gone since. */
export function isPresent(participant: Pick<Participant, "checkedInAt" | "leftAt">): boolean {
  return participant.checkedInAt != null && participant.leftAt == null;
}

/** The event that checks a participant in (again, after they left), unless they are there. */
function checkIn(state: ConferenceState, participantId: string, now: number): Decision {
  const participant = findMember(state, participantId);
  if (!participant) return refuse("not_found", "no such participant");
  if (isPresent(participant)) return accept([]);
  return accept([{ type: "participant.checked_in", data: { participantId, at: now } }]);
}

/** The event that marks a participant as gone; again changes nothing, never there is a conflict. */
function leave(state: ConferenceState, participantId: string, now: number): Decision {
  const participant = findMember(state, participantId);
  if (!participant) return refuse("not_found", "no such participant");
  if (participant.checkedInAt == null) return refuse("conflict", "the participant has not checked in");
  if (participant.leftAt != null) return accept([]);
  return accept([{ type: "participant.left", data: { participantId, at: now } }]);
}

export function decideParticipants(
  state: ConferenceState,
  command:
    | CommandOf<"presence.set" | "participants.checkIn" | "participants.leave">
    | Exclude<InternalCommand, { type: "conference.update" }>,
  actor: Actor | null,
  ctx: DecideContext,
): Decision {
  switch (command.type) {
    case "participants.add": {
      if (state.participants.length >= LIMITS.participants) {
        return refuse("conflict", `a conference holds at most ${LIMITS.participants} participants`);
      }
      const participant: Participant = {
        id: command.participantId,
        name: command.name,
        organisation: command.organisation,
        role: command.role,
        attendance: command.attendance,
        online: false,
        joinedAt: ctx.now,
        checkedInAt: null,
        leftAt: null,
        removedAt: null,
      };
      return accept([{ type: "participant.added", data: { participant } }], { id: participant.id });
    }
    case "participants.update":
    case "participants.remove":
    case "participants.reissueToken":
      return decideRoster(state, command, ctx.now);
    case "participants.checkIn":
    case "participants.arrived":
      return checkIn(state, command.participantId, ctx.now);
    case "participants.leave":
      return leave(state, command.participantId, ctx.now);
    case "presence.set": {
      const me = actor && findParticipant(state, actor.participantId);
      if (!me) return refuse("not_found", "unknown participant");
      if (me.attendance === command.attendance) return accept([]);
      return accept([
        { type: "participant.attendance_set", data: { participantId: me.id, attendance: command.attendance } },
      ]);
    }
  }
}

export function evolveParticipants(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `participant.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "participant.added":
      return { ...state, participants: [...state.participants, event.data.participant] };
    case "participant.checked_in":
      // Checking in again after leaving keeps when they were first there and clears `leftAt`.
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, checkedInAt: p.checkedInAt ?? event.data.at, leftAt: null } : p,
        ),
      };
    case "participant.left":
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, leftAt: event.data.at } : p,
        ),
      };
    case "participant.updated":
    case "participant.removed":
      return evolveRoster(state, event);
    case "participant.attendance_set":
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, attendance: event.data.attendance } : p,
        ),
      };
  }
}

// ---------------------------------------------------------------------------------------------
// The roster as a chair keeps it (v1.1): change, remove, re-issue a token. Server-internal
// commands: the REST routes authorise the chair.

/** Whether a chair has removed this participant (they stay in the state, for the records). */
export function isRemoved(participant: Pick<Participant, "removedAt">): boolean {
  return participant.removedAt != null;
}

/** A participant who has not been removed, or undefined. */
export function findMember(state: ConferenceState, participantId: string): Participant | undefined {
  const participant = findParticipant(state, participantId);
  return participant && !isRemoved(participant) ? participant : undefined;
}

/** The chairs there are besides `participantId` (removed ones do not count). */
function otherChairs(state: ConferenceState, participantId: string): number {
  return state.participants.filter((p) => p.role === "chair" && !isRemoved(p) && p.id !== participantId).length;
}

type RosterCommand = Extract<InternalCommand, { type: "participants.update" | "participants.remove" | "participants.reissueToken" }>;

/**
 * - `participants.update`: the fields that differ from what is stored (none: no event); the last
 *   chair keeps the role (conflict). Who becomes a projector leaves the floor (a projector cannot speak).
 * - `participants.remove`: marks them removed; their speech ends and their open requests leave
 *   the queue; the last chair cannot be removed (conflict).
 * - `participants.reissueToken`: only that they are a member: the token is no state, no event.
 * A removed or unknown participant is `not_found`.
 */
function decideRoster(state: ConferenceState, command: RosterCommand, now: number): Decision {
  const participant = findMember(state, command.participantId);
  if (!participant) return refuse("not_found", "no such participant");
  const participantId = participant.id;
  switch (command.type) {
    case "participants.reissueToken":
      return accept([]);
    case "participants.remove":
      if (participant.role === "chair" && otherChairs(state, participantId) === 0) {
        return refuse("conflict", "the last chair cannot be removed");
      }
      return accept([...takeOffTheFloor(state, participantId, now), { type: "participant.removed", data: { participantId, at: now } }]);
    case "participants.update": {
      const { name, role, attendance } = command.fields;
      const fields: ParticipantChanges = {};
      if (name !== undefined && name !== participant.name) fields.name = name;
      if (role !== undefined && role !== participant.role) fields.role = role;
      if (attendance !== undefined && attendance !== participant.attendance) fields.attendance = attendance;
      if (fields.role !== undefined && participant.role === "chair" && otherChairs(state, participantId) === 0) {
        return refuse("conflict", "the last chair cannot be given another role");
      }
      if (Object.keys(fields).length === 0) return accept([]);
      const offTheFloor = fields.role === "projector" ? takeOffTheFloor(state, participantId, now) : [];
      return accept([...offTheFloor, { type: "participant.updated", data: { participantId, fields } }]);
    }
  }
}

function evolveRoster(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: "participant.updated" | "participant.removed" }>,
): ConferenceState {
  const change = (p: Participant): Participant => {
    if (event.type === "participant.removed") return { ...p, removedAt: event.data.at };
    // Only the fields a chair may change (a hand-made event cannot overwrite ids or times).
    const { name, role, attendance } = event.data.fields;
    return {
      ...p,
      ...(name !== undefined && { name }),
      ...(role !== undefined && { role }),
      ...(attendance !== undefined && { attendance }),
    };
  };
  return { ...state, participants: state.participants.map((p) => (p.id === event.data.participantId ? change(p) : p)) };
}
