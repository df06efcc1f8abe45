/**
 * The rules that decide commands, apart from the folding of events (`index.ts`): the server and the
 * tests import them from here, while the clients, which only fold, import \`index.ts\` and so never
 * load the import's validation (zod) with the rules they do not run.
 */
import type { Command, InternalCommand } from "../commands.ts";
import type { Actor, ConferenceState } from "../state.ts";
import { decideImport } from "../roster.ts";
import { decideAgenda } from "./agenda.ts";
import { decideConference, decideConferenceUpdate } from "./conference.ts";
import { assertNever, refuse, type DecideContext, type Decision } from "./decision.ts";
import { decideMinutes } from "./minutes.ts";
import { decideOrganisations } from "./organisations.ts";
import { decideQuestions } from "./questions.ts";
import { decideParticipants, findMember } from "./participants.ts";
import { mayIssue } from "./permissions.ts";
import { decidePolls } from "./polls.ts";
import { decideSpeakers } from "./speakers.ts";

export type { DecideContext, Decision } from "./decision.ts";

/**
 * The one rule book: given the state, a validated command and who issues it, answer the events
 * it causes or a refusal. Pure: the clock and ids come from `ctx`.
 */
export function decide(state: ConferenceState, command: Command, actor: Actor, ctx: DecideContext): Decision {
  if (!mayIssue(actor.role, command.type)) {
    return refuse("forbidden", `a ${actor.role} may not ${command.type}`);
  }
  if (!findMember(state, actor.participantId)) return refuse("forbidden", "unknown participant");
  switch (command.type) {
    case "conference.start":
    case "conference.end":
    case "conference.reopen":
      return decideConference(state, command, ctx);
    case "presence.set":
    case "participants.checkIn":
    case "participants.leave":
      return decideParticipants(state, command, actor, ctx);
    case "agenda.add":
    case "agenda.update":
    case "agenda.remove":
    case "agenda.move":
    case "agenda.start":
    case "agenda.next":
      return decideAgenda(state, command, ctx);
    case "speakers.request":
    case "speakers.withdraw":
    case "speakers.remove":
    case "speakers.clear":
    case "speakers.grant":
    case "speakers.finish":
    case "speakers.setLimit":
    case "speakers.acknowledge":
      return decideSpeakers(state, command, actor, ctx);
    case "polls.create":
    case "polls.delete":
    case "polls.open":
    case "polls.close":
    case "polls.vote":
    case "polls.voteFor":
    case "polls.recordHall":
      return decidePolls(state, command, actor, ctx);
    case "participants.setProxy":
      return decideParticipants(state, command, actor, ctx);
    case "questions.ask":
    case "questions.upvote":
    case "questions.unvote":
    case "questions.moderate":
    case "questions.merge":
      return decideQuestions(state, command, actor, ctx);
    case "minutes.share":
    case "minutes.approve":
    case "minutes.reopen":
    case "minutes.setSigner":
      return decideMinutes(state, command, actor, ctx);
    default:
      return assertNever(command);
  }
}

/** Rules for the server's own commands (from REST calls it has already authorised). */
export function decideInternal(state: ConferenceState, command: InternalCommand, ctx: DecideContext): Decision {
  switch (command.type) {
    case "conference.update":
      return decideConferenceUpdate(state, command);
    case "organisations.add":
    case "organisations.update":
      return decideOrganisations(state, command);
    case "participants.import":
      return decideImport(state, command.rows, ctx);
    default:
      return decideParticipants(state, command, null, ctx);
  }
}

