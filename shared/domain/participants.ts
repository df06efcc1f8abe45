import type { CommandOf, InternalCommand } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { Actor, ConferenceState, Participant } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";

export function findParticipant(state: ConferenceState, participantId: string): Participant | undefined {
  return state.participants.find((p) => p.id === participantId);
}

/** The event that checks a participant in, unless they already are. */
function checkIn(state: ConferenceState, participantId: string, now: number): Decision {
  const participant = findParticipant(state, participantId);
  if (!participant) return refuse("not_found", "no such participant");
  if (participant.checkedInAt != null) return accept([]);
  return accept([{ type: "participant.checked_in", data: { participantId, at: now } }]);
}

export function decideParticipants(
  state: ConferenceState,
  command: CommandOf<"presence.set" | "participants.checkIn"> | InternalCommand,
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
      };
      return accept([{ type: "participant.added", data: { participant } }], { id: participant.id });
    }
    case "participants.checkIn":
    case "participants.arrived":
      return checkIn(state, command.participantId, ctx.now);
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
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, checkedInAt: event.data.at } : p,
        ),
      };
    case "participant.attendance_set":
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, attendance: event.data.attendance } : p,
        ),
      };
  }
}
