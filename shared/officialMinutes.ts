import { DEFAULT_TIME_ZONE } from "./minutes.ts";
import { attendanceOf, closedPolls, type OrganisationGroup, type Translate } from "./minutesFacts.ts";
import { pollFormWords, pollRecordTitle, pollResultWords, type ResultFormat } from "./pollResult.ts";
import type { ConferenceState, Millis, Participant } from "./state.ts";

/**
 * The frame of the official minutes (biên bản) after Decree 30/2020/ND-CP, form 1.9: every word
 * around the secretaries' own text, from the meeting's facts. The DOCX (server/minutes/export)
 * and the browser's print view (client/src/minutes) lay out the same frame; neither words it.
 * `t` is the `minutes` namespace in the conference's language.
 */

/** A moment in the conference's time zone. */
export interface DateParts {
  day: number;
  month: number;
  year: number;
  hour: number;
  minute: number;
}

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

const pad = (n: number) => String(n).padStart(2, "0");

/** What the date and time phrases interpolate: `day`, `dd` (two digits), the month's name, the year, `hour` and `minute` (two digits). */
function dateValues(d: DateParts, t: Translate): Record<string, unknown> {
  return { day: d.day, dd: pad(d.day), month: t(`official.month.${d.month}`), year: d.year, hour: pad(d.hour), minute: pad(d.minute) };
}

/** "Hà Nội, ngày 15 tháng 11 năm 2021". */
export function placeDate(t: Translate, place: string, d: DateParts): string {
  return t("official.placeDate", { place, ...dateValues(d, t) });
}

/** "08 giờ 30, ngày 15 tháng 11 năm 2021". */
export function dateTimeWords(t: Translate, d: DateParts): string {
  return t("official.dateTime", dateValues(d, t));
}

/** The place for the "place, date" line when the conference has no city: the venue up to its first comma or bracket. */
export function placeOf(venue: string): string {
  return venue.split(/[,(;]/)[0]!.trim();
}

/** One labelled fact ("Thời gian bắt đầu: 08 giờ 30, …"). */
export interface FrameField {
  label: string;
  value: string;
}

/** One part of the attendance: who, by organisation. */
export interface FrameAttendanceGroup {
  title: string;
  count: number;
  organisations: { name: string; names: string }[];
}

/** A signature block: its title, the hint, the name (empty: room to write it). */
export interface FrameSignature {
  title: string;
  hint: string;
  name: string;
}

export interface OfficialFrame {
  /** The body above the issuing one (may be empty) and the issuing body, as printed (upper case). */
  parentBody: string;
  issuingBody: string;
  /** "Số: ....../BB-LHH". */
  numberLine: string;
  /** Vietnamese documents only (Decree 30): the country and the motto. */
  nationalHeading: { country: string; motto: string } | null;
  /** "<city>, ngày … tháng … năm …", dated the meeting day. */
  placeDate: string;
  /** "BIÊN BẢN" and the conference's title. */
  documentTitle: string;
  title: string;
  /** Start time, venue, form, chair, secretary (who signs, others listed). */
  fields: FrameField[];
  attendanceTitle: string;
  /** "Có mặt: 58 người (tại hội trường: 40; trực tuyến: 18); vắng mặt: 2." */
  attendanceSummary: string;
  attendance: FrameAttendanceGroup[];
  /** The heading of the secretaries' text, and what stands in for it when there is none. */
  proceedingsTitle: string;
  noText: string;
  /** Results of closed polls the text does not already hold (a record inserted by a secretary is not repeated). */
  votesTitle: string;
  votes: { title: string; lines: string[] }[];
  /** The closing line with the actual time; null when the text already says it. */
  closing: string | null;
  secretary: FrameSignature;
  chair: FrameSignature;
  /** "Nơi nhận:" and its lines. */
  recipientsTitle: string;
  recipients: string[];
}

export interface FrameInput {
  state: ConferenceState;
  /** The secretaries' text as plain text: what it already says is not said twice. */
  text: string;
  /** When the frame is made: the date of the minutes if the meeting has none. */
  now: Millis;
  t: Translate;
  format: ResultFormat;
}

/** Text compared for "already in the secretaries' text": case and spacing aside. */
const squeeze = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleLowerCase("vi");

/** The secretary who signs: the chair's choice, else the first secretary (removed ones are not). */
export function signingSecretary(state: ConferenceState): Participant | undefined {
  const secretaries = state.participants.filter((p) => p.role === "secretary" && p.removedAt == null);
  return secretaries.find((p) => p.id === state.minutes.signerId) ?? secretaries[0];
}

export function officialFrame({ state, text, now, t, format }: FrameInput): OfficialFrame {
  const { conference, participants } = state;
  const timeZone = conference.timeZone || DEFAULT_TIME_ZONE;
  const word = (key: string) => t(`official.${key}`);
  const placeholder = word("placeholder");
  const day = datePartsOf(conference.startedAt ?? conference.startsAt ?? now, timeZone);
  const place = conference.city.trim() || placeOf(conference.venue) || placeholder;
  const members = participants.filter((p) => p.removedAt == null);
  const chairs = members.filter((p) => p.role === "chair");
  const secretaries = members.filter((p) => p.role === "secretary");
  const signer = signingSecretary(state);
  const others = secretaries.filter((p) => p !== signer);
  const attendance = attendanceOf(participants);
  const withOrganisation = (p: Participant) => (p.organisation.trim() ? `${p.name} (${p.organisation.trim()})` : p.name);

  const fields: FrameField[] = [
    { label: word("startedAt"), value: conference.startedAt === null ? word("timeOpen") : dateTimeWords(t, datePartsOf(conference.startedAt, timeZone)) },
    { label: word("venue"), value: conference.venue || placeholder },
    {
      label: word("format"),
      value: word(attendance.onlineCount > 0 && attendance.hallCount > 0 ? "formatHybrid" : attendance.onlineCount > 0 ? "formatOnline" : "formatHall"),
    },
    { label: word("chairs"), value: chairs.map(withOrganisation).join("; ") || placeholder },
    {
      label: word("secretaries"),
      value: signer ? [withOrganisation(signer), ...others.map(withOrganisation)].join("; ") : placeholder,
    },
  ];

  const group = (title: string, list: OrganisationGroup[]): FrameAttendanceGroup => ({
    title,
    count: list.reduce((sum, g) => sum + g.names.length, 0),
    organisations: list.map((g) => ({ name: g.organisation || word("noOrganisation"), names: g.names.join(", ") })),
  });

  const said = squeeze(text);
  const votes = closedPolls(state)
    .filter((poll) => !said.includes(squeeze(pollRecordTitle(poll, t))))
    .map((poll, index) => {
      const words = pollResultWords(poll, t, format);
      return {
        title: t("official.pollLine", { index: index + 1, question: poll.question }),
        lines: words ? [pollFormWords(poll, t), words.sentence, words.counts, words.hall, words.proxies].filter((line): line is string => line !== null) : [],
      };
    });

  const closingSaid = said.includes(squeeze(t("official.closingPrefix")));
  const closing = closingSaid
    ? null
    : conference.endedAt === null
      ? word("closingOpen")
      : t("official.closing", { dateTime: dateTimeWords(t, datePartsOf(conference.endedAt, timeZone)) });

  const shortName = conference.shortName.trim();
  return {
    parentBody: conference.parentOrganisation.trim().toLocaleUpperCase("vi"),
    issuingBody: (conference.organisation.trim() || placeholder).toLocaleUpperCase("vi"),
    numberLine: t("official.numberLine", { shortName: shortName || "……" }),
    nationalHeading: conference.language === "vi" ? { country: word("country"), motto: word("motto") } : null,
    placeDate: placeDate(t, place, day),
    documentTitle: word("title"),
    title: conference.title,
    fields,
    attendanceTitle: word("attendance"),
    attendanceSummary: t("official.presentCount", {
      total: attendance.total,
      hall: attendance.hallCount,
      online: attendance.onlineCount,
      absent: attendance.absentCount,
    }),
    attendance: [group(word("inHall"), attendance.hall), group(word("online"), attendance.online), group(word("absent"), attendance.absent)],
    proceedingsTitle: word("proceedings"),
    noText: word("noText"),
    votesTitle: word("votes"),
    votes,
    closing,
    secretary: { title: word("signatureSecretary"), hint: word("signHint"), name: signer?.name ?? "" },
    chair: { title: word("signatureChair"), hint: word("signHint"), name: chairs[0]?.name ?? "" },
    recipientsTitle: word("recipients"),
    recipients: [word("recipientsAttending"), t("official.recipientsArchive", { shortName: shortName ? `, ${shortName}` : "" })],
  };
}
