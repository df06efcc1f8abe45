import { isPresent } from "./domain/participants.ts";
import { organisationKey } from "./domain/polls.ts";
import { isVoter } from "./roles.ts";
import type { Participant } from "./state.ts";

/**
 * The snapshot's `attendance` (v1.1), counted from the roster: for the header, the projector and
 * the minutes. Projectors are not people and removed participants are gone: they count nowhere. Present: checked in and not gone
 * since (`isPresent`). Organisations: distinct non-empty names, compared as voter keys compare
 * them (`organisationKey`: case, spacing and Unicode form do not matter).
 */
export interface AttendanceCounts {
  /** Everyone on the roster. */
  registered: number;
  present: number;
  presentHall: number;
  presentOnline: number;
  /** Participants whose role votes (chairs and delegates). */
  voters: number;
  votersPresent: number;
  /** Organisations named by anyone on the roster. */
  organisations: number;
  /** Organisations with at least one member present. */
  organisationsPresent: number;
}

type Counted = Pick<Participant, "role" | "attendance" | "organisation" | "checkedInAt" | "leftAt"> & {
  /** A participant the chair removed counts nowhere. */
  removedAt?: number | null;
};

/** One pure count, the same on the server (`presentSnapshot`) and in every client's mirror. */
export function attendanceCounts(participants: readonly Counted[]): AttendanceCounts {
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
  const organisations = new Set<string>();
  const organisationsPresent = new Set<string>();
  for (const p of participants) {
    if (p.role === "projector" || p.removedAt != null) continue;
    const present = isPresent(p);
    const organisation = organisationKey(p.organisation);
    counts.registered++;
    if (organisation) organisations.add(organisation);
    if (isVoter(p.role)) {
      counts.voters++;
      if (present) counts.votersPresent++;
    }
    if (!present) continue;
    counts.present++;
    if (p.attendance === "online") counts.presentOnline++;
    else counts.presentHall++;
    if (organisation) organisationsPresent.add(organisation);
  }
  counts.organisations = organisations.size;
  counts.organisationsPresent = organisationsPresent.size;
  return counts;
}
