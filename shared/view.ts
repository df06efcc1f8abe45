import { attendanceCounts, type AttendanceCounts } from "./attendance.ts";
import type { DomainEvent } from "./events.ts";
import { PROTOCOL_VERSION } from "./socketEvents.ts";
import { hasVoted } from "./domain/polls.ts";
import { publicQuestion } from "./domain/questions.ts";
import { votes } from "./domain/organisations.ts";
import { seesBallots, seesJoinCode, type Role } from "./roles.ts";
import type { ConferenceState, Millis, Participant, Poll } from "./state.ts";

/** The caller as the snapshot names them. */
export interface Me {
  id: string;
  name: string;
  organisation: string;
  /** v1.1: their organisation on the roster; null: none (a guest, or on their own). */
  organisationId: string | null;
  /** v1.1: they cast their organisation's vote. */
  representative: boolean;
  role: Role;
  voting: boolean;
}

export type PollView = Poll & { voted: boolean };

/** What a client receives as `state`: what its role may see of the conference. */
export type Snapshot = Omit<ConferenceState, "polls"> & {
  serverTime: Millis;
  /** The server's PROTOCOL_VERSION. */
  protocolVersion: number;
  me: Me;
  polls: PollView[];
  /**
   * v1.1: counted from the roster (`attendanceCounts`). Derived, never folded: a mirror recounts it
   * from its participants with the same function, so `stateOfSnapshot` drops it.
   */
  attendance: AttendanceCounts;
};

/**
 * A poll as a role may see it: never the running counts nor a secret poll's unstored votes; who
 * voted how in a named poll only once it is closed, and only for the roles that see ballots
 * (without a role: as the chair sees it).
 */
export function publicPoll(poll: Poll, role: Role = "chair"): Poll {
  const { counts: _counts, pool: _pool, ...rest } = poll;
  return poll.status === "closed" && seesBallots(role) ? rest : { ...rest, ballots: null };
}

export function meOf(participant: Participant): Me {
  return {
    id: participant.id,
    name: participant.name,
    organisation: participant.organisation,
    organisationId: participant.organisationId,
    representative: participant.representative,
    role: participant.role,
    voting: votes(participant),
  };
}

/** The snapshot for one participant, with live presence filled in. */
export function presentSnapshot(
  state: ConferenceState,
  viewer: Participant,
  online: ReadonlySet<string>,
  serverTime: Millis,
): Snapshot {
  const { joinCode, ...conference } = state.conference;
  return {
    ...state,
    serverTime,
    protocolVersion: PROTOCOL_VERSION,
    conference: seesJoinCode(viewer.role) ? { ...conference, joinCode } : conference,
    me: meOf(viewer),
    participants: state.participants.map((p) => ({ ...p, online: online.has(p.id) })),
    polls: state.polls.map((p) => ({ ...publicPoll(p, viewer.role), voted: hasVoted(p, viewer) })),
    questions: state.questions.map((q) => publicQuestion(q, viewer.role)),
    attendance: attendanceCounts(state),
  };
}

/**
 * A stored event as a role may see it; the one place that decides what leaves the server. Votes go
 * out as bare voter keys (never a choice, never who cast an organisation's vote), a new poll
 * without its running counts, and a closed named poll's ballots only to the roles that see
 * ballots. Without a role: as the chair sees it. Answers the event itself when nothing is hidden.
 */
export function presentEvent<E extends DomainEvent>(event: E, role: Role = "chair"): E {
  switch (event.type) {
    case "poll.votes_cast":
      return {
        ...event,
        data: { pollId: event.data.pollId, ballots: event.data.ballots.map((b) => ({ voterKey: b.voterKey })) },
      };
    case "poll.created":
      return { ...event, data: { poll: publicPoll(event.data.poll) } };
    case "poll.closed":
      return event.data.ballots !== null && !seesBallots(role) ? ({ ...event, data: { ...event.data, ballots: null } } as E) : event;
    case "question.asked":
    case "question.moderated": {
      const question = publicQuestion(event.data.question, role);
      return question === event.data.question ? event : ({ ...event, data: { question } } as E);
    }
    default:
      return event;
  }
}

/** Presence changes folded into the participants list. */
export function applyPresence(
  state: ConferenceState,
  changes: ReadonlyArray<{ participantId: string; online: boolean }>,
): ConferenceState {
  const byId = new Map(changes.map((c) => [c.participantId, c.online]));
  return {
    ...state,
    participants: state.participants.map((p) => (byId.has(p.id) ? { ...p, online: byId.get(p.id)! } : p)),
  };
}

/**
 * A snapshot back into the state that events fold onto, and the caller. The per-viewer `voted`
 * flags are dropped: events do not maintain them, so a mirror derives them with `hasVoted`; so is
 * `attendance`, which a mirror derives with `attendanceCounts(state)`.
 */
export function stateOfSnapshot(snapshot: Snapshot): { state: ConferenceState; me: Me } {
  const { me, serverTime: _serverTime, protocolVersion: _protocolVersion, attendance: _attendance, polls, ...rest } = snapshot;
  return { me, state: { ...rest, polls: polls.map(({ voted: _voted, ...poll }) => poll) } };
}
