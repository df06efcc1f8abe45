import type { DomainEvent } from "../events.ts";
import type { ConferenceState } from "../state.ts";

/**
 * The events one slice's command causes in another: starting an item makes the meeting live and
 * ends the speech under way; ending the meeting ends the item and the speech and empties the
 * queue. Kept here, below every slice, so that no slice imports another.
 */

/** Events that make a scheduled conference live before something that needs it live. */
export function ensureLive(state: ConferenceState, now: number): DomainEvent[] {
  return state.conference.status === "scheduled" ? [{ type: "conference.started", data: { at: now } }] : [];
}

/** The event that ends the active item, if there is one. */
export function closeCurrentItem(state: ConferenceState, now: number): DomainEvent[] {
  return state.currentItemId ? [{ type: "agenda.item_ended", data: { itemId: state.currentItemId, at: now } }] : [];
}

/** The event that ends the current speech, if someone has the floor. */
export function endCurrentSpeech(state: ConferenceState, now: number): DomainEvent[] {
  return state.speakers.current ? [{ type: "speakers.finished", data: { at: now } }] : [];
}

/** The event that empties the queue, if anyone is waiting. */
export function clearQueue(state: ConferenceState): DomainEvent[] {
  const { queue } = state.speakers;
  return queue.length > 0 ? [{ type: "speakers.queue_cleared", data: { requestIds: queue.map((r) => r.requestId) } }] : [];
}

/** The events that take a participant off the floor: their speech ends, their open requests leave the queue. */
export function takeOffTheFloor(state: ConferenceState, participantId: string, now: number): DomainEvent[] {
  const { current, queue } = state.speakers;
  return [
    ...(current?.participantId === participantId ? endCurrentSpeech(state, now) : []),
    ...queue
      .filter((r) => r.participantId === participantId)
      .map((r): DomainEvent => ({ type: "speakers.request_dropped", data: { requestId: r.requestId, reason: "removed" } })),
  ];
}
