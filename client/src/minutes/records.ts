import { attendanceCounts } from "../../../shared/attendance.ts";
import { pollFormWords, pollRecordTitle, pollResultWords, type ResultFormat } from "../../../shared/pollResult.ts";
import type { ConferenceState, Millis, Participant, Poll, SpeechKind } from "../../../shared/state.ts";
import {
  byOrganisation,
  closedPolls,
  minutesAndSeconds,
  pollFacts,
  presenceNow,
  recordedItemId,
  speakingTimeByOrganisation,
  speechesOn,
  type Translate,
} from "../../../shared/minutesFacts.ts";

/**
 * One-click records for the minutes, written from the live state in the conference's language.
 * The facts come from shared/minutesFacts.ts, as the exported minutes' do; this module only words
 * them, every word through `t` (the `minutes` namespace fixed to the conference's language).
 */
export type { Translate };

export interface RecordFormat {
  /** Intl locale for times, e.g. "vi-VN". */
  locale: string;
  /** Time zone for times; the device's own by default. */
  timeZone?: string;
}

/** A record: a bold lead line and a bullet list, items with optional sub-items. */
export interface MinutesRecord {
  title: string;
  items: { text: string; children?: string[] }[];
}

/** ProseMirror JSON, as TipTap's insertContent takes it. */
export interface PmJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmJson[];
  text?: string;
  marks?: { type: string }[];
}

/** The Intl locale of each conference language, for the times in records. */
export const INTL_LOCALES = { vi: "vi-VN", en: "en-GB" } as const;

/** "3 phút 20 giây" / "3 min 20 s": a duration in words, to the nearest second. */
export function formatDuration(ms: number, t: Translate): string {
  const { minutes, seconds } = minutesAndSeconds(ms);
  return minutes > 0 ? t("record.duration.minutes", { minutes, seconds }) : t("record.duration.seconds", { seconds });
}

function formatTime(at: Millis, format: RecordFormat): string {
  return new Intl.DateTimeFormat(format.locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: format.timeZone }).format(at);
}

function personLine(p: Participant | undefined, t: Translate): string {
  if (!p) return t("record.unknownPerson");
  return p.organisation.trim() ? t("record.person", { name: p.name, organisation: p.organisation.trim() }) : p.name;
}

function kindSuffix(kind: SpeechKind, t: Translate): string {
  return kind === "speech" ? "" : ` (${t(`record.kind.${kind}`)})`;
}

/**
 * Who spoke on the recorded item ({@link recordedItemId}): name, organisation, in the hall or
 * online, start time and duration; the speech under way last. Null when nobody has spoken.
 */
export function speakersRecord(state: ConferenceState, t: Translate, format: RecordFormat): MinutesRecord | null {
  const itemId = recordedItemId(state);
  const speeches = speechesOn(state, itemId);
  if (speeches.length === 0) return null;
  const item = state.agenda.find((i) => i.id === itemId);
  return {
    title: item ? t("record.speakers.title", { item: item.title }) : t("record.speakers.titleNoItem"),
    items: speeches.map((s) => ({
      text: t("record.speakers.line", {
        person: personLine(s.speaker, t) + kindSuffix(s.kind, t),
        place: s.speaker ? t(`record.place.${s.speaker.attendance}`) : "",
        start: formatTime(s.startedAt, format),
        duration: s.durationMs === null ? t("record.speakers.ongoing") : formatDuration(s.durationMs, t),
      }),
    })),
  };
}

/** The polls the record's picker offers: closed ones, latest first. */
export function latestClosedPolls(state: ConferenceState): Poll[] {
  return closedPolls(state, "latestFirst");
}

/**
 * A closed poll's record: its form (secret or named, per person or per organisation), the count per
 * option, and the result in the one sentence every screen says (`pollResultWords`), with the hall's
 * hands and the proxies. Its title is the one the DOCX looks for, so the result is not printed twice.
 */
export function pollRecord(poll: Poll, t: Translate, format: ResultFormat): MinutesRecord {
  const facts = pollFacts(poll);
  const items: MinutesRecord["items"] = [{ text: pollFormWords(poll, t) }];
  items.push(...facts.counts.map(({ label, count }) => ({ text: t("record.poll.count", { label, count: format.number(count) }) })));
  const words = pollResultWords(poll, t, format);
  if (!words) items.push({ text: t("record.poll.outcome.pending") });
  else for (const line of [words.sentence, words.hall, words.proxies]) if (line !== null) items.push({ text: line });
  return { title: pollRecordTitle(poll, t), items };
}

/**
 * Who is here now ({@link presenceNow}): the hall, the connected online participants, and apart
 * the online participants who are not connected; by organisation, in order of arrival.
 */
export function attendanceRecord(state: ConferenceState, now: Millis, t: Translate, format: RecordFormat): MinutesRecord {
  const { hall, online, away } = presenceNow(state.participants);
  const groups = (list: Participant[]) =>
    byOrganisation(list).map(({ organisation, names }) =>
      t("record.attendance.group", { organisation: organisation || t("record.attendance.noOrganisation"), names: names.join(", ") }),
    );
  const items: MinutesRecord["items"] = [
    { text: t("record.attendance.hall", { count: hall.length }), children: groups(hall) },
    { text: t("record.attendance.online", { count: online.length }), children: groups(online) },
  ];
  if (away.length > 0) items.push({ text: t("record.attendance.away", { count: away.length }), children: groups(away) });
  // The quorum at a glance, counted as the header and the projector count it.
  items.push({ text: t("record.attendance.quorum", { ...attendanceCounts(state) }) });
  return {
    title: t("record.attendance.title", { count: hall.length + online.length, time: formatTime(now, format) }),
    items,
  };
}

/**
 * Speaking time per organisation ({@link speakingTimeByOrganisation}) as a record: on one item
 * (`itemId`) or over the whole meeting (`undefined`), one line an organisation, longest first,
 * with its speeches, total time and share of the time spoken; the speech under way counted up
 * to `now`. Null when nobody has spoken there.
 */
export function speakingTimeRecord(state: ConferenceState, now: Millis, itemId: string | null | undefined, t: Translate, format: RecordFormat): MinutesRecord | null {
  const rows = speakingTimeByOrganisation(state, now, itemId);
  if (rows.length === 0) return null;
  const item = itemId === undefined ? undefined : state.agenda.find((i) => i.id === itemId);
  const percent = new Intl.NumberFormat(format.locale, { style: "percent", maximumFractionDigits: 1 });
  return {
    title: item ? t("record.speakingTime.titleItem", { item: item.title }) : t("record.speakingTime.title"),
    items: rows.map((row) => ({
      text: t("record.speakingTime.row", {
        organisation: row.organisation || t("record.speakingTime.none"),
        speeches: row.speeches,
        total: formatDuration(row.totalMs, t),
        share: percent.format(row.share),
      }),
    })),
  };
}

/** A record as ProseMirror content: a paragraph with the bold title, then a (nested) bullet list. */
export function recordToContent(record: MinutesRecord): PmJson[] {
  const paragraph = (text: string, bold = false): PmJson => ({
    type: "paragraph",
    content: text ? [{ type: "text", text, ...(bold ? { marks: [{ type: "bold" }] } : {}) }] : [],
  });
  const list = (items: { text: string; children?: string[] }[]): PmJson => ({
    type: "bulletList",
    content: items.map((item) => ({
      type: "listItem",
      content: [
        paragraph(item.text),
        ...(item.children && item.children.length > 0 ? [list(item.children.map((text) => ({ text })))] : []),
      ],
    })),
  });
  return [paragraph(record.title, true), ...(record.items.length > 0 ? [list(record.items)] : [])];
}
