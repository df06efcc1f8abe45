import type { Attendance } from "./roles.ts";
import type {
  AgendaItem,
  ConferenceFacts,
  ElectionOutcome,
  Millis,
  MotionOutcome,
  NamedBallot,
  Organisation,
  Participant,
  Poll,
  Question,
  SpeakerRequest,
} from "./state.ts";

/**
 * Every change to a conference is one of these events. The server folds them into its state and
 * stores the result; clients fold the same events (after `presentEvent` redaction) with the same
 * `evolve` to keep their mirror.
 */
export type DomainEvent =
  | { type: "conference.started"; data: { at: Millis } }
  | { type: "conference.ended"; data: { at: Millis } }
  /** Extension: a chair reopened a meeting ended by mistake. */
  | { type: "conference.reopened"; data: { at: Millis } }
  /** v1.1: a chair corrected the conference's facts; `fields` holds only those that changed. */
  | { type: "conference.updated"; data: { fields: Partial<ConferenceFacts> } }
  /** v1.1: a chair or secretary marked someone as gone. */
  | { type: "participant.left"; data: { participantId: string; at: Millis } }
  /** v1.1: an organisation joined the roster (a chair's, an import's or an open registration's). */
  | { type: "organisation.added"; data: { organisation: Organisation } }
  /** v1.1: a chair changed an organisation; `fields` holds only what changed. A new name reaches its members. */
  | { type: "organisation.updated"; data: { organisationId: string; fields: OrganisationChanges } }
  | { type: "participant.added"; data: { participant: Participant } }
  | { type: "participant.attendance_set"; data: { participantId: string; attendance: Attendance } }
  | { type: "participant.checked_in"; data: { participantId: string; at: Millis } }
  /**
   * Several check-ins stored together (a hall's phones connecting within a moment): the same as
   * a `participant.checked_in` for each, in order. Made by merging those, never decided as such.
   */
  | { type: "participants.checked_in"; data: { arrivals: { participantId: string; at: Millis }[] } }
  /** v1.1: a chair changed a participant (`PATCH …/participants/:id`); `fields` holds only what changed. */
  | { type: "participant.updated"; data: { participantId: string; fields: ParticipantChanges } }
  /** v1.1: a chair removed a participant (`DELETE …/participants/:id`): marked, never deleted. */
  | { type: "participant.removed"; data: { participantId: string; at: Millis } }
  | { type: "agenda.item_added"; data: { item: AgendaItem; index: number } }
  | {
      type: "agenda.item_updated";
      data: { itemId: string; title?: string; presenter?: string; plannedMinutes?: number };
    }
  | { type: "agenda.item_removed"; data: { itemId: string } }
  | { type: "agenda.item_moved"; data: { itemId: string; toIndex: number } }
  | { type: "agenda.item_started"; data: { itemId: string; at: Millis } }
  | { type: "agenda.item_ended"; data: { itemId: string; at: Millis } }
  | { type: "speakers.requested"; data: { request: SpeakerRequest } }
  | { type: "speakers.request_dropped"; data: { requestId: string; reason: "withdrawn" | "removed" } }
  | { type: "speakers.queue_cleared"; data: { requestIds: string[] } }
  | {
      type: "speakers.granted";
      data: { requestId: string; at: Millis; limitSeconds: number; itemId: string | null };
    }
  | { type: "speakers.finished"; data: { at: Millis } }
  | { type: "speakers.limit_set"; data: { seconds: number } }
  /** Extension: the speaker has noticed they have the floor ("Tôi đang phát biểu"). */
  | { type: "speakers.acknowledged"; data: { requestId: string; at: Millis } }
  /** v1.1: the chair shared the draft minutes with every role, or stopped. */
  | { type: "minutes.shared"; data: { shared: boolean } }
  /** v1.1: the meeting adopted the minutes; `by` the chair who recorded it. */
  | { type: "minutes.approved"; data: { at: Millis; by: string } }
  | { type: "minutes.reopened"; data: { at: Millis } }
  /** Extension: the secretary who signs (null: the first secretary). */
  | { type: "minutes.signer_set"; data: { participantId: string | null } }
  /** Extension (issue 16): a question from the floor. */
  | { type: "question.asked"; data: { question: Question } }
  | { type: "question.upvoted"; data: { questionId: string; participantId: string } }
  | { type: "question.unvoted"; data: { questionId: string; participantId: string } }
  /** A moderation (approve, answer, hide, merge): the whole question as it now is. */
  | { type: "question.moderated"; data: { question: Question } }
  | { type: "poll.created"; data: { poll: Poll } }
  | { type: "poll.deleted"; data: { pollId: string } }
  /** `proxies` (v1.1): the proxies in force for this poll, as they stood when it opened. */
  /**
   * Clients that do not see ballots receive only the keys they follow (\`followedPoll\`), with
   * \`eligible\`, the number of all.
   */
  | { type: "poll.opened"; data: { pollId: string; at: Millis; eligibleKeys: string[]; eligible?: number; proxies?: Record<string, string> } }
  /** v1.1: the chair's show-of-hands counts (replacing earlier ones). */
  | { type: "poll.hall_recorded"; data: { pollId: string; counts: Record<string, number> } }
  /** v1.1: a chair gave someone's vote to a proxy (`proxyId`), or took it back (null). */
  | { type: "participant.proxy_set"; data: { participantId: string; proxyId: string | null } }
  | {
      type: "poll.votes_cast";
      /**
       * Several ballots may share one event: votes stored in one write are sent as one event. As
       * the server's log stores a secret poll's batch (`countedVotes`), its ballots carry voter keys
       * only and `counts` sums their choices; clients never receive `counts`. Clients that do not
       * see ballots receive only the keys they follow, with `votesCast`, the count after the event
       * (`presentToFollowers`).
       */
      data: { pollId: string; ballots: CastBallot[]; counts?: Record<string, number>; votesCast?: number };
    }
  | {
      type: "poll.closed";
      data: {
        pollId: string;
        at: Millis;
        tally: Record<string, number>;
        outcome: MotionOutcome | ElectionOutcome;
        winnerOptionId: string | null;
        /** Extension: every candidate elected (elections of several seats). */
        winnerOptionIds?: string[];
        ballots: NamedBallot[] | null;
      };
    };

/**
 * One cast vote inside `poll.votes_cast`. Clients receive only the voter key; who cast it for an
 * organisation and the choice stay in the server's own copy (the choice only until it is counted).
 */
export interface CastBallot {
  voterKey: string;
  participantId?: string;
  optionId?: string;
  /** v1.1: who cast it when not `participantId` (a proxy, or the chair for a hall voter). */
  castBy?: string;
}

/**
 * What a chair may change of a participant (v1.1 `PATCH …/participants/:id`). A new
 * `organisationId` comes with the `organisation` it displays, as the rule decided it.
 */
export type ParticipantChanges = Partial<
  Pick<Participant, "name" | "role" | "attendance" | "organisationId" | "organisation" | "representative" | "guest">
>;

/** What a chair may change of an organisation (v1.1 `PATCH …/organisations/:id`). */
export type OrganisationChanges = Partial<Pick<Organisation, "name" | "shortName" | "cluster">>;

export type EventType = DomainEvent["type"];

/** An event as it travels to clients: numbered within its conference. */
export type WireEvent = DomainEvent & { seq: number; serverTime: Millis };

/** Volatile presence: who holds a live connection. Not numbered, never stored. */
export interface PresenceChange {
  participantId: string;
  online: boolean;
}
