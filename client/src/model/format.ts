import type { Language } from "../../../shared/state.ts";

/** The Intl locale for each interface language. */
export const INTL_LOCALE: Record<Language, string> = { vi: "vi-VN", en: "en-GB" };

/** Number, date and time formatters for one locale and one time zone. */
export interface Formatters {
  locale: string;
  /** The zone every time is shown in: the conference's, or the device's when none is given. */
  timeZone: string | undefined;
  number(n: number): string;
  percent(ratio: number): string;
  /** A share of a poll's base, to a tenth of a percent ("68,3 %"), as the result sentence says it. */
  sharePercent(ratio: number): string;
  /** Wall-clock time, hours and minutes. */
  time(ms: number): string;
  /** Time and date, e.g. for when a conference starts: "08:30, Thứ Hai, 15 tháng 11, 2021". */
  dateTime(ms: number): string;
  /** A short date and time, e.g. on an invitation card: "08:30 15/11/2021". */
  shortDateTime(ms: number): string;
}

const cache = new Map<string, Formatters>();

/**
 * The formatters of a locale, showing times in `timeZone` (the conference's `timeZone`: every
 * time a page shows is the meeting's, not the device's). Without one, the device's zone.
 */
export function formatters(locale: string, timeZone?: string): Formatters {
  const key = `${locale}|${timeZone ?? ""}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let zone = timeZone;
  try {
    if (zone) new Intl.DateTimeFormat(locale, { timeZone: zone });
  } catch {
    zone = undefined; // an unknown zone (an older browser's tables): the device's, rather than nothing
  }
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const sharePercent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  // Composed, not ICU's "{date} {time}" pattern, whose Vietnamese form starts with a lower-case "lúc".
  const fullDate = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: zone });
  const shortDateTime = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  const made: Formatters = {
    locale,
    timeZone: zone,
    number: (n) => number.format(n),
    percent: (r) => percent.format(r),
    sharePercent: (r) => sharePercent.format(r),
    time: (ms) => time.format(ms),
    dateTime: (ms) => `${time.format(ms)}, ${fullDate.format(ms)}`,
    shortDateTime: (ms) => shortDateTime.format(ms),
  };
  cache.set(key, made);
  return made;
}
