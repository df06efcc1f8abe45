import type { CommandOf } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import type { ConferenceState } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { clearQueue, closeCurrentItem, endCurrentSpeech } from "./cascades.ts";

export function decideConference(
  state: ConferenceState,
  command: CommandOf<"conference.start" | "conference.end">,
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
  }
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
  }
}
