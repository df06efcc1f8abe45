import { pollResultWords, type PollResultWords } from "../../../shared/pollResult.ts";
import type { Poll } from "../../../shared/state.ts";
import { i18n, useI18n } from "../i18n/index.ts";
import { resultRows, turnout } from "../model/polls.ts";
import "./polls.css";

/** A motion's yes / no / abstain in the reader's language; an election's candidates as they are. */
export function useOptionLabel(): (poll: Poll, optionId: string) => string {
  const { t } = useI18n();
  return (poll, optionId) =>
    poll.kind === "motion" && ["yes", "no", "abstain"].includes(optionId)
      ? t(`poll.option.${optionId}`)
      : (poll.options.find((o) => o.id === optionId)?.label ?? optionId);
}

/**
 * A closed poll's result in the reader's language: THE sentence (`pollResultWords`, the words the
 * minutes and the DOCX say, from the `minutes` namespace), the counts, the hall and proxies lines.
 */
export function useResultWords(): (poll: Poll) => PollResultWords | null {
  const { language, fmt } = useI18n();
  const t = i18n.getFixedT(language, "minutes") as unknown as (key: string, values?: Record<string, unknown>) => string;
  return (poll) => pollResultWords(poll, t, { number: fmt.number, percent: fmt.sharePercent });
}

/** Turnout as "12 / 40 voted" (hall counts included) with a bar. */
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

/** A closed poll's result: the sentence against the base, the counts, the hall line, one bar per option. */
export function PollResult({ poll, large = false }: { poll: Poll; large?: boolean }) {
  const { fmt } = useI18n();
  const label = useOptionLabel();
  const words = useResultWords()(poll);
  const rows = resultRows(poll);
  const good = poll.outcome === "adopted" || poll.outcome === "elected";
  return (
    <div className={`result ${large ? "result--large" : ""}`}>
      {words && (
        <>
          <p className={`result__outcome ${good ? "result__outcome--yes" : "result__outcome--no"}`}>{words.sentence}</p>
          {(words.counts || words.hall || words.proxies) && (
            <p className="result__lines">
              {words.counts && <span className="result__counts">{words.counts}</span>}
              {words.hall && <span className="result__hall">{words.hall}</span>}
              {words.proxies && <span className="result__proxies">{words.proxies}</span>}
            </p>
          )}
        </>
      )}
      <ul className="result__bars">
        {rows.map((row) => (
          <li key={row.optionId} className={`result__row ${row.winner ? "result__row--win" : ""} result__row--${row.optionId}`}>
            <span className="result__label">{label(poll, row.optionId)}</span>
            <span className="result__bar" aria-hidden="true">
              <span className="result__fill" style={{ width: `${row.share * 100}%` }} />
            </span>
            <span className="result__count">
              {fmt.number(row.count)} <span className="muted">({fmt.sharePercent(row.share)})</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The poll's settings in one line: secret or named, per person or organisation, majority, base, cluster. */
export function PollSettings({ poll }: { poll: Poll }) {
  const { t } = useI18n();
  return (
    <p className="poll__settings">
      <span>{t(`poll.kind.${poll.kind}`)}</span> · <span>{t(poll.secret ? "poll.secret" : "poll.named")}</span> ·{" "}
      <span>{t(`poll.weighting.${poll.weighting}`)}</span> · <span>{t(`poll.majority.${poll.majority}`)}</span> ·{" "}
      <span>{t(`vote.baseShort.${poll.base}`)}</span>
      {poll.cluster && (
        <>
          {" "}
          · <span className="poll__cluster">{t("vote.clusterName", { cluster: poll.cluster })}</span>
        </>
      )}
    </p>
  );
}
