import { useState, type FormEvent } from "react";
import { hasVoted, SECRET_BATCH } from "../../../shared/domain/polls.ts";
import type { Majority, Poll, PollKind, VoteBase, Weighting } from "../../../shared/state.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { ballotsOf, missingVoters, namedVotes, rosterClusters } from "../model/polls.ts";
import { PersonName } from "../people/PersonName.tsx";
import { Ballot } from "./Ballot.tsx";
import { BasePreview } from "./BasePreview.tsx";
import { HallCountsForm, VoteForForm } from "./HallVotes.tsx";
import { PollResult, PollSettings, TurnoutBar, useOptionLabel } from "./PollResult.tsx";

/** The chair's votes: create from the current item, open, watch turnout, close, read results. */
export function PollsPanel({ canRun }: { canRun: boolean }) {
  const { t } = useI18n();
  const { state } = useConference();
  const polls = [...state.polls].reverse();
  return (
    <div className="polls">
      {canRun && state.conference.status !== "ended" && <PollCreateForm />}
      {polls.length === 0 ? <p className="muted">{t("poll.none")}</p> : polls.map((p) => <PollCard key={p.id} poll={p} canRun={canRun} />)}
    </div>
  );
}

function PollCreateForm() {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const command = useCommand();
  const currentItem = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const [kind, setKind] = useState<PollKind>("motion");
  const [question, setQuestion] = useState("");
  const [candidates, setCandidates] = useState("");
  const [secret, setSecret] = useState(false);
  const [weighting, setWeighting] = useState<Weighting>("person");
  const [majority, setMajority] = useState<Majority>("simple");
  const [base, setBase] = useState<VoteBase>("present");
  const [cluster, setCluster] = useState("");
  const [seats, setSeats] = useState(1);
  const [busy, setBusy] = useState(false);
  const clusters = rosterClusters(state.organisations, fmt.locale);
  // A cluster renamed or emptied away since it was picked: the whole conference again.
  const inCluster = clusters.includes(cluster) ? cluster : "";

  const options = candidates
    .split("\n")
    .map((c) => c.trim())
    .filter(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const ack = await command({
      type: "polls.create",
      question: question.replace(/\s+/g, " ").trim(),
      kind,
      ...(kind === "election" ? { options, ...(seats > 1 && { seats: Math.min(seats, options.length) }) } : {}),
      secret,
      weighting,
      majority,
      base,
      ...(inCluster && { cluster: inCluster }),
    });
    setBusy(false);
    if (ack.ok) {
      setQuestion("");
      setCandidates("");
      setSeats(1);
    }
  };

  return (
    <details className="poll-create">
      <summary><Icon name="plus" /> {t("poll.create")}</summary>
      <form className="form" onSubmit={submit}>
        <p className="hint">{currentItem ? t("poll.forItem", { title: currentItem.title }) : t("poll.noItem")}</p>
        <fieldset className="segmented">
          <legend>{t("poll.kindLabel")}</legend>
          {(["motion", "election"] as const).map((k) => (
            <label key={k} className="segmented__option">
              <input type="radio" name="poll-kind" checked={kind === k} onChange={() => setKind(k)} />
              <span>{t(`poll.kind.${k}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t(kind === "election" ? "poll.questionElection" : "poll.question")} *</span>
          <textarea rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} required maxLength={1000} placeholder={t(kind === "motion" ? "poll.motionPlaceholder" : "poll.electionPlaceholder")} />
        </label>
        {kind === "election" && (
          <label className="field">
            <span>{t("poll.candidates")} *</span>
            <textarea rows={3} value={candidates} onChange={(e) => setCandidates(e.target.value)} required />
          </label>
        )}
        <div className="field-row">
          <label className="field">
            <span>{t("poll.weightingLabel")}</span>
            <select value={weighting} onChange={(e) => setWeighting(e.target.value as Weighting)}>
              <option value="person">{t("poll.weighting.person")}</option>
              <option value="organisation">{t("poll.weighting.organisation")}</option>
            </select>
          </label>
          {kind === "election" && (
            <label className="field">
              <span>{t("vote.seats.label")}</span>
              <input
                type="number"
                min={1}
                max={Math.max(1, options.length)}
                value={seats}
                onChange={(e) => setSeats(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
              />
              <small className="hint">{options.length === 1 ? t("vote.seats.confidence") : t("vote.seats.hint")}</small>
            </label>
          )}
          <label className="field">
            <span>{t("poll.majorityLabel")}</span>
            <select value={majority} onChange={(e) => setMajority(e.target.value as Majority)}>
              {(["simple", "absolute", "two_thirds"] as const).map((m) => (
                <option key={m} value={m}>
                  {t(`poll.majority.${m}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="segmented">
          <legend>{t("vote.base.label")}</legend>
          {(["present", "registered"] as const).map((b) => (
            <label key={b} className="segmented__option">
              <input type="radio" name="poll-base" checked={base === b} onChange={() => setBase(b)} />
              <span>{t(`vote.base.${b}`)}</span>
            </label>
          ))}
        </fieldset>
        <p className="hint">{t("vote.base.hint")}</p>
        {clusters.length > 0 && (
          <>
            <label className="field">
              <span>{t("vote.cluster.label")}</span>
              <select value={inCluster} onChange={(e) => setCluster(e.target.value)}>
                <option value="">{t("vote.cluster.all")}</option>
                {clusters.map((c) => (
                  <option key={c} value={c}>
                    {t("vote.clusterName", { cluster: c })}
                  </option>
                ))}
              </select>
            </label>
            <p className="hint">{t("vote.cluster.hint")}</p>
          </>
        )}
        <BasePreview poll={{ kind, weighting, base, majority, cluster: inCluster || null }} />
        <label className="check">
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
          <span>{t("poll.secretLabel")}</span>
        </label>
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !question.trim() || (kind === "election" && options.length === 0)}>
          {t("poll.createSubmit")}
        </button>
      </form>
    </details>
  );
}

function PollCard({ poll, canRun }: { poll: Poll; canRun: boolean }) {
  const { t, fmt } = useI18n();
  const { state, me } = useConference();
  const command = useCommand();
  const label = useOptionLabel();
  const item = state.agenda.find((i) => i.id === poll.itemId);
  const ballots = ballotsOf(state, poll, me);
  const missing = !poll.secret && poll.status === "open" ? missingVoters(poll, state.participants) : [];
  const votes = poll.status === "closed" ? namedVotes(poll, state.participants, fmt.locale) : [];
  return (
    <article className={`poll poll--${poll.status}`} aria-labelledby={`poll-${poll.id}`}>
      <header className="poll__head">
        <span className={`status status--poll-${poll.status}`}>{t(`poll.status.${poll.status}`)}</span>
        {item && <span className="muted poll__item">{item.title}</span>}
      </header>
      <h3 id={`poll-${poll.id}`} className="poll__q">
        {poll.question}
      </h3>
      <PollSettings poll={poll} />
      {poll.kind === "election" && poll.status !== "closed" && (
        <p className="poll__candidates">
          {t("poll.candidatesList")}: {poll.options.map((o) => o.label).join(", ")}
        </p>
      )}
      {poll.status === "open" && <TurnoutBar poll={poll} />}
      {/* A secret poll's votes are stored in batches: turnout lags by fewer than 2K votes. */}
      {poll.status === "open" && poll.secret && <p className="hint">{t("poll.secretTurnout", { k: SECRET_BATCH })}</p>}
      {poll.status === "closed" && <PollResult poll={poll} />}
      {poll.status === "draft" && <BasePreview poll={poll} />}
      {ballots.map((b) => (
        <div key={b.voterKey} className="poll__myvote">
          <Ballot poll={poll} onBehalfOf={b.onBehalfOf} compact />
        </div>
      ))}
      {poll.status === "open" && me.voting && hasVoted(poll, me) && <p className="voted"><Icon name="check" /> {t("ballot.voted")}</p>}
      {missing.length > 0 && (
        <details className="poll__missing">
          <summary>{t("poll.missing", { n: fmt.number(missing.length) })}</summary>
          <ul className="people__list">
            {missing.map((m) => (
              <li key={m.key}>{m.participant ? <PersonName participant={m.participant} /> : <span className="person__name">{m.organisation}</span>}</li>
            ))}
          </ul>
        </details>
      )}
      {poll.status === "open" && canRun && <HallCountsForm poll={poll} />}
      {poll.status === "open" && canRun && !poll.secret && <VoteForForm poll={poll} />}
      {canRun && (
        <div className="form__actions">
          {poll.status === "draft" && (
            <>
              <button type="button" className="btn btn--primary btn--small" onClick={() => void command({ type: "polls.open", pollId: poll.id })}>
                {t(poll.kind === "election" ? "poll.openElection" : "poll.open")}
              </button>
              <ConfirmButton className="btn btn--small btn--ghost" question={t("poll.deleteQ")} onConfirm={() => void command({ type: "polls.delete", pollId: poll.id })}>
                {t("poll.delete")}
              </ConfirmButton>
            </>
          )}
          {poll.status === "open" && (
            <ConfirmButton className="btn btn--danger btn--small" question={t("poll.closeQ")} onConfirm={() => void command({ type: "polls.close", pollId: poll.id })}>
              {t(poll.kind === "election" ? "poll.closeElection" : "poll.close")}
            </ConfirmButton>
          )}
        </div>
      )}
      {votes.length > 0 && (
        <details className="poll__ballots">
          <summary>{t("poll.whoVoted")}</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("poll.voter")}</th>
                <th scope="col">{t("poll.choice")}</th>
              </tr>
            </thead>
            <tbody>
              {votes.map((v) => (
                <tr key={v.participantId + v.optionId}>
                  <td>
                    <PersonName participant={v.participant} />
                    {v.castBy && <span className="muted poll__cast-by"> {t("vote.castBy", { name: v.castBy.name })}</span>}
                  </td>
                  <td>{label(poll, v.optionId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {poll.status === "closed" && poll.secret && <p className="hint">{t("poll.secretNote")}</p>}
    </article>
  );
}
