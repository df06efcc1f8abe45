import type { Poll } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { basePreview, votesNeeded } from "../model/polls.ts";

/**
 * What a draft poll's base would be if it opened now, as the server will fix it (`entitlement`):
 * "41 delegates present will vote (of 60)", and what the majority then takes, so the chair sees
 * the quorum before opening.
 */
export function BasePreview({ poll }: { poll: Pick<Poll, "weighting" | "base" | "cluster" | "majority" | "kind"> }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const { eligible, registered } = basePreview(state, poll);
  const key = poll.weighting === "organisation" ? `${poll.base}Organisation` : poll.base;
  const needed = votesNeeded(poll.majority, eligible);
  return (
    <p className="base-preview" role="status">
      <span className="base-preview__n">{t(`vote.preview.${key}`, { n: fmt.number(eligible), total: fmt.number(registered) })}</span>
      {needed !== null && eligible > 0 && (
        <span className="base-preview__needed"> {t(`vote.preview.needed.${poll.kind}`, { n: fmt.number(needed) })}</span>
      )}
    </p>
  );
}
