import { useTranslation } from "react-i18next";
import "./minutes.css";
import { useMinutesAccess } from "./minutesAccess.ts";
import { NotShared } from "./MinutesNotShared.tsx";
import { useMinutesContent } from "./renderMinutes.tsx";
import { useMinutesDocument } from "./useMinutesDocument.ts";

export interface MinutesViewerProps {
  conferenceId: string;
  token: string;
}

/**
 * The minutes for readers (delegates, observers): the live Y.Doc rendered as plain HTML, with no
 * editor. It keeps TipTap and ProseMirror out of the pages of those who only read, which load
 * this chunk (Yjs and y-websocket) instead. While the chair has not shared the draft it does not
 * connect at all (the server would refuse it, 4403) and says so; it connects once the draft is
 * shared or approved.
 */
export default function MinutesViewer({ conferenceId, token }: MinutesViewerProps) {
  const access = useMinutesAccess();
  // Outside a conference page (no live state) the server alone decides.
  const readable = access?.readable ?? true;
  if (!readable) return <NotShared />;
  return <LiveViewer conferenceId={conferenceId} token={token} approved={access?.minutes.status === "approved"} />;
}

function LiveViewer({ conferenceId, token, approved }: MinutesViewerProps & { approved: boolean }) {
  const { t } = useTranslation("minutes");
  const { t: tc } = useTranslation("common");
  const { session, status, synced } = useMinutesDocument(conferenceId, token, false);
  const { blocks } = useMinutesContent(session, { headingOffset: 2 });
  if (status === "notShared") return <NotShared />;

  const shown = status === "connected" && !synced ? "connecting" : status;
  return (
    <div className="minutes minutes--read">
      <div className="minutes__bar">
        <span className={`minutes-status minutes-status--${shown}`} role="status" aria-live="polite">
          <span className="minutes-status__dot" aria-hidden="true" />
          {t(`status.${shown}`)}
        </span>
        <span className={`minutes-badge ${approved ? "minutes-badge--approved" : "minutes-badge--draft"}`}>
          {tc(approved ? "minutesFlow.badge.approved" : "minutesFlow.badge.draft")}
        </span>
        <span className="minutes-badge">{t("readOnly")}</span>
      </div>
      <article className="minutes-editor" aria-label={t("editorLabel")}>
        <div className="minutes-editor__content">{blocks}</div>
        {blocks.length === 0 && synced && <p className="minutes-editor__empty minutes-muted">{t("empty")}</p>}
      </article>
    </div>
  );
}
