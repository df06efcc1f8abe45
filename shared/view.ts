import type { DomainEvent } from "./events.ts";
import { hasVoted } from "./domain/polls.ts";
import { isVoter, seesBallots, seesJoinCode, type Role } from "./roles.ts";
import type { ConferenceState, Millis, Participant, Poll } from "./state.ts";

/** The caller as the snapshot names them. */
export interface Me {
  id: string;
  name: string;
  organisation: string;
  role: Role;
  voting: boolean;
}

export type PollView = Poll & { voted: boolean };

/** What a client receives as `state`: what its role may see of the conference. */
export type Snapshot = Omit<ConferenceState, "polls"> & {
  serverTime: Millis;
  me: Me;
  polls: PollView[];
};

/**
 * A poll as a role may see it: never the running counts; who voted how in a named poll only once
 * it is closed, and only for the roles that see ballots (without a role: as the chair sees it).
 */
export function publicPoll(poll: Poll, role: Role = "chair"): Poll {
  const { counts: _counts, ...rest } = poll;
  return poll.status === "closed" && seesBallots(role) ? rest : { ...rest, ballots: null };
}

export function meOf(participant: Participant): Me {
  return {
    id: participant.id,
    name: participant.name,
    organisation: participant.organisation,
    role: participant.role,
    voting: isVoter(participant.role),
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
    conference: seesJoinCode(viewer.role) ? { ...conference, joinCode } : conference,
    me: meOf(viewer),
    participants: state.participants.map((p) => ({ ...p, online: online.has(p.id) })),
    polls: state.polls.map((p) => ({ ...publicPoll(p, viewer.role), voted: hasVoted(p, viewer) })),
  };
}

/** An event as every client may see it: votes as bare voter keys, polls without counts. */
export function presentEvent(event: DomainEvent): DomainEvent {
  switch (event.type) {
    case "poll.votes_cast":
      return {
        type: event.type,
        data: {
          pollId: event.data.pollId,
          ballots: event.data.ballots.map((b) => ({ voterKey: b.voterKey })),
        },
      };
    case "poll.created":
      return { type: event.type, data: { poll: publicPoll(event.data.poll) } };
    default:
      return event;
  }
}

/**
 * An event as a role may see it, on top of `presentEvent`: a closed named poll's ballots go only to
 * the roles that see ballots. Answers the event itself when nothing is hidden from the role.
 */
export function eventForRole<E extends DomainEvent>(event: E, role: Role): E {
  if (event.type === "poll.closed" && event.data.ballots !== null && !seesBallots(role)) {
    return { ...event, data: { ...event.data, ballots: null } };
  }
  return event;
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
 * flags are dropped: events do not maintain them, so a mirror derives them with `hasVoted`.
 */
export function stateOfSnapshot(snapshot: Snapshot): { state: ConferenceState; me: Me } {
  const { me, serverTime: _serverTime, polls, ...rest } = snapshot;
  return { me, state: { ...rest, polls: polls.map(({ voted: _voted, ...poll }) => poll) } };
}
