import { isPresent } from "./domain/participants.ts";
import { votes } from "./domain/organisations.ts";
import type { ConferenceState, Participant } from "./state.ts";

/**
 * The snapshot's `attendance` (v1.1), counted from the roster: for the header, the projector and
 * the minutes. Projectors are not people and removed participants are gone: they count nowhere. Present: checked in and not gone
 * since (`isPresent`). Organisations: those on the roster, present when one of their members is
 * (guests, on no organisation, count as people only).
 */
export interface AttendanceCounts {
  /** Everyone on the roster. */
  registered: number;
  present: number;
  presentHall: number;
  presentOnline: number;
  /** Participants who vote (chairs and delegates, not guests). */
  voters: number;
  votersPresent: number;
  /** Organisations on the roster. */
  organisations: number;
  /** Organisations with at least one member present. */
  organisationsPresent: number;
}

type Counted = Pick<Participant, "role" | "guest" | "attendance" | "organisationId" | "checkedInAt" | "leftAt"> & {
  /** A participant the chair removed counts nowhere. */
  removedAt?: number | null;
};

/** One pure count, the same on the server (`presentSnapshot`) and in every client's mirror. */
export function attendanceCounts({ participants, organisations }: { participants: readonly Counted[]; organisations: Pick<ConferenceState, "organisations">["organisations"] }): AttendanceCounts {
  const counts: AttendanceCounts = {
    registered: 0,
    present: 0,
    presentHall: 0,
    presentOnline: 0,
    voters: 0,
    votersPresent: 0,
    organisations: 0,
    organisationsPresent: 0,
  };
  const organisationsPresent = new Set<string>();
  for (const p of participants) {
    if (p.role === "projector" || p.removedAt != null) continue;
    const present = isPresent(p);
    counts.registered++;
    if (votes(p)) {
      counts.voters++;
      if (present) counts.votersPresent++;
    }
    if (!present) continue;
    counts.present++;
    if (p.attendance === "online") counts.presentOnline++;
    else counts.presentHall++;
    if (p.organisationId) organisationsPresent.add(p.organisationId);
  }
  counts.organisations = organisations.length;
  counts.organisationsPresent = organisationsPresent.size;
  return counts;
}
