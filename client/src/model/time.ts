import { elapsedMs } from "../../../shared/domain/agenda.ts";
import type { AgendaItem, CurrentSpeech } from "../../../shared/state.ts";

/** A running clock against a budget: what the agenda item and speaker timers show. */
export interface BudgetClock {
  elapsedMs: number;
  /** 0 when there is no budget (no planned minutes, no speaking limit). */
  budgetMs: number;
  /** budget − elapsed; negative once overrun. Meaningless without a budget. */
  remainingMs: number;
  overrun: boolean;
  /** How far past the budget, 0 if not overrun. */
  overrunMs: number;
}

function budgetClock(elapsed: number, budgetMs: number): BudgetClock {
  const remainingMs = budgetMs - elapsed;
  const overrun = budgetMs > 0 && elapsed > budgetMs;
  return { elapsedMs: elapsed, budgetMs, remainingMs, overrun, overrunMs: overrun ? elapsed - budgetMs : 0 };
}

/** An agenda item's time used against its planned minutes. */
export function agendaClock(item: AgendaItem, now: number): BudgetClock {
  return budgetClock(elapsedMs(item, now), item.plannedMinutes * 60_000);
}

/** The current speaker's time against their limit. */
export function speechClock(current: CurrentSpeech, now: number): BudgetClock {
  return budgetClock(Math.max(0, now - current.startedAt), current.limitSeconds * 1000);
}

/**
 * A duration as m:ss (or h:mm:ss past an hour), whole seconds rounded down.
 * Negative durations are shown by their absolute value; the caller adds the sign it means.
 */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${String(m).padStart(2, "0")}:${ss}`;
}

/**
 * What a countdown shows: the time left while within budget, "+m:ss" once over it; with no budget,
 * the time elapsed.
 */
export function countdownText(clock: BudgetClock): string {
  if (clock.budgetMs <= 0) return formatDuration(clock.elapsedMs);
  return clock.overrun ? `+${formatDuration(clock.overrunMs)}` : formatDuration(clock.remainingMs + 999);
}

/** What an elapsed-against-planned clock shows: "12:05 / 20:00", or with the overrun "+02:10". */
export function overrunText(clock: BudgetClock): string | null {
  return clock.overrun ? `+${formatDuration(clock.overrunMs)}` : null;
}

// ---------------------------------------------------------------------------------------------
// Wall-clock time in the conference's time zone. Every time the client shows is the meeting's
// (`conference.timeZone`), never the device's: a delegate online from abroad reads the hall's hours.

/** A wall-clock time as `<input type="datetime-local">` holds it: "2021-11-15T08:30". */
export type WallClock = string;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in a zone. */
function wallParts(ms: number, timeZone: string): WallParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    // Some engines write midnight as 24 even with h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms (Asia/Ho_Chi_Minh: +7 h). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const whole = Math.floor(at / 1000) * 1000;
  const p = wallParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The instant as the zone's wall clock, in the form a datetime-local input takes ("2021-11-15T08:30"). */
export function msToWallClock(ms: number, timeZone: string): WallClock {
  const p = wallParts(ms, timeZone);
  return `${String(p.year).padStart(4, "0")}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`;
}

/**
 * The instant at which the zone's wall clock reads `wallClock` ("2021-11-15T08:30", seconds
 * optional), or null if it is not such a time. The offset is found by asking Intl what the clock
 * reads and correcting, twice at most. A time that a spring-forward skips is taken as the same
 * time after the jump (02:30 → 03:30), and one that a fall-back repeats as its first occurrence,
 * as calendars do.
 */
export function wallClockToMs(wallClock: WallClock, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wallClock.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || (s || 0) > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  // Date.UTC rolls 31 February over into March: such a day is not a date.
  if (new Date(asUtc).getUTCDate() !== d) return null;
  const first = asUtc - zoneOffsetMs(timeZone, asUtc);
  const offset = zoneOffsetMs(timeZone, first);
  const second = asUtc - offset;
  if (second === first || zoneOffsetMs(timeZone, second) === offset) return second;
  // In a gap neither guess reads the time asked for: the later one is that time after the jump.
  return Math.max(first, second);
}

/** An offset as people write it: "UTC+7", "UTC+5:30", "UTC-3", "UTC". */
export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return "UTC";
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `UTC${offsetMs < 0 ? "-" : "+"}${h}${m ? `:${pad2(m)}` : ""}`;
}

/** The zone as the UI names it beside a time: "Asia/Ho_Chi_Minh (UTC+7)", its offset at `at`. */
export function zoneLabel(timeZone: string, at: number): string {
  const offset = formatOffset(zoneOffsetMs(timeZone, at));
  return timeZone === offset || timeZone === "Etc/UTC" ? offset : `${timeZone} (${offset})`;
}

/** Whether the device's own clock shows another time than the zone's at `at` (then say the zone). */
export function deviceDiffersFrom(timeZone: string, at: number): boolean {
  return new Date(at).getTimezoneOffset() * -60_000 !== zoneOffsetMs(timeZone, at);
}
