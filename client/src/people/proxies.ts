import { votes } from "../../../shared/domain/organisations.ts";
import type { Participant } from "../../../shared/state.ts";

/**
 * Proxies on the roster (v1.1 `participants.setProxy`): who casts whose vote besides their own.
 * The server's rules, said before sending: only voters give or hold one, not to oneself, and no
 * chains (a holder cannot give their own vote away, nor can a giver hold one).
 */

/** Who holds this participant's proxy, if anyone. */
export function proxyHolder(participants: readonly Participant[], participant: Pick<Participant, "proxyId">): Participant | undefined {
  return participant.proxyId ? participants.find((p) => p.id === participant.proxyId) : undefined;
}

/** Whose proxies this participant holds (removed givers aside), by name. */
export function proxiesHeldBy(participants: readonly Participant[], holderId: string, locale: string): Participant[] {
  const collator = new Intl.Collator(locale);
  return participants.filter((p) => p.proxyId === holderId && p.removedAt == null).sort((a, b) => collator.compare(a.name, b.name));
}

/** Whether this participant may give their vote to someone: a voter who holds nobody's. */
export function mayGiveProxy(participants: readonly Participant[], participant: Participant): boolean {
  return votes(participant) && participant.removedAt == null && !participants.some((p) => p.proxyId === participant.id && p.removedAt == null);
}

/** Who may hold this participant's proxy: other voters on the roster who have not given theirs away, by name. */
export function proxyCandidates(participants: readonly Participant[], giver: Pick<Participant, "id">, locale: string): Participant[] {
  const collator = new Intl.Collator(locale);
  return participants
    .filter((p) => p.id !== giver.id && p.removedAt == null && votes(p) && p.proxyId === null)
    .sort((a, b) => collator.compare(a.name, b.name));
}
