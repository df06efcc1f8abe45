import type { AgendaItem, CurrentSpeech } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import { agendaClock, countdownText, formatDuration, speechClock } from "../model/time.ts";

/** An item's time used against its plan: "12:05 / 20:00", red with "+02:10" once overrun. */
export function AgendaClock({ item, now, large = false }: { item: AgendaItem; now: number; large?: boolean }) {
  const { t } = useI18n();
  const clock = agendaClock(item, now);
  const planned = clock.budgetMs > 0;
  const words = planned
    ? t(clock.overrun ? "clock.agendaOver" : "clock.agenda", {
        elapsed: formatDuration(clock.elapsedMs),
        planned: formatDuration(clock.budgetMs),
        over: formatDuration(clock.overrunMs),
      })
    : t("clock.agendaUnplanned", { elapsed: formatDuration(clock.elapsedMs) });
  // A span takes no aria-label (axe: aria-prohibited-attr): the figures are for the eye, the
  // sentence for a screen reader.
  return (
    <span className={`clock ${large ? "clock--large" : ""} ${clock.overrun ? "clock--over" : ""}`}>
      <span aria-hidden="true">
        <span className="clock__elapsed">{formatDuration(clock.elapsedMs)}</span>
        {planned && <span className="clock__planned"> / {formatDuration(clock.budgetMs)}</span>}
        {clock.overrun && <span className="clock__over"> +{formatDuration(clock.overrunMs)}</span>}
      </span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

/** A speaker's countdown; "+m:ss" in red once past the limit; elapsed time when there is no limit. */
export function SpeechCountdown({ current, now, large = false }: { current: CurrentSpeech; now: number; large?: boolean }) {
  const { t } = useI18n();
  const clock = speechClock(current, now);
  const text = countdownText(clock);
  const label =
    clock.budgetMs <= 0
      ? t("clock.speechNoLimit", { elapsed: text })
      : clock.overrun
        ? t("clock.speechOver", { over: formatDuration(clock.overrunMs) })
        : t("clock.speechLeft", { left: text });
  return (
    <span
      className={`countdown ${large ? "countdown--large" : ""} ${clock.overrun ? "countdown--over" : ""} ${
        !clock.overrun && clock.budgetMs > 0 && clock.remainingMs < 30_000 ? "countdown--warn" : ""
      }`}
      role="timer"
      aria-label={label}
    >
      {text}
    </span>
  );
}
