import { isPresent } from "./domain/participants.ts";
import type { Attendance } from "./roles.ts";
import type { ConferenceState, ElectionOutcome, Majority, Millis, MotionOutcome, Participant, Poll, SpeechKind } from "./state.ts";

/**
 * What the minutes record, as facts: which polls and in which order, what each poll came to, who
 * spoke on an item, who attended, by organisation. Pure and wordless, so the one-click records in
 * the editor and the exported DOCX state the same facts and only format them differently.
 */

/**
 * How the formatters of these facts get their words: i18next's `t` fixed to the `minutes`
 * namespace (shared/i18n/<language>/minutes.json) and the conference's language, in
 * the editor and on the server alike.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** In which order {@link closedPolls} lists them. */
export type PollOrder = "closing" | "latestFirst";

/**
 * The polls whose result the minutes record: closed ones, in the order they closed (the minutes'
 * order), or latest first (a picker's). Polls that closed at the same moment keep their order of
 * creation either way, so the two orders are not mirror images of each other.
 */
export function closedPolls(state: ConferenceState, order: PollOrder = "closing"): Poll[] {
  const sign = order === "closing" ? 1 : -1;
  // Array.prototype.sort is stable: ties stay in the state's order.
  return state.polls.filter((p) => p.status === "closed").sort((a, b) => sign * ((a.closedAt ?? 0) - (b.closedAt ?? 0)));
}

/** What a closed poll came to. */
export interface PollFacts {
  question: string;
  /** Votes per option, in the options' order; an option nobody chose counts 0. */
  counts: { label: string; count: number }[];
  /** Who could vote; null when nobody was counted (the poll never opened). */
  eligible: number | null;
  /** Votes cast. */
  cast: number;
  majority: Majority;
  secret: boolean;
  /** Null while the poll has no result. */
  outcome: MotionOutcome | ElectionOutcome | null;
  /** The elected candidate: set only for an election someone won, and only if they are among its options. */
  winner: string | null;
}

/** A poll's counts, turnout and outcome. */
export function pollFacts(poll: Poll): PollFacts {
  const tally = poll.tally ?? {};
  const winner = poll.kind === "election" && poll.outcome === "elected" ? poll.options.find((o) => o.id === poll.winnerOptionId) : undefined;
  return {
    question: poll.question,
    counts: poll.options.map((option) => ({ label: option.label, count: tally[option.id] ?? 0 })),
    eligible: poll.eligible,
    cast: poll.votesCast,
    majority: poll.majority,
    secret: poll.secret,
    outcome: poll.outcome,
    winner: winner ? winner.label : null,
  };
}

/**
 * The item whose speakers the minutes list: the current one once anyone has spoken on it, else
 * the item of the latest speech, so the item just finished (or the last one, after the meeting
 * ended) can still be recorded. Null outside any item.
 */
export function recordedItemId(state: ConferenceState): string | null {
  const { current, history } = state.speakers;
  const spokenOn = (itemId: string) => current?.itemId === itemId || history.some((s) => s.itemId === itemId);
  if (state.currentItemId !== null && spokenOn(state.currentItemId)) return state.currentItemId;
  const latest = current ?? history[history.length - 1];
  return latest ? latest.itemId : state.currentItemId;
}

/** One speech, finished or under way. */
export interface SpeechFacts {
  /** Who spoke; undefined if they are no longer among the participants. */
  speaker: Participant | undefined;
  kind: SpeechKind;
  startedAt: Millis;
  /** How long it lasted; null while it is under way. */
  durationMs: Millis | null;
}

/** The speeches on `itemId` (null: outside any item) in the order they began, the one under way included. */
export function speechesOn(state: ConferenceState, itemId: string | null): SpeechFacts[] {
  const people = new Map(state.participants.map((p) => [p.id, p]));
  const speeches: SpeechFacts[] = state.speakers.history
    .filter((s) => s.itemId === itemId)
    .map((s) => ({ speaker: people.get(s.participantId), kind: s.kind, startedAt: s.startedAt, durationMs: s.endedAt - s.startedAt }));
  const current = state.speakers.current;
  if (current && current.itemId === itemId) {
    speeches.push({ speaker: people.get(current.participantId), kind: current.kind, startedAt: current.startedAt, durationMs: null });
  }
  // Stable: speeches that began in the same millisecond keep the history's order.
  return speeches.sort((a, b) => a.startedAt - b.startedAt);
}

/** A duration in whole minutes and seconds, rounded to the nearest second; never negative. */
export function minutesAndSeconds(ms: Millis): { minutes: number; seconds: number } {
  const total = Math.max(0, Math.round(ms / 1000));
  return { minutes: Math.floor(total / 60), seconds: total % 60 };
}

/** An organisation's people; `organisation` is "" for those who gave none. */
export interface OrganisationGroup {
  organisation: string;
  names: string[];
}

/** People grouped by organisation (trimmed), the groups in order of their first member's arrival. */
export function byOrganisation(people: readonly Participant[]): OrganisationGroup[] {
  const groups = new Map<string, string[]>();
  for (const p of people) {
    const key = p.organisation.trim();
    groups.set(key, [...(groups.get(key) ?? []), p.name]);
  }
  return [...groups].map(([organisation, names]) => ({ organisation, names }));
}

/** The people of the minutes: everyone but the hall's screens. */
function people(participants: readonly Participant[]): Participant[] {
  return participants.filter((p) => p.role !== "projector" && p.removedAt == null);
}

/** Who attended the meeting, as the official minutes state it. */
export interface AttendanceSummary {
  /** Present: hall and online. */
  total: number;
  hall: OrganisationGroup[];
  online: OrganisationGroup[];
  absent: OrganisationGroup[];
  hallCount: number;
  onlineCount: number;
  absentCount: number;
}

/**
 * Who attended and who was absent: present are those checked in (they connected, or a chair or
 * secretary checked them in), by place and then organisation.
 */
export function attendanceOf(participants: readonly Participant[]): AttendanceSummary {
  const everyone = people(participants);
  const present = everyone.filter((p) => p.checkedInAt != null);
  const at = (attendance: Attendance) => present.filter((p) => p.attendance === attendance);
  const absent = everyone.filter((p) => p.checkedInAt == null);
  return {
    total: present.length,
    hall: byOrganisation(at("hall")),
    online: byOrganisation(at("online")),
    absent: byOrganisation(absent),
    hallCount: at("hall").length,
    onlineCount: at("online").length,
    absentCount: absent.length,
  };
}

/** Who is here at one moment, by place, for a roll call during the meeting. */
export interface PresenceNow {
  /** Present in the hall: checked in (a first connection, or a chair or secretary's check-in) and not gone. */
  hall: Participant[];
  /** Present online, as for the hall. */
  online: Participant[];
  /** On the roster but not present: never checked in, or gone. */
  away: Participant[];
}

/**
 * Who is here now: the same fact as the snapshot's attendance (`isPresent`: checked in and not
 * gone), never "registered in the hall" nor "connected this second" (a phone may sleep).
 */
export function presenceNow(participants: readonly Participant[]): PresenceNow {
  const everyone = people(participants);
  const present = everyone.filter(isPresent);
  return {
    hall: present.filter((p) => p.attendance === "hall"),
    online: present.filter((p) => p.attendance === "online"),
    away: everyone.filter((p) => !isPresent(p)),
  };
}

/** One organisation's share of the floor (issue 15: speaking time per organisation). */
export interface OrganisationSpeakingTime {
  /** The organisation's name as shown; "" for speakers on none. */
  organisation: string;
  speeches: number;
  totalMs: Millis;
  /** Of the time all speeches took on the item (or the meeting): 0 to 1. */
  share: number;
}

/**
 * Speaking time per organisation on one item (`itemId`), or over the whole meeting (`undefined`):
 * finished speeches, and the one under way counted up to `now`. Sorted by time, longest first.
 */
export function speakingTimeByOrganisation(state: ConferenceState, now: Millis, itemId?: string | null): OrganisationSpeakingTime[] {
  const people = new Map(state.participants.map((p) => [p.id, p]));
  const rows = new Map<string, OrganisationSpeakingTime>();
  const add = (participantId: string, ms: number) => {
    const organisation = people.get(participantId)?.organisation.trim() ?? "";
    const row = rows.get(organisation) ?? { organisation, speeches: 0, totalMs: 0, share: 0 };
    row.speeches++;
    row.totalMs += Math.max(0, ms);
    rows.set(organisation, row);
  };
  for (const s of state.speakers.history) if (itemId === undefined || s.itemId === itemId) add(s.participantId, s.endedAt - s.startedAt);
  const current = state.speakers.current;
  if (current && (itemId === undefined || current.itemId === itemId)) add(current.participantId, now - current.startedAt);
  const total = [...rows.values()].reduce((sum, r) => sum + r.totalMs, 0);
  return [...rows.values()]
    .map((r) => ({ ...r, share: total > 0 ? r.totalMs / total : 0 }))
    .sort((a, b) => b.totalMs - a.totalMs || a.organisation.localeCompare(b.organisation, "vi"));
}
