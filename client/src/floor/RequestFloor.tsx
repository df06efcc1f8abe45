import { useState, type FormEvent } from "react";
import { SPEECH_KINDS, type SpeechKind } from "../../../shared/state.ts";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { availableKinds, myRequests } from "../model/queue.ts";
import { KindBadge } from "./SpeakerQueue.tsx";

/** "Request to speak" with the kind and a note; my place in the queue; withdraw. */
export function RequestFloor() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const command = useCommand();
  const mine = myRequests(state.speakers.queue, me.id);
  const free = availableKinds(state.speakers.queue, me.id, SPEECH_KINDS);
  const [kind, setKind] = useState<SpeechKind>("speech");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const chosen = free.includes(kind) ? kind : free[0];
  const ended = state.conference.status === "ended";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    const ack = await command({ type: "speakers.request", kind: chosen, ...(note.trim() ? { note: note.trim() } : {}) });
    setBusy(false);
    if (ack.ok) setNote("");
  };

  return (
    <section className="panel request" aria-labelledby="request-h">
      <h2 id="request-h">{t("request.title")}</h2>
      <div aria-live="polite" aria-atomic="true">
        {mine.map(({ request, position }) => (
          <div key={request.requestId} className="my-request">
            <p className="my-request__pos">
              {position === 1 ? t("request.youAreNext") : t("request.position", { count: position, ordinal: true })}
            </p>
            <p className="my-request__kind">
              <KindBadge kind={request.kind} />
              {request.note && <span className="queue__note"> “{request.note}”</span>}
            </p>
            <button type="button" className="btn btn--block" onClick={() => void command({ type: "speakers.withdraw", requestId: request.requestId })}>
              {t("request.withdraw")}
            </button>
          </div>
        ))}
      </div>
      {!ended && chosen && (
        <form onSubmit={submit} className="request__form">
          <fieldset className="kinds">
            <legend>{t("request.kind")}</legend>
            {free.map((k) => (
              <label key={k} className={`kinds__option kinds__option--${k}`}>
                <input type="radio" name="kind" value={k} checked={chosen === k} onChange={() => setKind(k)} />
                <span>
                  <Icon name={k === "point_of_order" ? "flag" : k === "question" ? "question" : "mic"} />{" "}
                  {t(`kind.${k}`)}
                </span>
              </label>
            ))}
          </fieldset>
          {chosen === "point_of_order" && <p className="hint">{t("request.pointOfOrderHint")}</p>}
          <label className="field">
            <span>{t("request.note")}</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t("request.notePlaceholder")} />
          </label>
          <button type="submit" className="btn btn--primary btn--large btn--block" disabled={busy}>
            <Icon name="hand" /> {t("request.submit")}
          </button>
        </form>
      )}
    </section>
  );
}
