import type { Poll } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import { outcomeSentence, resultRows, turnout } from "../model/polls.ts";

/** A motion's yes / no / abstain in the reader's language; an election's candidates as they are. */
export function useOptionLabel(): (poll: Poll, optionId: string) => string {
  const { t } = useI18n();
  return (poll, optionId) =>
    poll.kind === "motion" && ["yes", "no", "abstain"].includes(optionId)
      ? t(`poll.option.${optionId}`)
      : (poll.options.find((o) => o.id === optionId)?.label ?? optionId);
}

/** Turnout as "12 / 40 voted" with a bar. */
export function TurnoutBar({ poll, large = false }: { poll: Poll; large?: boolean }) {
  const { t, fmt } = useI18n();
  const tv = turnout(poll);
  return (
    <div className={`turnout ${large ? "turnout--large" : ""}`}>
      <p className="turnout__text">
        {t("poll.turnout", { cast: fmt.number(tv.cast), eligible: fmt.number(tv.eligible) })}{" "}
        <span className="muted">({fmt.percent(tv.ratio)})</span>
      </p>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={tv.eligible} aria-valuenow={tv.cast} aria-label={t("poll.turnoutLabel")}>
        <div className="bar__fill" style={{ width: `${tv.ratio * 100}%` }} />
      </div>
    </div>
  );
}

/** A closed poll's result: one CSS bar per option and the outcome in words. */
export function PollResult({ poll, large = false }: { poll: Poll; large?: boolean }) {
  const { t, fmt } = useI18n();
  const label = useOptionLabel();
  const rows = resultRows(poll);
  const sentence = outcomeSentence(poll, t, fmt.number);
  const good = poll.outcome === "adopted" || poll.outcome === "elected";
  return (
    <div className={`result ${large ? "result--large" : ""}`}>
      {sentence && <p className={`result__outcome ${good ? "result__outcome--yes" : "result__outcome--no"}`}>{sentence}</p>}
      <ul className="result__bars">
        {rows.map((row) => (
          <li key={row.optionId} className={`result__row ${row.winner ? "result__row--win" : ""} result__row--${row.optionId}`}>
            <span className="result__label">{label(poll, row.optionId)}</span>
            <span className="result__bar" aria-hidden="true">
              <span className="result__fill" style={{ width: `${row.share * 100}%` }} />
            </span>
            <span className="result__count">
              {fmt.number(row.count)} <span className="muted">({fmt.percent(row.share)})</span>
            </span>
          </li>
        ))}
      </ul>
      <p className="muted result__turnout">
        {t("poll.turnout", { cast: fmt.number(poll.votesCast), eligible: fmt.number(poll.eligible ?? 0) })}
      </p>
    </div>
  );
}

/** The poll's settings in one line: secret or named, per person or organisation, majority. */
export function PollSettings({ poll }: { poll: Poll }) {
  const { t } = useI18n();
  return (
    <p className="poll__settings">
      <span>{t(`poll.kind.${poll.kind}`)}</span> · <span>{t(poll.secret ? "poll.secret" : "poll.named")}</span> ·{" "}
      <span>{t(`poll.weighting.${poll.weighting}`)}</span> · <span>{t(`poll.majority.${poll.majority}`)}</span>
    </p>
  );
}
