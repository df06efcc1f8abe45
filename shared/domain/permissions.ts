import type { CommandType } from "../commands.ts";
import type { Role } from "../roles.ts";

/**
 * Which roles may issue each command at all. Finer rules (only your own request, only the current
 * speaker) live in the domain functions.
 */
export const COMMAND_ROLES: Record<CommandType, readonly Role[]> = {
  "conference.start": ["chair"],
  "conference.end": ["chair"],
  "conference.reopen": ["chair"],
  "presence.set": ["chair", "secretary", "delegate", "observer", "projector"],
  "participants.checkIn": ["chair", "secretary"],
  "participants.leave": ["chair", "secretary"],
  "agenda.add": ["chair", "secretary"],
  "agenda.update": ["chair", "secretary"],
  "agenda.remove": ["chair"],
  "agenda.move": ["chair"],
  "agenda.start": ["chair"],
  "agenda.next": ["chair"],
  "speakers.request": ["chair", "delegate", "secretary"],
  "speakers.withdraw": ["chair", "delegate", "secretary"],
  "speakers.remove": ["chair"],
  "speakers.clear": ["chair"],
  "speakers.grant": ["chair"],
  // Whoever holds the floor may end their speech (a chair or secretary may have put a guest or a
  // secretary in the queue); the domain checks that the caller is the current speaker.
  "speakers.finish": ["chair", "secretary", "delegate", "observer"],
  "speakers.setLimit": ["chair"],
  "speakers.acknowledge": ["chair", "secretary", "delegate", "observer"],
  "polls.create": ["chair"],
  "polls.delete": ["chair"],
  "polls.open": ["chair"],
  "polls.close": ["chair"],
  "polls.vote": ["chair", "delegate"],
  "polls.recordHall": ["chair"],
  "polls.voteFor": ["chair"],
  "participants.setProxy": ["chair"],
  "questions.ask": ["chair", "secretary", "delegate", "observer"],
  "questions.upvote": ["chair", "secretary", "delegate", "observer"],
  "questions.unvote": ["chair", "secretary", "delegate", "observer"],
  "questions.moderate": ["chair", "secretary"],
  "questions.merge": ["chair", "secretary"],
  "minutes.share": ["chair"],
  "minutes.approve": ["chair"],
  "minutes.reopen": ["chair"],
  "minutes.setSigner": ["chair"],
};

export function mayIssue(role: Role, type: CommandType): boolean {
  return COMMAND_ROLES[type].includes(role);
}
