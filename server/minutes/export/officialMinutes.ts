import type { Attendance } from "../../../shared/roles.ts";
import type { ConferenceState, Millis, Participant, Poll } from "../../../shared/state.ts";
import type { DateParts, MinutesLabels } from "./labels.ts";

import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";

/** Day and time of `at` in `timeZone`. */
export function datePartsOf(at: Millis, timeZone = DEFAULT_TIME_ZONE): DateParts {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { day: get("day"), month: get("month"), year: get("year"), hour: get("hour"), minute: get("minute") };
}

/** The place for the "place, date" line: the venue up to its first comma or bracket. */
export function placeOf(venue: string): string {
  return venue.split(/[,(;]/)[0]!.trim();
}

/** An organisation's people. */
export interface OrganisationGroup {
  organisation: string;
  names: string[];
}

export interface AttendanceSummary {
  total: number;
  hall: OrganisationGroup[];
  online: OrganisationGroup[];
  absent: OrganisationGroup[];
  hallCount: number;
  onlineCount: number;
  absentCount: number;
}

/** People grouped by organisation, in order of first arrival. */
function byOrganisation(people: readonly Participant[]): OrganisationGroup[] {
  const groups = new Map<string, string[]>();
  for (const p of people) {
    const key = p.organisation.trim();
    groups.set(key, [...(groups.get(key) ?? []), p.name]);
  }
  return [...groups].map(([organisation, names]) => ({ organisation, names }));
}

/**
 * Who attended and who was absent: everyone but the hall's screens. Present are those checked in
 * (they connected, or a chair or secretary checked them in), by place and then organisation.
 */
export function attendanceOf(participants: readonly Participant[]): AttendanceSummary {
  const people = participants.filter((p) => p.role !== "projector");
  const present = people.filter((p) => p.checkedInAt != null);
  const at = (attendance: Attendance) => present.filter((p) => p.attendance === attendance);
  const absentPeople = people.filter((p) => p.checkedInAt == null);
  return {
    total: present.length,
    hall: byOrganisation(at("hall")),
    online: byOrganisation(at("online")),
    absent: byOrganisation(absentPeople),
    hallCount: at("hall").length,
    onlineCount: at("online").length,
    absentCount: absentPeople.length,
  };
}

/** "Name (Organisation)" for the chair and secretary lines. */
export function nameWithOrganisation(p: Participant): string {
  return p.organisation.trim() ? `${p.name} (${p.organisation.trim()})` : p.name;
}

/** What the minutes print about one closed poll. */
export interface PollSummary {
  question: string;
  counts: { label: string; count: number }[];
  details: string;
  outcome: string;
}

/** A closed poll's counts per option and its outcome, in the conference's words. */
export function summarisePoll(poll: Poll, labels: MinutesLabels): PollSummary {
  const tally = poll.tally ?? {};
  const counts = poll.options.map((option) => ({ label: option.label, count: tally[option.id] ?? 0 }));
  const rule = [labels.majority[poll.majority], poll.secret ? labels.secret : null].filter(Boolean).join(", ");
  const details = `${labels.eligible(poll.eligible, poll.votesCast)} (${rule}).`;
  let outcome = poll.outcome ? labels.outcome[poll.outcome] : labels.placeholder;
  if (poll.kind === "election" && poll.outcome === "elected") {
    const winner = poll.options.find((o) => o.id === poll.winnerOptionId);
    if (winner) outcome = labels.elected(winner.label);
  }
  return { question: poll.question, counts, details, outcome };
}

/** The polls the minutes report: closed ones, in the order they closed. */
export function closedPolls(state: ConferenceState): Poll[] {
  return state.polls
    .filter((p) => p.status === "closed")
    .sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0));
}

/** The file name of the export: `bien-ban-2021-11-15.docx`. */
export function exportFileName(stem: string, at: Millis, timeZone = DEFAULT_TIME_ZONE): string {
  const d = datePartsOf(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${d.year}-${pad(d.month)}-${pad(d.day)}.docx`;
}
