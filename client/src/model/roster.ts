import { organisationMatches } from "../../../shared/domain/organisations.ts";
import { ROLES } from "../../../shared/roles.ts";
import { rosterStatus, type RosterStatus } from "../../../shared/domain/participants.ts";
import type { Organisation, Participant } from "../../../shared/state.ts";
import { matchesQuery } from "./participants.ts";

/** How the chair's roster table is ordered. */
export const ROSTER_SORTS = ["organisation", "name", "status", "role"] as const;
export type RosterSort = (typeof ROSTER_SORTS)[number];

/** Which statuses the table shows: everyone, those present (hall or online), invited, left. */
export const STATUS_FILTERS = ["all", "present", "invited", "left"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface RosterQuery {
  /** Words of a name or an organisation, diacritics optional ("nghe an" finds "Nghệ An"). */
  text: string;
  status: StatusFilter;
  sort: RosterSort;
}

export const DEFAULT_ROSTER_QUERY: RosterQuery = { text: "", status: "all", sort: "organisation" };

/** The roster split for the chair's people tab. */
export interface RosterView {
  /** The people the query finds, in its order. */
  rows: Participant[];
  /** Everyone on the roster (not screens, not removed), whatever the query. */
  total: number;
  /** The hall's screens: participants, but not people. */
  screens: Participant[];
  /** Whom a chair removed: kept for the records, shown apart and greyed. */
  removed: Participant[];
}

/** Present ones first (hall, online), then those invited, then those gone. */
const STATUS_ORDER: Record<RosterStatus, number> = { hall: 0, online: 1, invited: 2, left: 3 };

function statusMatches(participant: Participant, filter: StatusFilter): boolean {
  const status = rosterStatus(participant);
  switch (filter) {
    case "all":
      return true;
    case "present":
      return status === "hall" || status === "online";
    case "invited":
    case "left":
      return status === filter;
  }
}

/**
 * Vietnamese lists go by the given name, the last word ("Nguyễn Văn An" under A), then by the
 * whole name; a one-word name is its own given name.
 */
export function nameComparer(locale: string): (a: string, b: string) => number {
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  const given = (name: string) => name.trim().split(/\s+/).at(-1) ?? "";
  return (a, b) => collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/** The comparison of a sort order; ties go by name. */
export function rosterComparer(sort: RosterSort, locale: string): (a: Participant, b: Participant) => number {
  const byName = nameComparer(locale);
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  const names = (a: Participant, b: Participant) => byName(a.name, b.name);
  switch (sort) {
    case "name":
      return names;
    case "organisation":
      // People on no organisation come last, not first.
      return (a, b) =>
        Number(a.organisation.trim() === "") - Number(b.organisation.trim() === "") ||
        collator.compare(a.organisation, b.organisation) ||
        Number(b.representative) - Number(a.representative) ||
        names(a, b);
    case "status":
      return (a, b) => STATUS_ORDER[rosterStatus(a)] - STATUS_ORDER[rosterStatus(b)] || names(a, b);
    case "role":
      return (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || names(a, b);
  }
}

/** The roster as the chair's table shows it: found by the query's words and status, in its order. */
export function rosterView(participants: readonly Participant[], query: RosterQuery, locale: string): RosterView {
  const members = participants.filter((p) => p.removedAt == null);
  const people = members.filter((p) => p.role !== "projector");
  const rows = people
    .filter((p) => statusMatches(p, query.status) && matchesQuery(p, query.text))
    .sort(rosterComparer(query.sort, locale));
  const byName = nameComparer(locale);
  return {
    rows,
    total: people.length,
    screens: members.filter((p) => p.role === "projector").sort((a, b) => byName(a.name, b.name)),
    removed: participants.filter((p) => p.removedAt != null).sort((a, b) => byName(a.name, b.name)),
  };
}

/** How many of each status, for the filter's labels. */
export function statusCounts(participants: readonly Participant[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: 0, present: 0, invited: 0, left: 0 };
  for (const p of participants) {
    if (p.removedAt != null || p.role === "projector") continue;
    counts.all++;
    const status = rosterStatus(p);
    if (status === "hall" || status === "online") counts.present++;
    else counts[status]++;
  }
  return counts;
}

/** An organisation with how many of its members are on the roster and present. */
export interface OrganisationRow {
  organisation: Organisation;
  members: number;
  present: number;
  representative: Participant | null;
}

/** The roster's organisations by name, with their members counted. */
export function organisationRows(organisations: readonly Organisation[], participants: readonly Participant[], locale: string): OrganisationRow[] {
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  const rows = new Map<string, OrganisationRow>(organisations.map((o) => [o.id, { organisation: o, members: 0, present: 0, representative: null }]));
  for (const p of participants) {
    if (p.removedAt != null || p.role === "projector" || !p.organisationId) continue;
    const row = rows.get(p.organisationId);
    if (!row) continue;
    row.members++;
    const status = rosterStatus(p);
    if (status === "hall" || status === "online") row.present++;
    if (p.representative) row.representative = p;
  }
  return [...rows.values()].sort((a, b) => collator.compare(a.organisation.name, b.organisation.name));
}

/**
 * The organisations a join page's search finds, by name or short name, diacritics optional (the
 * shared `organisationMatches`), names that start with the query first; at most `limit`, with how
 * many were found in all.
 */
export function findOrganisations(
  organisations: readonly Organisation[],
  query: string,
  locale: string,
  limit = 8,
): { shown: Organisation[]; found: number } {
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  const found = organisations.filter((o) => organisationMatches(o, query));
  const starts = (o: Organisation) => (organisationMatches({ name: o.name.slice(0, query.trim().length), shortName: "" }, query) ? 0 : 1);
  found.sort((a, b) => starts(a) - starts(b) || collator.compare(a.name, b.name));
  return { shown: found.slice(0, limit), found: found.length };
}
