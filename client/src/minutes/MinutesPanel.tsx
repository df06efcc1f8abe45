import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { caretColor } from "./caret.ts";
import { downloadMinutesDocx } from "./exportDocx.ts";
import { MINUTES_FIELD } from "../../../shared/minutes.ts";
import "./minutes.css";
import { RecordsBar } from "./RecordsBar.tsx";
import { MinutesToolbar } from "./MinutesToolbar.tsx";
import { useMinutesAccess } from "./minutesAccess.ts";
import { SpeakingTime } from "./SpeakingTime.tsx";
import { useMinutesDocument, type MinutesDocument, type MinutesStatus } from "./useMinutesDocument.ts";
import { useOptionalLive } from "./useOptionalLive.ts";
import { formatters, INTL_LOCALE } from "../model/format.ts";


export interface MinutesPanelProps {
  conferenceId: string;
  token: string;
  /** Chairs and secretaries write; everyone else reads (the server enforces it too). */
  canWrite: boolean;
  /** The name on this writer's caret; by default the live state's `me.name`. */
  userName?: string;
}

/**
 * The live minutes: a TipTap editor bound to the conference's Y.Doc. Writers get the toolbar,
 * the one-click records, other writers' carets and the DOCX export; readers get the text only
 * and publish no presence. Lazily loaded: TipTap lives only in this chunk.
 *
 * Once the meeting has approved the minutes the document takes no edit: a writer's editor is
 * made again on a fresh document as a reader's (read-only, no caret, nothing sent), under a banner,
 * until the chair reopens them.
 */
export default function MinutesPanel({ conferenceId, token, canWrite, userName }: MinutesPanelProps) {
  const { t } = useTranslation("minutes");
  const access = useMinutesAccess();
  const approved = access?.minutes.status === "approved";
  const writing = canWrite && !approved;
  const { session, status, synced } = useMinutesDocument(conferenceId, token, writing);
  if (!session) return <p className="minutes-muted">{t("loading")}</p>;
  return (
    <MinutesEditor
      key={session.doc.guid}
      session={session}
      status={status}
      synced={synced}
      conferenceId={conferenceId}
      token={token}
      canWrite={session.canWrite}
      writerRole={canWrite}
      approvedAt={approved ? (access?.minutes.approvedAt ?? null) : null}
      userName={userName}
    />
  );
}

interface EditorProps extends MinutesPanelProps {
  session: MinutesDocument;
  status: MinutesStatus;
  synced: boolean;
  /** A chair or secretary, whether or not the minutes take edits now (the export, the speaking time). */
  writerRole: boolean;
  /** When the minutes were approved; null while a draft. */
  approvedAt: number | null;
}

function MinutesEditor({ session, status, synced, conferenceId, token, canWrite, writerRole, approvedAt, userName }: EditorProps) {
  const { t } = useTranslation("minutes");
  const { t: tc, i18n } = useTranslation("common");
  const live = useOptionalLive();
  const me = live?.me ?? null;
  const name = userName ?? me?.name ?? "";
  const color = caretColor(me?.id ?? name);

  const editor = useEditor(
    {
      editable: canWrite,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: session.doc, field: MINUTES_FIELD }),
        // Readers show no carets: the caret extension would publish their presence.
        ...(canWrite ? [CollaborationCaret.configure({ provider: session.provider, user: { name, color } })] : []),
      ],
      editorProps: {
        attributes: {
          class: "minutes-editor__content",
          "aria-label": t("editorLabel"),
          "aria-multiline": "true",
          role: "textbox",
          ...(canWrite ? {} : { "aria-readonly": "true" }),
        },
      },
    },
    [session, canWrite],
  );

  // Keep the caret's name current: the live state may arrive after the editor is made.
  useEffect(() => {
    if (editor && canWrite && name) editor.commands.updateUser({ name, color });
  }, [editor, canWrite, name, color]);

  const view = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      empty: e ? e.isEmpty : true,
      writers: canWrite && e ? (e.storage.collaborationCaret?.users ?? []) : [],
    }),
  });
  const otherWriters = (view?.writers ?? [])
    .filter((user) => user.clientId !== session.doc.clientID && typeof user.name === "string" && user.name)
    .map((user) => String(user.name));

  const now = () => Date.now() + (live?.clockOffsetMs ?? 0);
  const approvedTime =
    approvedAt === null
      ? ""
      : formatters(INTL_LOCALE[i18n.language === "en" ? "en" : "vi"], live?.conference?.conference.timeZone).time(approvedAt);
  return (
    <div className={`minutes ${canWrite ? "minutes--write" : "minutes--read"} ${approvedAt !== null ? "minutes--approved" : ""}`}>
      <div className="minutes__bar">
        <StatusLine status={status} synced={synced} />
        {!canWrite && <span className="minutes-badge">{t("readOnly")}</span>}
        {otherWriters.length > 0 && <span className="minutes-muted minutes__writers">{t("writers", { names: otherWriters.join(", ") })}</span>}
        {writerRole && <ExportButton conferenceId={conferenceId} token={token} stem={t("official.fileStem", { lng: live?.conference?.conference.language ?? "vi" })} />}
      </div>
      {approvedAt !== null && writerRole && (
        <p className="minutes-approved" role="status">
          <strong>{tc("minutesFlow.approvedBanner", { time: approvedTime })}</strong> {tc("minutesFlow.approvedHint")}
        </p>
      )}
      {canWrite && editor && <MinutesToolbar editor={editor} />}
      {canWrite && editor && <RecordsBar editor={editor} conference={live?.conference ?? null} now={now} />}
      {writerRole && live?.conference && (
        <SpeakingTime conference={live.conference} now={now} editor={canWrite ? editor : null} conferenceId={conferenceId} token={token} />
      )}
      <div className="minutes-editor">
        {view?.empty && synced && <p className="minutes-editor__empty minutes-muted">{t("empty")}</p>}
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}

function StatusLine({ status, synced }: { status: MinutesStatus; synced: boolean }) {
  const { t } = useTranslation("minutes");
  // A writer is never refused as "not shared"; should it be, it reads as a connection problem.
  const shown = status === "notShared" ? "offline" : status === "connected" && !synced ? "connecting" : status;
  return (
    <span className={`minutes-status minutes-status--${shown}`} role="status" aria-live="polite">
      <span className="minutes-status__dot" aria-hidden="true" />
      {t(`status.${shown}`)}
    </span>
  );
}

function ExportButton({ conferenceId, token, stem }: { conferenceId: string; token: string; stem: string }) {
  const { t } = useTranslation("minutes");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    const result = await downloadMinutesDocx(conferenceId, token, stem);
    setBusy(false);
    if (!result.ok) setError(result.status === null ? t("export.offline") : t("export.failed", { status: result.status }));
  };
  return (
    <span className="minutes-export">
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? t("export.busy") : t("export.button")}
      </button>
      {error && (
        <span className="minutes-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
