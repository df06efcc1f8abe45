import { useState, type FormEvent } from "react";
import type { Poll } from "../../../shared/state.ts";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { useSend } from "../live/useLive.ts";
import { hallRoom, hallVoteCandidates, sumCounts } from "../model/polls.ts";
import { useOptionLabel } from "./PollResult.tsx";

/** A typed count: a whole number ≥ 0, empty as 0; null when it is not one. */
function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The chair's show-of-hands counts for an open poll (`polls.recordHall`): a number per option for
 * those in the hall without a device, with the votes cast on devices so far and the room left in
 * the base (eligible − device − hall). Sending again replaces the counts. Too many is said before
 * sending; if votes came in meanwhile and the server refuses, the refusal is said here.
 */
export function HallCountsForm({ poll }: { poll: Poll }) {
  const { t, fmt } = useI18n();
  const send = useSend();
  const label = useOptionLabel();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(poll.options.map((o) => [o.id, poll.hallCounts?.[o.id] ? String(poll.hallCounts[o.id]) : ""])),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const parsed = poll.options.map((o) => [o.id, parseCount(values[o.id] ?? "")] as const);
  const malformed = parsed.some(([, n]) => n === null);
  const counts = Object.fromEntries(parsed.map(([id, n]) => [id, n ?? 0]));
  const room = hallRoom(poll, counts);
  const n = fmt.number;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (malformed || room.remaining < 0) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    const ack = await send({ type: "polls.recordHall", pollId: poll.id, counts });
    setBusy(false);
    if (ack.ok) return setSaved(true);
    setError(ack.error.code === "conflict" ? t("vote.hall.refused", { eligible: n(room.eligible) }) : t(errorKey(ack.error.code)));
  };

  return (
    <details className="hall-votes" open={poll.hallCounts !== null || undefined}>
      <summary>
        {t("vote.hall.title")}
        {poll.hallCounts !== null && <span className="muted"> · {t("vote.hall.recorded", { n: n(sumCounts(poll.hallCounts)) })}</span>}
      </summary>
      <form className="form hall-votes__form" onSubmit={submit} aria-label={t("vote.hall.title")}>
        <p className="hint">{t("vote.hall.hint")}</p>
        <div className="hall-votes__counts">
          {poll.options.map((o) => (
            <label key={o.id} className="field hall-votes__count">
              <span>{label(poll, o.id)}</span>
              <input
                type="text"
                inputMode="numeric"
                pattern="[0-9]*"
                autoComplete="off"
                value={values[o.id] ?? ""}
                placeholder="0"
                aria-label={t("vote.hall.countOf", { option: label(poll, o.id) })}
                aria-invalid={parseCount(values[o.id] ?? "") === null || undefined}
                onChange={(e) => {
                  setValues({ ...values, [o.id]: e.target.value });
                  setSaved(false);
                }}
              />
            </label>
          ))}
        </div>
        <p className="hall-votes__room" aria-live="polite">
          {t("vote.hall.room", { device: n(room.device), hall: n(room.hall), remaining: n(Math.max(0, room.remaining)), eligible: n(room.eligible) })}
        </p>
        {poll.secret && <p className="hint">{t("vote.hall.secretLag")}</p>}
        {malformed && (
          <p className="form__error" role="alert">
            {t("vote.hall.notANumber")}
          </p>
        )}
        {!malformed && room.remaining < 0 && (
          <p className="form__error" role="alert">
            {t("vote.hall.tooMany", { over: n(-room.remaining), eligible: n(room.eligible) })}
          </p>
        )}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        {saved && !error && (
          <p className="hall-votes__saved" role="status">
            {t("vote.hall.saved")}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary btn--small" disabled={busy || malformed || room.remaining < 0}>
            {t("vote.hall.submit")}
          </button>
        </div>
      </form>
    </details>
  );
}

/**
 * In a named poll, the chair records the vote of someone in the hall without a device
 * (`polls.voteFor`): pick the person among the entitled who have not voted, then the choice.
 */
export function VoteForForm({ poll }: { poll: Poll }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const command = useCommand();
  const label = useOptionLabel();
  const candidates = hallVoteCandidates(state, poll, fmt.locale);
  const [participantId, setParticipantId] = useState("");
  const [optionId, setOptionId] = useState("");
  const [busy, setBusy] = useState(false);
  const chosen = candidates.some((c) => c.id === participantId) ? participantId : "";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || !optionId) return;
    setBusy(true);
    const ack = await command({ type: "polls.voteFor", pollId: poll.id, participantId: chosen, optionId });
    setBusy(false);
    if (ack.ok) {
      setParticipantId("");
      setOptionId("");
    }
  };

  return (
    <details className="vote-for">
      <summary>{t("vote.voteFor.title")}</summary>
      {candidates.length === 0 ? (
        <p className="muted">{t("vote.voteFor.none")}</p>
      ) : (
        <form className="form" onSubmit={submit} aria-label={t("vote.voteFor.title")}>
          <p className="hint">{t("vote.voteFor.hint")}</p>
          <div className="field-row">
            <label className="field">
              <span>{t("vote.voteFor.person")}</span>
              <select value={chosen} onChange={(e) => setParticipantId(e.target.value)} required>
                <option value="">{t("vote.voteFor.pick")}</option>
                {candidates.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.organisation ? `${p.name} – ${p.organisation}` : p.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("vote.voteFor.option")}</span>
              <select value={optionId} onChange={(e) => setOptionId(e.target.value)} required>
                <option value="">{t("vote.voteFor.pick")}</option>
                {poll.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {label(poll, o.id)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form__actions">
            <button type="submit" className="btn btn--small" disabled={busy || !chosen || !optionId}>
              {t("vote.voteFor.submit")}
            </button>
          </div>
        </form>
      )}
    </details>
  );
}
