import { useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { useSession } from "../live/Session.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference, useConferenceI18n } from "../live/useConference.ts";
import { minutesPrintPath } from "../model/routes.ts";
import { signingSecretary } from "../../../shared/officialMinutes.ts";
import "./minutesFlow.css";

/**
 * Where the minutes stand, above the editor of chairs and secretaries: a draft nobody else reads,
 * a draft shared with everyone, or approved (when, by whom). The chair shares the draft or stops,
 * records that the meeting adopted the minutes, reopens them, and names the secretary who signs;
 * everyone here may open the print view. Not in the editor's lazy chunk: it is a few buttons.
 */
export function MinutesControls() {
  const { t, fmt } = useConferenceI18n();
  const { state, me } = useConference();
  const { conferenceId } = useSession();
  const command = useCommand();
  const [busy, setBusy] = useState(false);
  const isChair = me.role === "chair";
  const minutes = state.minutes;
  const approved = minutes.status === "approved";
  const secretaries = state.participants.filter((p) => p.role === "secretary" && p.removedAt == null);
  const signer = signingSecretary(state);

  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await send();
    } finally {
      setBusy(false);
    }
  };

  let status: string;
  if (approved) {
    const by = state.participants.find((p) => p.id === minutes.approvedBy)?.name ?? t("person.unknown");
    status = t("minutesFlow.status.approved", { time: minutes.approvedAt === null ? "" : fmt.time(minutes.approvedAt), name: by });
  } else status = t(minutes.shared ? "minutesFlow.status.shared" : "minutesFlow.status.private");
  const kind = approved ? "approved" : minutes.shared ? "shared" : "private";

  return (
    <section className="minutes-flow" aria-label={t("minutesFlow.label")}>
      <div className="minutes-flow__head">
        <p className={`minutes-flow__status minutes-flow__status--${kind}`} role="status" aria-live="polite">
          <span className="minutes-flow__dot" aria-hidden="true" />
          {status}
        </p>
        <a className="btn btn--small minutes-flow__print" href={minutesPrintPath(conferenceId)} target="_blank" rel="noopener">
          {t("minutesFlow.print")}
        </a>
      </div>
      {isChair && (
        <div className="minutes-flow__actions">
          {!approved && (
            <button
              type="button"
              className={`btn btn--small ${minutes.shared ? "" : "btn--primary"}`}
              disabled={busy}
              onClick={() => void run(() => command({ type: "minutes.share", shared: !minutes.shared }))}
            >
              {t(minutes.shared ? "minutesFlow.unshare" : "minutesFlow.share")}
            </button>
          )}
          {!approved && (
            <ConfirmButton className="btn btn--small" disabled={busy} question={t("minutesFlow.approveQ")} onConfirm={() => void run(() => command({ type: "minutes.approve" }))}>
              {t("minutesFlow.approve")}
            </ConfirmButton>
          )}
          {approved && (
            <ConfirmButton className="btn btn--small" disabled={busy} question={t("minutesFlow.reopenQ")} onConfirm={() => void run(() => command({ type: "minutes.reopen" }))}>
              {t("minutesFlow.reopen")}
            </ConfirmButton>
          )}
        </div>
      )}
      {isChair && (
        <label className="field field--inline minutes-flow__signer">
          <span>{t("minutesFlow.signer")}</span>
          <select
            value={minutes.signerId ?? ""}
            disabled={busy || secretaries.length === 0}
            onChange={(event) => void run(() => command({ type: "minutes.setSigner", participantId: event.target.value || null }))}
          >
            <option value="">
              {secretaries[0] ? t("minutesFlow.signerFirst", { name: secretaries[0].name }) : t("minutesFlow.signerNone")}
            </option>
            {secretaries.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!isChair && signer && <p className="minutes-flow__signed muted">{t("minutesFlow.signedBy", { name: signer.name })}</p>}
    </section>
  );
}
