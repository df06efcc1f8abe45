import type { Language } from "../../../shared/state.ts";

/** The Intl locale for each interface language. */
export const INTL_LOCALE: Record<Language, string> = { vi: "vi-VN", en: "en-GB" };

/** Number, date and time formatters for one locale. */
export interface Formatters {
  locale: string;
  number(n: number): string;
  percent(ratio: number): string;
  /** Wall-clock time, hours and minutes. */
  time(ms: number): string;
  /** Date and time, e.g. for when a conference starts. */
  dateTime(ms: number): string;
}

const cache = new Map<string, Formatters>();

export function formatters(locale: string): Formatters {
  const cached = cache.get(locale);
  if (cached) return cached;
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" });
  const made: Formatters = {
    locale,
    number: (n) => number.format(n),
    percent: (r) => percent.format(r),
    time: (ms) => time.format(ms),
    dateTime: (ms) => dateTime.format(ms),
  };
  cache.set(locale, made);
  return made;
}
