import { useEffect, useState, type ReactNode } from "react";
import * as Y from "yjs";
import { MINUTES_FIELD } from "../../../shared/minutes.ts";
import type { MinutesDocument } from "./useMinutesDocument.ts";

/**
 * The minutes' Y.Doc as plain HTML, without an editor: the readers' viewer, the projector's
 * reading and the print view render it so. TipTap and ProseMirror stay out of their chunks.
 */

export interface RenderOptions {
  /** Added to a heading's level: the viewer's headings sit under its own section heading. */
  headingOffset?: number;
}

/** The rendered blocks and the plain text (one line a block), following every change. */
export function useMinutesContent(session: MinutesDocument | null, options: RenderOptions = {}): { blocks: ReactNode[]; text: string } {
  const [content, setContent] = useState<{ blocks: ReactNode[]; text: string }>({ blocks: [], text: "" });
  const offset = options.headingOffset ?? 0;
  useEffect(() => {
    if (!session) {
      setContent({ blocks: [], text: "" });
      return;
    }
    const fragment = session.doc.getXmlFragment(MINUTES_FIELD);
    const render = () => setContent({ blocks: renderChildren(fragment, offset), text: minutesPlainText(fragment) });
    render();
    fragment.observeDeep(render);
    return () => fragment.unobserveDeep(render);
  }, [session, offset]);
  return content;
}

/**
 * The text of the document, one line a paragraph, heading or list item: what the official frame
 * compares with ("already in the text"), as the DOCX export does with its blocks.
 */
export function minutesPlainText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    let line = "";
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) line += deltaText(child);
      else if (child instanceof Y.XmlElement) {
        if (child.nodeName === "hardBreak") line += "\n";
        else walk(child);
      }
    }
    if (line) lines.push(line);
  };
  walk(fragment);
  return lines.join("\n");
}

interface Insert {
  insert: string | object;
  attributes?: Record<string, unknown>;
}

function deltaText(text: Y.XmlText): string {
  return (text.toDelta() as Insert[]).map((run) => (typeof run.insert === "string" ? run.insert : "")).join("");
}

function renderChildren(parent: Y.XmlFragment | Y.XmlElement, offset: number): ReactNode[] {
  return parent.toArray().map((child, i) => renderNode(child, i, offset));
}

/** ProseMirror-style nodes (as TipTap's StarterKit writes them) to HTML elements. */
function renderNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook, key: number, offset: number): ReactNode {
  if (node instanceof Y.XmlText) return renderText(node, key);
  if (!(node instanceof Y.XmlElement)) return null;
  const children = renderChildren(node, offset);
  switch (node.nodeName) {
    case "heading": {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute("level")) || 1) + offset);
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
