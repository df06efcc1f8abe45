import { useEffect, useRef, useState } from "react";
import type { Poll } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../components/Notices.tsx";
import { PollSettings, useOptionLabel } from "./PollResult.tsx";

/**
 * A ballot: pick an option, confirm ("are you sure?"), then it is cast and locked.
 * `onCast` receives the chosen option so the page can remind the voter what they chose.
 */
export function Ballot({
  poll,
  onCast,
  autoFocus = false,
  compact = false,
}: {
  poll: Poll;
  onCast?: (optionId: string) => void;
  autoFocus?: boolean;
  /** Inside a poll card that already shows the question. */
  compact?: boolean;
}) {
  const { t } = useI18n();
  const command = useCommand();
  const label = useOptionLabel();
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus, poll.id]);
  useEffect(() => {
    if (choice) confirmRef.current?.focus();
  }, [choice]);

  const cast = async () => {
    if (!choice) return;
    setBusy(true);
    const ack = await command({ type: "polls.vote", pollId: poll.id, optionId: choice });
    setBusy(false);
    if (ack.ok) onCast?.(choice);
    else setChoice(null);
  };

  return (
    <div className="ballot">
      <p className="eyebrow">{t(compact ? "ballot.yourVote" : "ballot.eyebrow")}</p>
      {!compact && (
        <>
          <h2 className="ballot__q" id={`ballot-q-${poll.id}`} ref={headingRef} tabIndex={-1}>
            {poll.question}
          </h2>
          <PollSettings poll={poll} />
        </>
      )}
      {poll.weighting === "organisation" && <p className="hint">{t("ballot.forOrganisation")}</p>}
      {!choice ? (
        <div className="ballot__options" role="group" aria-label={t("ballot.choose")}>
          {poll.options.map((o) => (
            <button key={o.id} type="button" className={`ballot__option ballot__option--${o.id}`} onClick={() => setChoice(o.id)}>
              {label(poll, o.id)}
            </button>
          ))}
        </div>
      ) : (
        <div className="ballot__confirm" role="group" aria-labelledby={`confirm-${poll.id}`}>
          <p id={`confirm-${poll.id}`} className="ballot__sure">
            {t("ballot.sure", { choice: label(poll, choice) })}
          </p>
          <p className="hint">{t("ballot.final")}</p>
          <button ref={confirmRef} type="button" className="btn btn--primary btn--large btn--block" disabled={busy} onClick={() => void cast()}>
            {t("ballot.confirm", { choice: label(poll, choice) })}
          </button>
          <button type="button" className="btn btn--large btn--block" disabled={busy} onClick={() => setChoice(null)}>
            {t("ballot.change")}
          </button>
        </div>
      )}
    </div>
  );
}
