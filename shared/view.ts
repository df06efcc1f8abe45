import { attendanceCounts, type AttendanceCounts } from "./attendance.ts";
import type { DomainEvent, WireEvent } from "./events.ts";
import { PROTOCOL_VERSION } from "./socketEvents.ts";
import { hasVoted, voterKeyOf } from "./domain/polls.ts";
import { findParticipant } from "./domain/participants.ts";
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
  return { ...commonSnapshot(state, online), ...viewerSnapshot(state, viewer, serverTime) };
}

/** The fields of a snapshot that depend on who reads it (the rest is `commonSnapshot`). */
export type ViewerFields = "serverTime" | "conference" | "me" | "polls" | "questions";

/**
 * What every participant's snapshot holds alike: the server encodes it once for a whole hall of
 * phones connecting (the roster is most of a snapshot), and adds each one's `viewerSnapshot`.
 */
export function commonSnapshot(state: ConferenceState, online: ReadonlySet<string>): Omit<Snapshot, ViewerFields> {
  const { conference: _conference, polls: _polls, questions: _questions, ...rest } = state;
  return {
    ...rest,
    protocolVersion: PROTOCOL_VERSION,
    participants: state.participants.map((p) => ({ ...p, online: online.has(p.id) })),
    attendance: attendanceCounts(state),
  };
}

/** The fields of one participant's snapshot that depend on who they are. */
export function viewerSnapshot(state: ConferenceState, viewer: Participant, serverTime: Millis): Pick<Snapshot, ViewerFields> {
  const { joinCode, ...conference } = state.conference;
  return {
    serverTime,
    conference: seesJoinCode(viewer.role) ? { ...conference, joinCode } : conference,
    me: meOf(viewer),
    polls: state.polls.map((p) => ({ ...followedPoll(state, publicPoll(p, viewer.role), viewer), voted: hasVoted(p, viewer) })),
    questions: state.questions.map((q) => publicQuestion(q, viewer.role)),
  };
}

/**
 * The voter keys a participant follows in a poll: their own (their organisation's under
 * organisation weighting), and those of the participants whose proxy they hold in it.
 */
export function followedKeys(state: Pick<ConferenceState, "participants">, poll: Pick<Poll, "weighting" | "proxies">, participant: Pick<Participant, "id" | "organisationId">): string[] {
  const keys = [voterKeyOf(poll.weighting, participant)];
  for (const [principalId, holderId] of Object.entries(poll.proxies ?? {})) {
    if (holderId !== participant.id) continue;
    const principal = findParticipant(state as ConferenceState, principalId);
    if (principal) keys.push(voterKeyOf(poll.weighting, principal));
  }
  return keys;
}

/** The proxies of a poll that concern a participant: those they hold and the one holding theirs. */
function followedProxies(proxies: Record<string, string> | undefined, participantId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(proxies ?? {}).filter(([principal, holder]) => principal === participantId || holder === participantId));
}

/**
 * A poll as a participant who does not see ballots receives it: who is entitled, who voted and the
 * proxies only as far as they concern them (their own key, their organisation's, the keys of
 * those whose proxy they hold), with the counts \`eligible\` and \`votesCast\` for the rest. Lists of
 * every voter's key grow with the conference, and sending each of n clients all n keys costs n².
 */
export function followedPoll(state: Pick<ConferenceState, "participants">, poll: Poll, viewer: Participant): Poll {
  if (seesBallots(viewer.role)) return poll;
  const keys = new Set(followedKeys(state, poll, viewer));
  return {
    ...poll,
    eligibleKeys: poll.eligibleKeys.filter((k) => keys.has(k)),
    voters: poll.voters.filter((k) => keys.has(k)),
    proxies: followedProxies(poll.proxies, viewer.id),
  };
}

/** Adds `value` to the list under `key`. */
function listUnder(lists: Map<string, string[]>, key: string, value: string): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/**
 * The opening or the votes of a poll as the participants who do not see ballots receive them: a
 * common version with the counts and no voter key (\`common\`), and for each participant who follows
 * a key in it their own version with those keys (\`personal\`, by participant id). \`poll\` is the
 * poll after the event; \`votesCast\`, for votes, the count after this event. Answers null for any
 * other event, which every such role receives alike (\`presentEvent\`).
 */
export function presentToFollowers(
  event: WireEvent,
  state: Pick<ConferenceState, "participants">,
  poll: Poll,
  votesCast: number,
): { common: WireEvent; personal: Map<string, WireEvent> } | null {
  if (event.type !== "poll.opened" && event.type !== "poll.votes_cast") return null;
  const personal = new Map<string, WireEvent>();
  const followers = new Map<string, string[]>();
  for (const participant of state.participants) {
    if (participant.removedAt != null || seesBallots(participant.role)) continue;
    for (const key of followedKeys(state, poll, participant)) listUnder(followers, key, participant.id);
  }
  if (event.type === "poll.opened") {
    const { eligibleKeys, proxies } = event.data;
    const common: WireEvent = { ...event, data: { ...event.data, eligibleKeys: [], eligible: eligibleKeys.length, proxies: {} } };
    const concerned = new Map<string, string[]>();
    for (const key of eligibleKeys) for (const id of followers.get(key) ?? []) listUnder(concerned, id, key);
    for (const [principal, holder] of Object.entries(proxies ?? {})) for (const id of [principal, holder]) if (!concerned.has(id)) concerned.set(id, []);
    for (const [id, keys] of concerned) {
      personal.set(id, { ...event, data: { ...event.data, eligibleKeys: keys, eligible: eligibleKeys.length, proxies: followedProxies(proxies, id) } });
    }
    return { common, personal };
  }
  const common: WireEvent = { ...event, data: { pollId: event.data.pollId, ballots: [], votesCast } };
  const concerned = new Map<string, string[]>();
  for (const { voterKey } of event.data.ballots) for (const id of followers.get(voterKey) ?? []) listUnder(concerned, id, voterKey);
  for (const [id, keys] of concerned) personal.set(id, { ...event, data: { pollId: event.data.pollId, ballots: keys.map((voterKey) => ({ voterKey })), votesCast } });
  return { common, personal };
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

/** Presence changes folded into the participants list (of a state, or of a snapshot). */
export function applyPresence<S extends Pick<ConferenceState, "participants">>(
  state: S,
  changes: ReadonlyArray<{ participantId: string; online: boolean }>,
): S {
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
