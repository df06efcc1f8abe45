import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { MINUTES_FIELD } from "../../../shared/minutes.ts";
import "./minutes.css";
import { useMinutesDocument } from "./useMinutesDocument.ts";


export interface MinutesViewerProps {
  conferenceId: string;
  token: string;
}

/**
 * The minutes for readers (delegates, observers): the live Y.Doc rendered as plain HTML, with no
 * editor. It keeps TipTap and ProseMirror out of the pages of those who only read, which load
 * this chunk (Yjs and y-websocket) instead.
 */
export default function MinutesViewer({ conferenceId, token }: MinutesViewerProps) {
  const { t } = useTranslation("minutes");
  const { session, status, synced } = useMinutesDocument(conferenceId, token, false);
  const [blocks, setBlocks] = useState<ReactNode[]>([]);

  useEffect(() => {
    if (!session) return;
    const fragment = session.doc.getXmlFragment(MINUTES_FIELD);
    const render = () => setBlocks(renderChildren(fragment));
    render();
    fragment.observeDeep(render);
    return () => fragment.unobserveDeep(render);
  }, [session]);

  const shown = status === "connected" && !synced ? "connecting" : status;
  return (
    <div className="minutes minutes--read">
      <div className="minutes__bar">
        <span className={`minutes-status minutes-status--${shown}`} role="status" aria-live="polite">
          <span className="minutes-status__dot" aria-hidden="true" />
          {t(`status.${shown}`)}
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

function renderChildren(parent: Y.XmlFragment | Y.XmlElement): ReactNode[] {
  return parent.toArray().map((child, i) => renderNode(child, i));
}

/** ProseMirror-style nodes (as TipTap's StarterKit writes them) to HTML elements. */
function renderNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook, key: number): ReactNode {
  if (node instanceof Y.XmlText) return renderText(node, key);
  if (!(node instanceof Y.XmlElement)) return null;
  const children = renderChildren(node);
  switch (node.nodeName) {
    case "heading": {
      // A heading of level n sits under the viewer's own section heading.
      const level = Math.min(6, Math.max(1, Number(node.getAttribute("level")) || 1) + 2);
      const Tag = `h${level}` as "h3";
      return <Tag key={key}>{children}</Tag>;
    }
    case "bulletList":
      return <ul key={key}>{children}</ul>;
    case "orderedList":
      return <ol key={key}>{children}</ol>;
    case "listItem":
      return <li key={key}>{children}</li>;
    case "blockquote":
      return <blockquote key={key}>{children}</blockquote>;
    case "codeBlock":
      return <pre key={key}>{children}</pre>;
    case "horizontalRule":
      return <hr key={key} />;
    case "hardBreak":
      return <br key={key} />;
    default:
      return <p key={key}>{children}</p>;
  }
}

interface Insert {
  insert: string | object;
  attributes?: Record<string, unknown>;
}

function renderText(text: Y.XmlText, key: number): ReactNode {
  const runs = (text.toDelta() as Insert[]).map((run, i) => {
    if (typeof run.insert !== "string") return null;
    let content: ReactNode = run.insert;
    const marks = run.attributes ?? {};
    if (marks.code) content = <code>{content}</code>;
    if (marks.strike) content = <s>{content}</s>;
    if (marks.underline) content = <u>{content}</u>;
    if (marks.italic) content = <em>{content}</em>;
    if (marks.bold) content = <strong>{content}</strong>;
    return <span key={i}>{content}</span>;
  });
  return <span key={key}>{runs}</span>;
}
