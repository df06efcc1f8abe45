import { useTranslation } from "react-i18next";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import "./minutes.css";
import { useMinutesContent } from "./renderMinutes.tsx";
import { useMinutesDocument } from "./useMinutesDocument.ts";

/**
 * The projector at approval: the adopted minutes full-screen in large type, for the hall to
 * follow the reading. Lazily loaded: the projector loads Yjs only for this. A reader's
 * connection: the server lets every role read approved minutes, shared or not.
 */
export default function MinutesReading() {
  const { t } = useTranslation("common");
  const { t: tm } = useTranslation("minutes");
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const { session, synced } = useMinutesDocument(conferenceId, token, false);
  const { blocks } = useMinutesContent(session);
  return (
    <div className="pj-minutes" role="region" aria-label={t("minutesFlow.projector.label")} tabIndex={0}>
      <header className="pj-minutes__head">
        <p className="pj-eyebrow">{t("minutesFlow.projector.eyebrow")}</p>
        <h2 className="pj-minutes__title">{state.conference.title}</h2>
      </header>
      <article className="pj-minutes__text" aria-busy={!synced}>
        {blocks}
        {synced && blocks.length === 0 && <p className="pj-muted">{tm("official.noText")}</p>}
      </article>
    </div>
  );
}
