import type { CommandOf, InternalCommand } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import { CONFERENCE_FACTS, type ConferenceFacts, type ConferenceState } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { clearQueue, closeCurrentItem, endCurrentSpeech } from "./cascades.ts";

export function decideConference(
  state: ConferenceState,
  command: CommandOf<"conference.start" | "conference.end" | "conference.reopen">,
  ctx: DecideContext,
): Decision {
  const { status } = state.conference;
  switch (command.type) {
    case "conference.start":
      if (status === "live") return refuse("conflict", "the conference is already live");
      if (status === "ended") return refuse("conflict", "the conference has ended");
      return accept([{ type: "conference.started", data: { at: ctx.now } }]);
    case "conference.end":
      if (status === "ended") return refuse("conflict", "the conference has already ended");
      // Nobody can be given the floor once the meeting is over, so the queue goes with it.
      return accept([
        ...endCurrentSpeech(state, ctx.now),
        ...closeCurrentItem(state, ctx.now),
        ...clearQueue(state),
        { type: "conference.ended", data: { at: ctx.now } },
      ]);
    case "conference.reopen":
      // A meeting ended by mistake goes on; the end it had stays in the event log.
      if (status !== "ended") return refuse("conflict", "only an ended conference can be reopened");
      return accept([{ type: "conference.reopened", data: { at: ctx.now } }]);
  }
}

/**
 * A chair's correction of the conference's facts (`PATCH /api/conferences/:id`, authorised by the
 * server): allowed in every status, since the minutes' facts are often corrected afterwards. The
 * event carries only the facts that change; nothing changing answers no event.
 */
export function decideConferenceUpdate(
  state: ConferenceState,
  command: Extract<InternalCommand, { type: "conference.update" }>,
): Decision {
  const fields: Partial<Record<keyof ConferenceFacts, unknown>> = {};
  for (const key of CONFERENCE_FACTS) {
    const value = command.fields[key];
    if (value !== undefined && value !== state.conference[key]) fields[key] = value;
  }
  if (Object.keys(fields).length === 0) return accept([]);
  return accept([{ type: "conference.updated", data: { fields: fields as Partial<ConferenceFacts> } }]);
}

export function evolveConference(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `conference.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "conference.started":
      return { ...state, conference: { ...state.conference, status: "live", startedAt: event.data.at } };
    case "conference.ended":
      return { ...state, conference: { ...state.conference, status: "ended", endedAt: event.data.at } };
    case "conference.reopened":
      return { ...state, conference: { ...state.conference, status: "live", endedAt: null } };
    case "conference.updated":
      return { ...state, conference: { ...state.conference, ...factsOf(event.data.fields) } };
  }
}

/** Only the facts of an event's `fields` (a hand-made event cannot overwrite status or ids). */
function factsOf(fields: Partial<ConferenceFacts>): Partial<ConferenceFacts> {
  const facts: Partial<Record<keyof ConferenceFacts, unknown>> = {};
  for (const key of CONFERENCE_FACTS) if (fields[key] !== undefined) facts[key] = fields[key];
  return facts as Partial<ConferenceFacts>;
}
