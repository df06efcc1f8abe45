import { searchKey } from "../../../shared/domain/organisations.ts";
import type { Participant } from "../../../shared/state.ts";

/** Participants by id, for naming requests, speakers and voters. */
export function indexParticipants(participants: readonly Participant[]): Map<string, Participant> {
  return new Map(participants.map((p) => [p.id, p]));
}

/** People who attend (chairs, secretaries, delegates, observers): not the hall's screens, nor whom a chair removed. */
export function attendees(participants: readonly Participant[]): Participant[] {
  return participants.filter((p) => p.role !== "projector" && p.removedAt == null);
}

export interface PresenceSummary {
  /** Attending in the hall. */
  hall: number;
  /** Attending online. */
  online: number;
  /** Holding a live connection right now (any attendance). */
  connected: number;
  total: number;
}

/** Counts for the "who is present" header. */
export function presenceSummary(participants: readonly Participant[]): PresenceSummary {
  const people = attendees(participants);
  return {
    hall: people.filter((p) => p.attendance === "hall").length,
    online: people.filter((p) => p.attendance === "online").length,
    connected: people.filter((p) => p.online).length,
    total: people.length,
  };
}

/** Attendees sorted for a list: by attendance (hall first), then name in the given locale. */
export function sortedAttendees(participants: readonly Participant[], locale: string): Participant[] {
  const collator = new Intl.Collator(locale);
  return attendees(participants).sort(
    (a, b) => (a.attendance === b.attendance ? collator.compare(a.name, b.name) : a.attendance === "hall" ? -1 : 1),
  );
}

/** Text folded for searching: no case, no diacritics (so "duc" finds "Đức"); the shared `searchKey`. */
export function foldForSearch(text: string): string {
  return searchKey(text);
}

/** Whether a person's name or organisation contains every word of the query. */
export function matchesQuery(participant: Pick<Participant, "name" | "organisation">, query: string): boolean {
  const haystack = foldForSearch(`${participant.name} ${participant.organisation}`);
  return foldForSearch(query).split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}
