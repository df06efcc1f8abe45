import type { CommandOf } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import type { Actor, ConferenceState, SpeakerRequest } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { clearQueue, endCurrentSpeech } from "./cascades.ts";
import { findParticipant } from "./participants.ts";

type SpeakersCommand = CommandOf<
  | "speakers.request"
  | "speakers.withdraw"
  | "speakers.remove"
  | "speakers.clear"
  | "speakers.grant"
  | "speakers.finish"
  | "speakers.setLimit"
  | "speakers.acknowledge"
>;

/** Where a new request goes: a point of order ahead of every other request, after earlier points of order. */
export function queueIndexFor(queue: SpeakerRequest[], kind: SpeakerRequest["kind"]): number {
  if (kind !== "point_of_order") return queue.length;
  const firstOther = queue.findIndex((r) => r.kind !== "point_of_order");
  return firstOther < 0 ? queue.length : firstOther;
}

export function decideSpeakers(
  state: ConferenceState,
  command: SpeakersCommand,
  actor: Actor,
  ctx: DecideContext,
): Decision {
  const { queue, current } = state.speakers;
  const findRequest = (requestId: string) => queue.find((r) => r.requestId === requestId);
  switch (command.type) {
    case "speakers.request": {
      const onBehalf = command.participantId !== undefined && command.participantId !== actor.participantId;
      if (onBehalf && actor.role !== "chair" && actor.role !== "secretary") {
        return refuse("forbidden", "only a chair or a secretary may ask for the floor for someone else");
      }
      if (!onBehalf && actor.role === "secretary") {
        return refuse("forbidden", "a secretary adds requests for participants, not for themselves");
      }
      if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
      const speaker = findParticipant(state, command.participantId ?? actor.participantId);
      if (!speaker || speaker.removedAt != null) return refuse("not_found", "no such participant");
      if (speaker.role === "projector") return refuse("invalid", "a projector cannot speak");
      if (queue.some((r) => r.participantId === speaker.id && r.kind === command.kind)) {
        return refuse("conflict", "this participant already has an open request of that kind");
      }
      const request: SpeakerRequest = {
        requestId: ctx.newId(),
        participantId: speaker.id,
        kind: command.kind,
        note: command.note ?? "",
        requestedAt: ctx.now,
        requestedBy: actor.participantId,
      };
      return accept([{ type: "speakers.requested", data: { request } }], { requestId: request.requestId });
    }
    case "speakers.withdraw": {
      const request = findRequest(command.requestId);
      if (!request) return refuse("not_found", "no such request in the queue");
      if (request.participantId !== actor.participantId && request.requestedBy !== actor.participantId) {
        return refuse("forbidden", "only whoever asked may withdraw a request");
      }
      return accept([{ type: "speakers.request_dropped", data: { requestId: request.requestId, reason: "withdrawn" } }]);
    }
    case "speakers.remove": {
      const request = findRequest(command.requestId);
      if (!request) return refuse("not_found", "no such request in the queue");
      return accept([{ type: "speakers.request_dropped", data: { requestId: request.requestId, reason: "removed" } }]);
    }
    case "speakers.clear":
      return accept(clearQueue(state));
    case "speakers.grant": {
      if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
      const request = command.requestId === undefined ? queue[0] : findRequest(command.requestId);
      if (!request) {
        return command.requestId === undefined
          ? refuse("conflict", "the queue is empty")
          : refuse("not_found", "no such request in the queue");
      }
      return accept(
        [
          ...endCurrentSpeech(state, ctx.now),
          {
            type: "speakers.granted",
            data: {
              requestId: request.requestId,
              at: ctx.now,
              limitSeconds: state.speakers.limitSeconds,
              itemId: state.currentItemId,
            },
          },
        ],
        { requestId: request.requestId },
      );
    }
    case "speakers.finish":
      if (!current) return refuse("conflict", "nobody has the floor");
      if (actor.role !== "chair" && current.participantId !== actor.participantId) {
        return refuse("forbidden", "only a chair or the speaker may end a speech");
      }
      return accept(endCurrentSpeech(state, ctx.now));
    case "speakers.setLimit":
      return accept([{ type: "speakers.limit_set", data: { seconds: command.seconds } }]);
    case "speakers.acknowledge":
      // The speaker says they have noticed they have the floor (an online delegate unmuting).
      if (!current) return refuse("conflict", "nobody has the floor");
      if (current.participantId !== actor.participantId) return refuse("forbidden", "only the speaker acknowledges the floor");
      if (current.acknowledgedAt != null) return accept([]);
      return accept([{ type: "speakers.acknowledged", data: { requestId: current.requestId, at: ctx.now } }]);
  }
}

export function evolveSpeakers(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `speakers.${string}` }>,
): ConferenceState {
  const speakers = state.speakers;
  switch (event.type) {
    case "speakers.requested": {
      const queue = [...speakers.queue];
      queue.splice(queueIndexFor(queue, event.data.request.kind), 0, event.data.request);
      return { ...state, speakers: { ...speakers, queue } };
    }
    case "speakers.request_dropped":
      return {
        ...state,
        speakers: { ...speakers, queue: speakers.queue.filter((r) => r.requestId !== event.data.requestId) },
      };
    case "speakers.queue_cleared": {
      const cleared = new Set(event.data.requestIds);
      return { ...state, speakers: { ...speakers, queue: speakers.queue.filter((r) => !cleared.has(r.requestId)) } };
    }
    case "speakers.granted": {
      const request = speakers.queue.find((r) => r.requestId === event.data.requestId);
      if (!request) return state;
      return {
        ...state,
        speakers: {
          ...speakers,
          queue: speakers.queue.filter((r) => r.requestId !== request.requestId),
          current: {
            requestId: request.requestId,
            participantId: request.participantId,
            kind: request.kind,
            startedAt: event.data.at,
            limitSeconds: event.data.limitSeconds,
            itemId: event.data.itemId,
          },
        },
      };
    }
    case "speakers.finished": {
      const current = speakers.current;
      if (!current) return state;
      const record = {
        requestId: current.requestId,
        participantId: current.participantId,
        itemId: current.itemId,
        kind: current.kind,
        startedAt: current.startedAt,
        endedAt: event.data.at,
      };
      return { ...state, speakers: { ...speakers, current: null, history: [...speakers.history, record] } };
    }
    case "speakers.limit_set":
      return { ...state, speakers: { ...speakers, limitSeconds: event.data.seconds } };
    case "speakers.acknowledged":
      if (!speakers.current || speakers.current.requestId !== event.data.requestId) return state;
      return { ...state, speakers: { ...speakers, current: { ...speakers.current, acknowledgedAt: event.data.at } } };
  }
}
