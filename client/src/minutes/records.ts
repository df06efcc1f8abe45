import type { ConferenceState, Millis, Participant, Poll, SpeechKind } from "../../../shared/state.ts";

/**
 * One-click records for the minutes, written from the live state in the conference's language.
 * Pure: every word comes through `t` (the `minutes` namespace fixed to the conference's
 * language), so the editor, the tests and any later server use build the same text.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

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

export const INTL_LOCALES = { vi: "vi-VN", en: "en-GB" } as const;
/** Times in records are the meeting's, as in the exported minutes (the server's default zone), not the device's. */
export const MINUTES_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** "3 phút 20 giây" / "3 min 20 s". */
export function formatDuration(ms: number, t: Translate): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
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
 * Who spoke on the current agenda item (or, with no item under way, outside any item): name,
 * organisation, in the hall or online, start time and duration; the speech under way last.
 * Null when nobody has spoken.
 */
/**
 * The item whose speakers the record lists: the current one once anyone has spoken on it, else
 * the item of the latest speech, so the item just finished (or the last one, after the meeting
 * ended) can still be recorded.
 */
export function recordedItemId(state: ConferenceState): string | null {
  const { current, history } = state.speakers;
  const spokenOn = (itemId: string) => current?.itemId === itemId || history.some((s) => s.itemId === itemId);
  if (state.currentItemId !== null && spokenOn(state.currentItemId)) return state.currentItemId;
  const latest = current ?? history[history.length - 1];
  return latest ? latest.itemId : state.currentItemId;
}

export function speakersRecord(state: ConferenceState, t: Translate, format: RecordFormat): MinutesRecord | null {
  const itemId = recordedItemId(state);
  const people = new Map(state.participants.map((p) => [p.id, p]));
  const speeches: { participantId: string; kind: SpeechKind; startedAt: Millis; endedAt: Millis | null }[] = state.speakers.history
    .filter((s) => s.itemId === itemId)
    .map((s) => ({ participantId: s.participantId, kind: s.kind, startedAt: s.startedAt, endedAt: s.endedAt }));
  const current = state.speakers.current;
  if (current && current.itemId === itemId) {
    speeches.push({ participantId: current.participantId, kind: current.kind, startedAt: current.startedAt, endedAt: null });
  }
  if (speeches.length === 0) return null;
  speeches.sort((a, b) => a.startedAt - b.startedAt);
  const item = state.agenda.find((i) => i.id === itemId);
  return {
    title: item ? t("record.speakers.title", { item: item.title }) : t("record.speakers.titleNoItem"),
    items: speeches.map((s) => {
      const person = people.get(s.participantId);
      const place = person ? t(`record.place.${person.attendance}`) : "";
      const duration = s.endedAt === null ? t("record.speakers.ongoing") : formatDuration(s.endedAt - s.startedAt, t);
      return {
        text: t("record.speakers.line", {
          person: personLine(person, t) + kindSuffix(s.kind, t),
          place,
          start: formatTime(s.startedAt, format),
          duration,
        }),
      };
    }),
  };
}

/** The polls whose result can be recorded: closed ones, latest first. */
export function closedPolls(state: ConferenceState): Poll[] {
  return state.polls.filter((p) => p.status === "closed").sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
}

/** A closed poll's question, counts per option and outcome. */
export function pollRecord(poll: Poll, t: Translate): MinutesRecord {
  const tally = poll.tally ?? {};
  const items: MinutesRecord["items"] = poll.options.map((option) => ({
    text: t("record.poll.count", { label: option.label, count: tally[option.id] ?? 0 }),
  }));
  items.push({ text: t("record.poll.cast", { eligible: poll.eligible ?? "—", cast: poll.votesCast }) });
  const winner = poll.options.find((o) => o.id === poll.winnerOptionId);
  const outcome =
    poll.kind === "election" && poll.outcome === "elected" && winner
      ? t("record.poll.elected", { name: winner.label })
      : poll.outcome
        ? t(`record.poll.outcome.${poll.outcome}`)
        : t("record.poll.outcome.pending");
  items.push({ text: outcome });
  return { title: t("record.poll.title", { question: poll.question }), items };
}

/**
 * Who is here now: everyone registered in the hall (many have no device), and the online
 * participants who are connected; online participants who are not connected are listed apart.
 * By organisation, in order of arrival. The hall's screens are not people.
 */
export function attendanceRecord(state: ConferenceState, now: Millis, t: Translate, format: RecordFormat): MinutesRecord {
  const people = state.participants.filter((p) => p.role !== "projector");
  const hall = people.filter((p) => p.attendance === "hall");
  const online = people.filter((p) => p.attendance === "online" && p.online);
  const away = people.filter((p) => p.attendance === "online" && !p.online);
  const byOrganisation = (list: Participant[]) => {
    const groups = new Map<string, string[]>();
    for (const p of list) {
      const key = p.organisation.trim();
      groups.set(key, [...(groups.get(key) ?? []), p.name]);
    }
    return [...groups].map(([organisation, names]) =>
      t("record.attendance.group", { organisation: organisation || t("record.attendance.noOrganisation"), names: names.join(", ") }),
    );
  };
  const items: MinutesRecord["items"] = [
    { text: t("record.attendance.hall", { count: hall.length }), children: byOrganisation(hall) },
    { text: t("record.attendance.online", { count: online.length }), children: byOrganisation(online) },
  ];
  if (away.length > 0) items.push({ text: t("record.attendance.away", { count: away.length }), children: byOrganisation(away) });
  return {
    title: t("record.attendance.title", { count: hall.length + online.length, time: formatTime(now, format) }),
    items,
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
