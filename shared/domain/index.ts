import type { DomainEvent, WireEvent } from "../events.ts";
import type { ConferenceState } from "../state.ts";
import { evolveAgenda } from "./agenda.ts";
import { evolveConference } from "./conference.ts";
import { assertNever } from "./decision.ts";
import { evolveMinutes } from "./minutes.ts";
import { evolveOrganisations } from "./organisations.ts";
import { evolveQuestions } from "./questions.ts";
import { evolveParticipants } from "./participants.ts";
import { evolvePolls } from "./polls.ts";
import { evolveSpeakers } from "./speakers.ts";

/**
 * How events fold into the state, the same on the server and in every client. The rules that
 * decide commands are in `decide.ts`.
 */
export type { DecideContext, Decision } from "./decision.ts";

/** Folds one event into the state. Never mutates its input. */
export function evolve(state: ConferenceState, event: DomainEvent): ConferenceState {
  switch (event.type) {
    case "conference.started":
    case "conference.ended":
    case "conference.reopened":
    case "conference.updated":
      return evolveConference(state, event);
    case "organisation.added":
    case "organisation.updated":
      return evolveOrganisations(state, event);
    case "participant.added":
    case "participant.attendance_set":
    case "participant.checked_in":
    case "participants.checked_in":
    case "participant.updated":
    case "participant.removed":
    case "participant.left":
    case "participant.proxy_set":
      return evolveParticipants(state, event);
    case "agenda.item_added":
    case "agenda.item_updated":
    case "agenda.item_removed":
    case "agenda.item_moved":
    case "agenda.item_started":
    case "agenda.item_ended":
      return evolveAgenda(state, event);
    case "speakers.requested":
    case "speakers.request_dropped":
    case "speakers.queue_cleared":
    case "speakers.granted":
    case "speakers.finished":
    case "speakers.limit_set":
    case "speakers.acknowledged":
      return evolveSpeakers(state, event);
    case "question.asked":
    case "question.upvoted":
    case "question.unvoted":
    case "question.moderated":
      return evolveQuestions(state, event);
    case "minutes.shared":
    case "minutes.approved":
    case "minutes.reopened":
    case "minutes.signer_set":
      return evolveMinutes(state, event);
    case "poll.created":
    case "poll.deleted":
    case "poll.opened":
    case "poll.votes_cast":
    case "poll.hall_recorded":
    case "poll.closed":
      return evolvePolls(state, event);
    default:
      return assertNever(event);
  }
}

/** Folds a numbered event as received from the server. */
export function applyWireEvent(state: ConferenceState, event: WireEvent): ConferenceState {
  const { seq: _seq, serverTime: _serverTime, ...domainEvent } = event;
  return { ...evolve(state, domainEvent as DomainEvent), seq: event.seq };
}

/**
 * Merges `next` into `last` when both carry votes of the same poll, so that the votes stored in one
 * write reach the clients as one event instead of one event per voter. Answers null otherwise.
 * Check-ins merge into one `participants.checked_in`. The merged event owns a fresh array, which later merges may extend.
 */
export function mergeEvents(last: DomainEvent, next: DomainEvent): DomainEvent | null {
  const before = arrivalsOf(last);
  const after = arrivalsOf(next);
  if (before && after) return { type: "participants.checked_in", data: { arrivals: [...before, ...after] } };
  if (last.type !== "poll.votes_cast" || next.type !== "poll.votes_cast") return null;
  if (last.data.pollId !== next.data.pollId) return null;
  return { type: "poll.votes_cast", data: { pollId: last.data.pollId, ballots: [...last.data.ballots, ...next.data.ballots] } };
}

/** The check-ins an event carries (one, or several merged), or null for any other event. */
export function arrivalsOf(event: Pick<DomainEvent, "type" | "data">): { participantId: string; at: number }[] | null {
  const e = event as DomainEvent;
  return e.type === "participant.checked_in" ? [e.data] : e.type === "participants.checked_in" ? e.data.arrivals : null;
}

/**
 * Whether events of this type commute with each other and may be gathered for a moment before they
 * are broadcast (votes and check-ins: turnout and attendance, many in a burst).
 */
export function coalesces(event: DomainEvent): boolean {
  return event.type === "poll.votes_cast" || event.type === "participant.checked_in" || event.type === "participants.checked_in";
}

export { elapsedMs, nextPendingItem } from "./agenda.ts";
export { hasVoted, voterKeyOf } from "./polls.ts";
export { moderatesQuestions, orderedQuestions, publicQuestion } from "./questions.ts";
export { INITIAL_MINUTES, minutesOpenForEdits, readsMinutes } from "./minutes.ts";
export { organisationKey, organisationMatches, registrationIsOpen, representativeOf, searchKey } from "./organisations.ts";
export { findMember, findParticipant, isPresent, isRemoved } from "./participants.ts";
export { AGAINST_OPTION_ID, motionOutcome, electionOutcome, MOTION_OPTION_IDS } from "./outcome.ts";
export { COMMAND_ROLES, mayIssue } from "./permissions.ts";
