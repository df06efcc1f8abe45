// The one set of the minutes' words, the editor's one-click records and this export alike.
import type vi from "../../../shared/i18n/vi/minutes.json";
import { wordsFor } from "../../i18n.ts";
import type { Translate } from "../../../shared/minutesFacts.ts";
import type { Language } from "../../../shared/state.ts";

/** A moment in the conference's time zone. */
export interface DateParts {
  day: number;
  month: number;
  year: number;
  hour: number;
  minute: number;
}

/** A plain word of the official minutes: a string under `official` in minutes.json. */
export type OfficialWord = {
  [K in keyof typeof vi.official]: (typeof vi.official)[K] extends string ? K : never;
}[keyof typeof vi.official];

/** The words of the official minutes (biên bản) in one conference language. */
export interface MinutesLabels {
  /** Any key of the `minutes` namespace, in the conference's language. */
  t: Translate;
  /** `official.<key>`, checked against the translation file at compile time. */
  word(key: OfficialWord): string;
  /** The national heading: Vietnamese documents only (Decree 30/2020); null for the others. */
  nationalHeading: { country: string; motto: string } | null;
  /** "Hà Nội, ngày 15 tháng 11 năm 2021". */
  placeDate(place: string, date: DateParts): string;
  /** "08 giờ 30" / "08:30". */
  time(date: DateParts): string;
  /** "08 giờ 30, ngày 15 tháng 11 năm 2021" / "08:30, 15 November 2021". */
  dateTime(date: DateParts): string;
  /** The closing line, with the moment the meeting ended, or with room to write it in. */
  closing(date: DateParts | null): string;
  /** File name stem: `bien-ban` / `minutes`. */
  fileStem: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * What the date and time phrases interpolate: `day` as is and `dd` in two digits (Vietnamese
 * documents write "ngày 05"), the month's name, the year, and `hour` and `minute` in two digits.
 */
function dateValues(d: DateParts, t: Translate): Record<string, unknown> {
  return { day: d.day, dd: pad(d.day), month: t(`official.month.${d.month}`), year: d.year, hour: pad(d.hour), minute: pad(d.minute) };
}

/** The words of the official minutes in `language` (Vietnamese for a conference without one). */
export function labelsFor(language: Language | undefined): MinutesLabels {
  const lang: Language = language === "en" ? "en" : "vi";
  const t = wordsFor(lang, "minutes");
  const word = (key: OfficialWord) => t(`official.${key}`);
  const dateTime = (d: DateParts) => t("official.dateTime", dateValues(d, t));
  return {
    t,
    word,
    nationalHeading: lang === "vi" ? { country: word("country"), motto: word("motto") } : null,
    placeDate: (place, d) => t("official.placeDate", { place, ...dateValues(d, t) }),
    time: (d) => t("official.time", dateValues(d, t)),
    dateTime,
    closing: (d) => (d ? t("official.closing", { dateTime: dateTime(d) }) : word("closingOpen")),
    fileStem: word("fileStem"),
  };
}
