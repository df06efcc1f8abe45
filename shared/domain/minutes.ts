import type { CommandOf } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import type { Actor, ConferenceState, MinutesState } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { findMember } from "./participants.ts";

/** The minutes of a new conference: a draft nobody but chairs and secretaries reads. */
export const INITIAL_MINUTES: MinutesState = { status: "draft", shared: false, approvedAt: null, approvedBy: null, signerId: null };

/**
 * Who may read the minutes' document: chairs and secretaries always (they write it while it is a
 * draft); every other role once the chair has shared the draft or the meeting has adopted it.
 */
export function readsMinutes(minutes: MinutesState, writesByRole: boolean): boolean {
  return writesByRole || minutes.shared || minutes.status === "approved";
}

/** Whether the document takes edits: only while it is a draft, and only from roles that write. */
export function minutesOpenForEdits(minutes: MinutesState): boolean {
  return minutes.status === "draft";
}

type MinutesCommand = CommandOf<"minutes.share" | "minutes.approve" | "minutes.reopen" | "minutes.setSigner">;

/**
 * v1.1 "Minutes": the chair shares the draft (or stops), approves it (the meeting adopted it: from
 * then on the document takes no edit from anyone) and reopens it. Approving twice or reopening a
 * draft is `conflict`. Extension `minutes.setSigner`: the secretary who signs the biên bản (null:
 * the first secretary), a member whose role is secretary.
 */
export function decideMinutes(state: ConferenceState, command: MinutesCommand, actor: Actor, ctx: DecideContext): Decision {
  const { minutes } = state;
  switch (command.type) {
    case "minutes.share":
      if (minutes.shared === command.shared) return accept([]);
      return accept([{ type: "minutes.shared", data: { shared: command.shared } }]);
    case "minutes.approve":
      if (minutes.status === "approved") return refuse("conflict", "the minutes are already approved");
      return accept([{ type: "minutes.approved", data: { at: ctx.now, by: actor.participantId } }]);
    case "minutes.reopen":
      if (minutes.status === "draft") return refuse("conflict", "the minutes are a draft already");
      return accept([{ type: "minutes.reopened", data: { at: ctx.now } }]);
    case "minutes.setSigner": {
      if (command.participantId !== null) {
        const signer = findMember(state, command.participantId);
        if (!signer) return refuse("not_found", "no such participant");
        if (signer.role !== "secretary") return refuse("invalid", "the minutes are signed by a secretary");
      }
      if (minutes.signerId === command.participantId) return accept([]);
      return accept([{ type: "minutes.signer_set", data: { participantId: command.participantId } }]);
    }
  }
}

export function evolveMinutes(state: ConferenceState, event: Extract<DomainEvent, { type: `minutes.${string}` }>): ConferenceState {
  const minutes = state.minutes;
  switch (event.type) {
    case "minutes.shared":
      return { ...state, minutes: { ...minutes, shared: event.data.shared } };
    case "minutes.approved":
      return { ...state, minutes: { ...minutes, status: "approved", approvedAt: event.data.at, approvedBy: event.data.by } };
    case "minutes.reopened":
      return { ...state, minutes: { ...minutes, status: "draft", approvedAt: null, approvedBy: null } };
    case "minutes.signer_set":
      return { ...state, minutes: { ...minutes, signerId: event.data.participantId } };
  }
}
