import { useState, type FormEvent } from "react";
import type { Participant } from "../../../shared/state.ts";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { useSend } from "../live/useLive.ts";
import "../polls/polls.css";
import { mayGiveProxy, proxiesHeldBy, proxyCandidates, proxyHolder } from "./proxies.ts";

/** "gave their vote to X" / "holds the votes of Y, Z", as tags in the roster's person cell. */
export function ProxyTags({ participant }: { participant: Participant }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const holder = proxyHolder(state.participants, participant);
  const held = proxiesHeldBy(state.participants, participant.id, fmt.locale);
  return (
    <>
      {holder && <span className="proxy-tag proxy-tag--gave">{t("vote.proxyTag.gave", { name: holder.name })}</span>}
      {held.length > 0 && <span className="proxy-tag proxy-tag--holds">{t("vote.proxyTag.holds", { names: held.map((p) => p.name).join(", ") })}</span>}
    </>
  );
}

/** The icon of the roster's proxy button: a vote passed on. */
export function ProxyIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M14 7V3l8 8-8 8v-4.1c-5 0-8.5 1.6-11 5.1 1-5 4-10 11-11Z" />
    </svg>
  );
}

/**
 * The chair gives (or takes back) someone's proxy: who casts their vote besides their own, from
 * the next poll that opens. A holder of someone's proxy cannot give their own (no chains): said,
 * with nothing to pick. The server's refusals are said here too.
 */
export function ProxyForm({ participant, onDone }: { participant: Participant; onDone: () => void }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const send = useSend();
  const [holderId, setHolderId] = useState(participant.proxyId ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = proxyCandidates(state.participants, participant, fmt.locale);
  const held = proxiesHeldBy(state.participants, participant.id, fmt.locale);
  const current = proxyHolder(state.participants, participant);

  const save = async (proxyId: string | null) => {
    setBusy(true);
    setError(null);
    const ack = await send({ type: "participants.setProxy", participantId: participant.id, proxyId });
    setBusy(false);
    if (ack.ok) return onDone();
    setError(ack.error.code === "conflict" ? "vote.proxyForm.conflict" : ack.error.code === "invalid" ? "vote.proxyForm.invalid" : errorKey(ack.error.code));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(holderId || null);
  };

  const title = t("vote.proxyForm.title", { name: participant.name });
  const group = t("vote.proxyForm.open", { name: participant.name });
  if (!mayGiveProxy(state.participants, participant)) {
    return (
      <div className="proxy-form" role="group" aria-label={group}>
        <p className="hint">{held.length > 0 ? t("vote.proxyForm.holder", { name: participant.name, names: held.map((p) => p.name).join(", ") }) : t("vote.proxyForm.notVoter")}</p>
        <div className="form__actions">
          <button type="button" className="btn btn--small" onClick={onDone}>
            {t("action.cancel")}
          </button>
        </div>
      </div>
    );
  }
  return (
    <form className="form proxy-form" onSubmit={submit} aria-label={group}>
      <label className="field">
        <span>{title}</span>
        <select value={holderId} onChange={(e) => setHolderId(e.target.value)} autoFocus>
          <option value="">{t("vote.proxyForm.nobody")}</option>
          {current && !candidates.includes(current) && <option value={current.id}>{current.name}</option>}
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.organisation ? `${p.name} – ${p.organisation}` : p.name}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t("vote.proxyForm.hint")}</p>
      {error && (
        <p className="form__error" role="alert">
          {t(error)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || holderId === (participant.proxyId ?? "")}>
          {t("action.save")}
        </button>
        {participant.proxyId && (
          <button type="button" className="btn btn--small" disabled={busy} onClick={() => void save(null)}>
            {t("vote.proxyForm.clear")}
          </button>
        )}
        <button type="button" className="btn btn--small" onClick={onDone}>
          {t("action.cancel")}
        </button>
      </div>
    </form>
  );
}
