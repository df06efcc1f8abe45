import type { ConferenceState } from "../../../shared/state.ts";

/**
 * Whether the hall's screen reads the minutes out: from the moment the meeting approves them,
 * so that the hall can follow the reading, until the meeting moves on (an agenda item starts or a
 * poll opens after the approval) or the chair reopens them.
 */
export function projectorShowsMinutes(state: Pick<ConferenceState, "minutes" | "agenda" | "polls">): boolean {
  const { minutes } = state;
  if (minutes.status !== "approved" || minutes.approvedAt === null) return false;
  const at = minutes.approvedAt;
  const movedOn =
    state.agenda.some((item) => item.status === "active" && item.startedAt !== null && item.startedAt > at) ||
    state.polls.some((poll) => poll.status === "open" && poll.openedAt !== null && poll.openedAt > at);
  return !movedOn;
}
