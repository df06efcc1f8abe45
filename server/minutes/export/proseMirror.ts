import * as Y from "yjs";
import { MINUTES_FIELD } from "../../../shared/minutes.ts";

/** A ProseMirror JSON node, as `yXmlFragmentToPmNode` (and y-tiptap's `yXmlFragmentToProsemirrorJSON`) answer it. */
export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  text?: string;
  marks?: { type: string; attrs?: unknown }[];
}

/** y-prosemirror names a mark that may overlap itself `<name>--<8 chars of hash>`. */
const HASHED_MARK = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

/** The minutes stored as one Yjs update (`MinutesServer.documentState`), as ProseMirror JSON. */
export function minutesToPmNode(update: Uint8Array): PmNode {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return yXmlFragmentToPmNode(doc.getXmlFragment(MINUTES_FIELD));
  } finally {
    doc.destroy();
  }
}

/**
 * The minutes' Yjs fragment as ProseMirror JSON: the same JSON as y-tiptap's
 * `yXmlFragmentToProsemirrorJSON` for every document the editor writes (elements with their
 * attributes and children, text as one node per delta run with its attributes as marks), but
 * with an explicit stack, because that function recurses once per level and a stored document
 * may nest lists 100,000 deep (the minutes' websocket bounds the depth of what writers send now,
 * but not what was stored before or is restored from a backup). Each Yjs node is read once. Where y-tiptap would throw or emit what is
 * not a node, this skips: embeds in text (no text of their own), types other than XmlElement and
 * XmlText, and it flattens text directly in the fragment into the doc's content.
 */
export function yXmlFragmentToPmNode(fragment: Y.XmlFragment): PmNode {
  const doc: PmNode = { type: "doc", content: [] };
  const pending: { items: unknown[]; next: number; into: PmNode[] }[] = [{ items: fragment.toArray(), next: 0, into: doc.content! }];
  while (pending.length > 0) {
    const frame = pending[pending.length - 1]!;
    if (frame.next >= frame.items.length) {
      pending.pop();
      continue;
    }
    const item = frame.items[frame.next++];
    if (item instanceof Y.XmlText) {
      for (const run of item.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof run.insert !== "string") continue;
        const node: PmNode = { type: "text", text: run.insert };
        if (run.attributes) {
          node.marks = Object.entries(run.attributes).map(([name, attrs]) => ({ type: HASHED_MARK.exec(name)?.[1] ?? name, attrs }));
        }
        frame.into.push(node);
      }
    } else if (item instanceof Y.XmlElement) {
      const node: PmNode = { type: item.nodeName };
      const attrs = item.getAttributes();
      if (Object.keys(attrs).length > 0) node.attrs = attrs;
      frame.into.push(node);
      const children = item.toArray();
      if (children.length > 0) {
        node.content = [];
        pending.push({ items: children, next: 0, into: node.content });
      }
    }
  }
  return doc;
}

/** A run of text with the formatting the minutes keep. `break` is a line break before the text. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  break?: boolean;
}

/** The minutes' text as the DOCX writer needs it: flat paragraphs, lists by depth. */
export type Block =
  | { kind: "heading"; level: number; runs: Run[] }
  | { kind: "paragraph"; runs: Run[]; indent: number }
  | { kind: "listItem"; ordered: boolean; depth: number; list: number; runs: Run[] };

/**
 * The deepest list level (0-based): Word numbers 9 levels, 0 to 8. Lists nested deeper continue the
 * list at this level, so their items keep their text and their order.
 */
export const MAX_LIST_DEPTH = 8;
/** The deepest indent (in steps of 360 twips) of a paragraph in blockquotes or under list items. */
export const MAX_INDENT = 8;

/** The list a list item belongs to: its kind, level and number (each list restarts its numbering). */
interface ListContext {
  ordered: boolean;
  depth: number;
  id: number;
}

/** One node still to flatten, with where it sits; `itemLine` is a list item's first paragraph. */
type Pending = { node: PmNode; indent: number; list: ListContext | null; itemLine?: ListContext };

/**
 * Flattens a ProseMirror document (paragraph, heading, bulletList, orderedList, listItem,
 * blockquote, codeBlock, text with bold/italic/underline/strike marks, hardBreak) into blocks.
 * Each list gets its own number so ordered lists restart at 1; a list item's second paragraph
 * becomes an indented paragraph without a bullet. Unknown nodes keep their text.
 *
 * Any document that can be stored flattens: the walk keeps its own stack (a list nested 100,000
 * deep must not overflow the call stack, which would fail the export every time), each node is
 * visited once, and nesting deeper than Word shows is flattened ({@link MAX_LIST_DEPTH},
 * {@link MAX_INDENT}) with all text kept in document order.
 */
export function proseMirrorToBlocks(doc: PmNode): Block[] {
  const blocks: Block[] = [];
  let lists = 0;
  const pending: Pending[] = [{ node: doc, indent: 0, list: null }];
  // Children go on the stack last first, so that they come off it in document order.
  const push = (children: readonly PmNode[] | undefined, indent: number, list: ListContext | null) => {
    if (!children) return;
    for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i]!, indent: Math.min(indent, MAX_INDENT), list });
  };

  while (pending.length > 0) {
    const { node, indent, list, itemLine } = pending.pop()!;
    if (itemLine) {
      blocks.push({ kind: "listItem", ordered: itemLine.ordered, depth: itemLine.depth, list: itemLine.id, runs: runsOf(node) });
      continue;
    }
    switch (node.type) {
      case "doc":
        push(node.content, indent, list);
        break;
      case "heading": {
        const level = clamp(Number(node.attrs?.level ?? 1), 1, 6);
        blocks.push({ kind: "heading", level, runs: runsOf(node) });
        break;
      }
      case "paragraph":
      case "codeBlock":
        blocks.push({ kind: "paragraph", runs: runsOf(node), indent });
        break;
      case "bulletList":
      case "orderedList": {
        const inner =
          list && list.depth >= MAX_LIST_DEPTH
            ? list
            : { ordered: node.type === "orderedList", depth: list ? list.depth + 1 : 0, id: ++lists };
        push(node.content, indent, inner);
        break;
      }
      case "listItem": {
        if (!list) {
          push(node.content, indent, null);
          break;
        }
        const children = node.content ?? [];
        for (let i = children.length - 1; i >= 0; i--) {
          const child = children[i]!;
          if (i === 0 && (child.type === "paragraph" || child.type === "heading")) {
            pending.push({ node: child, indent, list, itemLine: list });
          } else if (child.type === "bulletList" || child.type === "orderedList") {
            pending.push({ node: child, indent, list });
          } else {
            pending.push({ node: child, indent: Math.min(list.depth + 1, MAX_INDENT), list: null });
          }
        }
        break;
      }
      case "blockquote":
        push(node.content, indent + 1, list);
        break;
      case "horizontalRule":
        break;
      case "text":
        blocks.push({ kind: "paragraph", runs: runsOf({ type: "paragraph", content: [node] }), indent });
        break;
      default:
        push(node.content, indent, list);
        break;
    }
  }
  return trimBlankEdges(blocks);
}

/** Drops empty paragraphs at the start and end (the editor keeps one for the cursor). */
function trimBlankEdges(blocks: Block[]): Block[] {
  const blank = (block: Block) => block.kind === "paragraph" && block.runs.every((run) => run.text.trim() === "");
  let start = 0;
  let end = blocks.length;
  while (start < end && blank(blocks[start]!)) start++;
  while (end > start && blank(blocks[end - 1]!)) end--;
  return blocks.slice(start, end);
}

/** The runs of a textblock; empty paragraphs have none. Inline content of any depth, with its own stack. */
export function runsOf(node: PmNode): Run[] {
  const runs: Run[] = [];
  let pendingBreak = false;
  const pending: PmNode[] = [];
  const push = (children: readonly PmNode[] | undefined) => {
    if (children) for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  };
  push(node.content);
  while (pending.length > 0) {
    const child = pending.pop()!;
    if (child.type === "hardBreak") {
      pendingBreak = true;
      continue;
    }
    if (child.type === "text" && typeof child.text === "string") {
      const marks = new Set((child.marks ?? []).map((mark) => mark.type));
      const run: Run = { text: child.text };
      if (marks.has("bold")) run.bold = true;
      if (marks.has("italic")) run.italic = true;
      if (marks.has("underline")) run.underline = true;
      if (marks.has("strike")) run.strike = true;
      if (pendingBreak) run.break = true;
      pendingBreak = false;
      runs.push(run);
      continue;
    }
    push(child.content);
  }
  if (pendingBreak) runs.push({ text: "", break: true });
  return runs;
}

/** The plain text of blocks, for tests and logs. */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks.map((block) => block.runs.map((run) => (run.break ? "\n" : "") + run.text).join("")).join("\n");
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
