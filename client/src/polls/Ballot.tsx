import { useEffect, useRef, useState } from "react";
import { SECRET_BATCH, voterKeyOf } from "../../../shared/domain/polls.ts";
import type { Participant, Poll } from "../../../shared/state.ts";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { useSend } from "../live/useLive.ts";
import { ballotKey } from "../model/polls.ts";
import { PollSettings, useOptionLabel } from "./PollResult.tsx";
import { sentVote, setSentVote, useSentVotes } from "./sentVotes.ts";

/**
 * How long a secret vote may wait for its ack: it comes once the vote is stored with others, in a
 * batch or with the close. A dropped connection ends the wait at once, whatever this says.
 */
const SECRET_VOTE_WAIT_MS = 12 * 60 * 60 * 1000;

/**
 * Sends a vote (mine, or with `onBehalfOf` the vote of someone whose proxy I hold) and keeps
 * `sentVotes` up to date: under way until acked; forgotten on a failure (the choice can be sent
 * again; the refusal is shown); `held` when the server says the vote is cast while the poll does
 * not list it, which means it holds the first one in its pool.
 */
export function useCastVote(poll: Poll, onBehalfOf: Participant | null, onCast?: (optionId: string) => void): (optionId: string) => Promise<boolean> {
  const { state, me } = useConference();
  const send = useSend();
  const notice = useNotice();
  return async (optionId) => {
    const pollId = poll.id;
    const key = ballotKey(pollId, onBehalfOf?.id);
    if (sentVote(key)?.status === "sent") return true; // a second click while the first is under way
    setSentVote(key, { optionId, status: "sent" });
    const ack = await send(
      { type: "polls.vote", pollId, optionId, ...(onBehalfOf && { onBehalfOf: onBehalfOf.id }) },
      poll.secret ? SECRET_VOTE_WAIT_MS : undefined,
    );
    if (ack.ok) {
      // Kept until the poll lists us (its event follows the ack), so the ballot never flashes back.
      onCast?.(optionId);
      return true;
    }
    const pooled =
      ack.error.code === "conflict" &&
      poll.secret &&
      poll.status === "open" &&
      state.conference.status !== "ended" &&
      !poll.voters.includes(voterKeyOf(poll.weighting, onBehalfOf ?? me));
    if (pooled) {
      // Sent before a reload or a dropped connection: the vote's batch will list us.
      setSentVote(key, { optionId, status: "held" });
      return true;
    }
    setSentVote(key, null);
    notice.show(errorKey(ack.error.code));
    return false;
  };
}

/**
 * The state of a vote under way in a poll, or nothing when there is none: "sent, waiting to be
 * stored with other votes" for a secret poll, "sending" for a named one. Nothing to click but, for
 * a vote the server holds from an earlier connection, a way to ask again.
 */
export function PendingVote({ poll, onBehalfOf = null, onCast }: { poll: Poll; onBehalfOf?: Participant | null; onCast?: (optionId: string) => void }) {
  const { t } = useI18n();
  const label = useOptionLabel();
  const cast = useCastVote(poll, onBehalfOf, onCast);
  const underway = useSentVotes().get(ballotKey(poll.id, onBehalfOf?.id));
  if (!underway) return null;
  return (
    <div className="ballot__pending" role="status" aria-live="polite">
      {underway.status === "held" ? (
        <p className="ballot__sure">{t("ballot.held")}</p>
      ) : (
        <>
          <p className="ballot__sure">
            {onBehalfOf ? t("vote.proxy.sure", { name: onBehalfOf.name, choice: label(poll, underway.optionId) }) : t("ballot.sure", { choice: label(poll, underway.optionId) })}
          </p>
          <p>{t(poll.secret ? "ballot.pending" : "ballot.sending")}</p>
        </>
      )}
      {poll.secret && <p className="hint">{t("ballot.pendingWhy", { k: SECRET_BATCH })}</p>}
      {underway.status === "held" && (
        <button type="button" className="btn btn--block" onClick={() => void cast(underway.optionId)}>
          {t("ballot.checkAgain")}
        </button>
      )}
    </div>
  );
}

/**
 * A ballot: pick an option, confirm ("are you sure?"), then it is cast and locked. With
 * `onBehalfOf`, the ballot of someone whose proxy I hold, said so in its heading and its buttons.
 * `onCast` receives the chosen option so the page can remind the voter what they chose.
 * While the vote's ack is awaited (for a secret poll, until it is stored together with other
 * votes) the ballot says so and offers nothing to click; a failed send brings the choice back.
 */
export function Ballot({
  poll,
  onBehalfOf = null,
  onCast,
  autoFocus = false,
  compact = false,
}: {
  poll: Poll;
  onBehalfOf?: Participant | null;
  onCast?: (optionId: string) => void;
  autoFocus?: boolean;
  /** Inside a poll card that already shows the question. */
  compact?: boolean;
}) {
  const { t } = useI18n();
  const { state, me } = useConference();
  const label = useOptionLabel();
  const cast = useCastVote(poll, onBehalfOf, onCast);
  const key = ballotKey(poll.id, onBehalfOf?.id);
  // The pick belongs to one ballot: the same ballot may be handed the next open poll, or a proxy's.
  const [picked, setPicked] = useState<{ key: string; optionId: string } | null>(null);
  const choice = picked?.key === key ? picked.optionId : null;
  const setChoice = (optionId: string | null) => setPicked(optionId ? { key, optionId } : null);
  const underway = useSentVotes().has(key);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const gaveTo = onBehalfOf ? undefined : state.participants.find((p) => p.id === poll.proxies[me.id]);
  // The organisation this ballot speaks for: one on the roster, never a guest's own words.
  const organisation = (onBehalfOf ? onBehalfOf.organisationId : me.organisationId) ? (onBehalfOf?.organisation ?? me.organisation) : "";
  const representative = onBehalfOf ? onBehalfOf.representative : me.representative;
  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus, key]);
  useEffect(() => {
    if (choice) confirmRef.current?.focus();
  }, [choice]);

  const confirm = async (optionId: string) => {
    setChoice(null);
    // On a failure the choice comes back, to be sent again or changed.
    if (!(await cast(optionId))) setChoice(optionId);
  };

  return (
    <div className={`ballot ${onBehalfOf ? "ballot--proxy" : ""}`}>
      {onBehalfOf ? (
        <p className="eyebrow ballot__proxy">{t("vote.proxy.eyebrow", { name: onBehalfOf.name })}</p>
      ) : (
        <p className="eyebrow">{t(compact ? "ballot.yourVote" : poll.kind === "election" ? "ballot.eyebrowElection" : "ballot.eyebrow")}</p>
      )}
      {!compact && (
        <>
          <h2 className="ballot__q" id={`ballot-q-${poll.id}`} ref={headingRef} tabIndex={-1}>
            {poll.question}
          </h2>
          <PollSettings poll={poll} />
        </>
      )}
      {onBehalfOf && <p className="hint">{t("vote.proxy.hint", { name: onBehalfOf.name })}</p>}
      {poll.weighting === "organisation" && organisation && (
        <p className="hint">{representative ? t("vote.ballot.forOrganisationRep", { organisation }) : t("ballot.forOrganisation", { organisation })}</p>
      )}
      {gaveTo && <p className="hint">{t("vote.ballot.gaveProxy", { name: gaveTo.name })}</p>}
      {underway ? (
        <PendingVote poll={poll} onBehalfOf={onBehalfOf} onCast={onCast} />
      ) : !choice ? (
        <div className="ballot__options" role="group" aria-label={t("ballot.choose")}>
          {poll.options.map((o) => (
            <button key={o.id} type="button" className={`ballot__option ballot__option--${o.id}`} onClick={() => setChoice(o.id)}>
              {label(poll, o.id)}
            </button>
          ))}
        </div>
      ) : (
        <div className="ballot__confirm" role="group" aria-labelledby={`confirm-${key}`}>
          <p id={`confirm-${key}`} className="ballot__sure">
            {onBehalfOf ? t("vote.proxy.sure", { name: onBehalfOf.name, choice: label(poll, choice) }) : t("ballot.sure", { choice: label(poll, choice) })}
          </p>
          <p className="hint">{t("ballot.final")}</p>
          <button ref={confirmRef} type="button" className="btn btn--primary btn--large btn--block" onClick={() => void confirm(choice)}>
            {t("ballot.confirm", { choice: label(poll, choice) })}
          </button>
          <button type="button" className="btn btn--large btn--block" onClick={() => setChoice(null)}>
            {t("ballot.change")}
          </button>
        </div>
      )}
    </div>
  );
}
