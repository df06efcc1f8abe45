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
