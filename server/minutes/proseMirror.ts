/** A ProseMirror JSON node as `yXmlFragmentToProsemirrorJSON` answers it. */
export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  text?: string;
  marks?: { type: string; attrs?: unknown }[];
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

const MAX_DEPTH = 8;

/**
 * Flattens a ProseMirror document (paragraph, heading, bulletList, orderedList, listItem,
 * blockquote, codeBlock, text with bold/italic/underline/strike marks, hardBreak) into blocks.
 * Each list gets its own number so ordered lists restart at 1; a list item's second paragraph
 * becomes an indented paragraph without a bullet. Unknown nodes keep their text.
 */
export function proseMirrorToBlocks(doc: PmNode): Block[] {
  const blocks: Block[] = [];
  let lists = 0;

  const walk = (node: PmNode, indent: number, list: { ordered: boolean; depth: number; id: number } | null): void => {
    switch (node.type) {
      case "doc":
        for (const child of node.content ?? []) walk(child, indent, list);
        return;
      case "heading": {
        const level = clamp(Number(node.attrs?.level ?? 1), 1, 6);
        blocks.push({ kind: "heading", level, runs: runsOf(node) });
        return;
      }
      case "paragraph":
      case "codeBlock":
        blocks.push({ kind: "paragraph", runs: runsOf(node), indent });
        return;
      case "bulletList":
      case "orderedList": {
        const depth = list ? Math.min(list.depth + 1, MAX_DEPTH) : 0;
        const inner = { ordered: node.type === "orderedList", depth, id: ++lists };
        for (const item of node.content ?? []) walk(item, indent, inner);
        return;
      }
      case "listItem": {
        if (!list) {
          for (const child of node.content ?? []) walk(child, indent, null);
          return;
        }
        let first = true;
        for (const child of node.content ?? []) {
          if (first && (child.type === "paragraph" || child.type === "heading")) {
            blocks.push({ kind: "listItem", ordered: list.ordered, depth: list.depth, list: list.id, runs: runsOf(child) });
          } else if (child.type === "bulletList" || child.type === "orderedList") {
            walk(child, indent, list);
          } else {
            walk(child, list.depth + 1, null);
          }
          first = false;
        }
        return;
      }
      case "blockquote":
        for (const child of node.content ?? []) walk(child, indent + 1, list);
        return;
      case "horizontalRule":
        return;
      case "text":
        blocks.push({ kind: "paragraph", runs: runsOf({ type: "paragraph", content: [node] }), indent });
        return;
      default:
        if (node.content) for (const child of node.content) walk(child, indent, list);
        return;
    }
  };

  walk(doc, 0, null);
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

/** The runs of a textblock; empty paragraphs have none. */
export function runsOf(node: PmNode): Run[] {
  const runs: Run[] = [];
  let pendingBreak = false;
  const visit = (child: PmNode) => {
    if (child.type === "hardBreak") {
      pendingBreak = true;
      return;
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
      return;
    }
    for (const grandchild of child.content ?? []) visit(grandchild);
  };
  for (const child of node.content ?? []) visit(child);
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
