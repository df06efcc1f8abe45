import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  PageNumber,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type IParagraphOptions,
} from "docx";
import { OffThreadTimeout, runOffThread } from "../../offThread.ts";
import type { ConferenceState, Millis } from "../../../shared/state.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import { xmlSafe } from "../../../shared/text.ts";
import { officialFrame, type FrameAttendanceGroup, type FrameSignature, type OfficialFrame } from "../../../shared/officialMinutes.ts";
import { labelsFor, type MinutesLabels } from "./labels.ts";
import type { Block, Run } from "./proseMirror.ts";

/** Millimetres to twentieths of a point, rounded (docx's own helper rounds down: 30 mm → 1700). */
function twips(mm: number): number {
  return Math.round((mm * 1440) / 25.4);
}

/** Decree 30/2020 page: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman. */
export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: twips(20), bottom: twips(20), left: twips(30), right: twips(15) },
} as const;
const FONT = "Times New Roman";
/** Half-points: 14 pt body, 13 pt for the heading block. */
const BODY_SIZE = 28;
const HEADING_BLOCK_SIZE = 26;
const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

const BULLETS = "minutes-bullets";
const NUMBERS = "minutes-numbers";

export interface MinutesDocxInput {
  state: ConferenceState;
  /** The minutes' own text (from the Yjs document). */
  blocks: Block[];
  /** When the export is made: the date of the minutes if the meeting has no date yet. */
  now: Millis;
}

/** The official minutes (biên bản) as a DOCX file. */
export async function buildMinutesDocx(input: MinutesDocxInput): Promise<Buffer> {
  return Packer.toBuffer(minutesDocument(input));
}

/**
 * Minutes with more blocks than this are built on a worker thread. The docx library takes about
 * 0.1 ms of uninterrupted CPU per paragraph: nothing for a real meeting's few hundred, but 3 s for
 * 20,000 and 12 s for 100,000, time in which no other conference would be served and requests
 * would time out (408). Below it, starting a worker would cost more than it saves.
 */
export const WORKER_THRESHOLD_BLOCKS = 2_000;

/** Big exports run one at a time: the machine has few cores, and each worker holds its document. */
let workerQueue: Promise<unknown> = Promise.resolve();

/** Far beyond what the longest minutes take (100,000 paragraphs: about 15 s): a worker still at it is stuck, and would hold up the queue. */
const WORKER_TIMEOUT_MS = 5 * 60_000;

/**
 * {@link buildMinutesDocx}, with big minutes ({@link WORKER_THRESHOLD_BLOCKS}) on a worker thread
 * (`runOffThread`) so that the event loop stays free. The same function builds the same file either
 * way; should the worker fail to start, the file is built here after all (slow, but an export).
 * `worker` forces the choice (for tests).
 */
export function buildMinutesDocxOffThread(input: MinutesDocxInput, worker = input.blocks.length > WORKER_THRESHOLD_BLOCKS): Promise<Buffer> {
  if (!worker) return buildMinutesDocx(input);
  const run = workerQueue.then(() =>
    runOffThread<MinutesDocxInput, Uint8Array>(import.meta.url, "buildMinutesDocx", input, { timeoutMs: WORKER_TIMEOUT_MS }).then(
      (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      (error: unknown) => {
        if (error instanceof OffThreadTimeout) throw error;
        console.warn(`minutes export: the worker failed (${String(error)}); building on the event loop`);
        return buildMinutesDocx(input);
      },
    ),
  );
  workerQueue = run.catch(() => undefined);
  return run;
}

/** The document, for tests that look inside before packing. Every word around the text is `officialFrame`'s. */
export function minutesDocument({ state, blocks, now }: MinutesDocxInput): Document {
  const { conference } = state;
  const labels = labelsFor(conference.language);
  const locale = conference.language === "en" ? "en-GB" : "vi-VN";
  const frame = officialFrame({
    state,
    text: blocks.map((block) => block.runs.map((run) => run.text).join("")).join("\n"),
    now,
    t: labels.t,
    format: {
      number: (n) => new Intl.NumberFormat(locale).format(n),
      percent: (ratio) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(ratio),
    },
  });

  const children: (Paragraph | Table)[] = [
    headingTable(frame),
    empty(),
    para([{ text: frame.documentTitle, bold: true }], { alignment: AlignmentType.CENTER, spacing: { before: 240 } }, 30),
    para([{ text: frame.title, bold: true }], { alignment: AlignmentType.CENTER, spacing: { after: 240 } }),
    ...frame.fields.map((f) => field(f.label, f.value)),
    field(frame.attendanceTitle, frame.attendanceSummary),
    ...frame.attendance.flatMap((g) => groups(g, labels)),
    sectionTitle(frame.proceedingsTitle),
    ...(blocks.length > 0 ? blocks.map(blockParagraph) : [para([{ text: frame.noText, italic: true }])]),
  ];

  if (frame.votes.length > 0) {
    children.push(sectionTitle(frame.votesTitle));
    for (const vote of frame.votes) {
      children.push(para([{ text: vote.title, bold: true }], { keepNext: true }));
      for (const line of vote.lines) children.push(para([{ text: line }], { indent: { left: 360 } }));
    }
  }

  if (frame.closing !== null) children.push(para([{ text: frame.closing }], { spacing: { before: 240 } }));
  children.push(empty(), signatureTable(frame), empty(), ...recipients(frame));

  return new Document({
    creator: "Giao Ban",
    // docProps/core.xml: the only text that does not go through textRuns.
    title: xmlSafe(`${frame.documentTitle} – ${conference.title}`),
    styles: {
      default: { document: { run: { font: FONT, size: BODY_SIZE }, paragraph: { spacing: { after: 60, line: 288 } } } },
    },
    numbering: {
      config: [
        { reference: BULLETS, levels: listLevels(false) },
        { reference: NUMBERS, levels: listLevels(true) },
      ],
    },
    sections: [
      {
        // Decree 30: page numbers at the top centre, from the second page.
        properties: { titlePage: true, page: { size: { width: PAGE.width, height: PAGE.height }, margin: PAGE.margin } },
        headers: {
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: HEADING_BLOCK_SIZE })] })] }),
          first: new Header({ children: [] }),
        },
        children,
      },
    ],
  });
}

/** "Nơi nhận:" and its lines, bottom left, as form 1.9 sets them. */
function recipients(frame: OfficialFrame): Paragraph[] {
  return [
    para([{ text: frame.recipientsTitle, bold: true, italic: true }], { keepNext: true }, 24),
    ...frame.recipients.map((line) => para([{ text: line }], {}, 22)),
  ];
}

function listLevels(ordered: boolean): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level % 3]! : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : ["•", "–", "◦"][level % 3]!,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720 + level * 360, hanging: 360 } } },
  }));
}

/**
 * The one place text enters the document body, so the one place it is made safe for XML: the
 * minutes are typed into a shared document no schema checks, and names, titles and labels stored
 * before the text rule may hold what XML 1.0 forbids (U+FFFF would make word/document.xml
 * malformed and the file unreadable).
 */
function textRuns(runs: readonly Run[], size?: number): TextRun[] {
  return runs.map(
    (run) =>
      new TextRun({
        text: xmlSafe(run.text),
        bold: run.bold,
        italics: run.italic,
        strike: run.strike,
        underline: run.underline ? {} : undefined,
        break: run.break ? 1 : undefined,
        font: FONT,
        size,
      }),
  );
}

function para(runs: readonly Run[], options: IParagraphOptions = {}, size?: number): Paragraph {
  return new Paragraph({ ...options, children: textRuns(runs, size) });
}

function empty(): Paragraph {
  return new Paragraph({ children: [] });
}

function field(label: string, value: string): Paragraph {
  return para([{ text: `${label}: `, bold: true }, { text: value }], { alignment: AlignmentType.JUSTIFIED });
}

function sectionTitle(text: string): Paragraph {
  return para([{ text, bold: true }], { spacing: { before: 240, after: 120 } });
}

function groups(group: FrameAttendanceGroup, labels: MinutesLabels): Paragraph[] {
  const head = para([{ text: `${group.title} (${group.count}): `, italic: true }, ...(group.organisations.length === 0 ? [{ text: labels.word("nobody") }] : [])], {
    indent: { left: 360 },
  });
  return [
    head,
    ...group.organisations.map((o) => para([{ text: `– ${o.name}: `, bold: true }, { text: o.names }], { indent: { left: 720 } })),
  ];
}

/** One block of the minutes' own text. */
export function blockParagraph(block: Block): Paragraph {
  switch (block.kind) {
    case "heading":
      // Bold headings in the body font: Word's built-in heading styles would bring Calibri Light and colour.
      return para(
        block.runs.map((run) => ({ ...run, bold: true })),
        { spacing: { before: 200, after: 80 }, keepNext: true },
        block.level <= 1 ? 30 : block.level === 2 ? 28 : undefined,
      );
    case "paragraph":
      return para(block.runs, { alignment: AlignmentType.JUSTIFIED, indent: block.indent > 0 ? { left: 360 * block.indent } : undefined });
    case "listItem":
      return para(block.runs, {
        alignment: AlignmentType.JUSTIFIED,
        numbering: { reference: block.ordered ? NUMBERS : BULLETS, level: block.depth, instance: block.list },
      });
    default:
      return assertNever(block);
  }
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER };
const CELL_NO_BORDERS = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER };

function cell(children: Paragraph[], width: number): TableCell {
  return new TableCell({ children, width: { size: width, type: WidthType.DXA }, borders: CELL_NO_BORDERS });
}

/** The bodies and the number (left), the national heading with place and date (right), no borders. */
function headingTable(frame: OfficialFrame): Table {
  const left = Math.round(TEXT_WIDTH * 0.42);
  const right = TEXT_WIDTH - left;
  const center = { alignment: AlignmentType.CENTER };
  const leftCell = [
    ...(frame.parentBody ? [para([{ text: frame.parentBody }], center, HEADING_BLOCK_SIZE)] : []),
    para([{ text: frame.issuingBody, bold: true }], center, HEADING_BLOCK_SIZE),
    para([{ text: "———" }], center, HEADING_BLOCK_SIZE),
    para([{ text: frame.numberLine }], center, HEADING_BLOCK_SIZE),
  ];
  const rightCell = frame.nationalHeading
    ? [
        para([{ text: frame.nationalHeading.country, bold: true }], center, 24),
        para([{ text: frame.nationalHeading.motto, bold: true }], center, HEADING_BLOCK_SIZE),
        para([{ text: "———————————" }], center, HEADING_BLOCK_SIZE),
        para([{ text: frame.placeDate, italic: true }], center, HEADING_BLOCK_SIZE),
      ]
    : [para([{ text: frame.placeDate, italic: true }], center, HEADING_BLOCK_SIZE)];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(leftCell, left), cell(rightCell, right)] })],
  });
}

/** THƯ KÝ (left) and CHỦ TỌA (right), each with room to sign and the name. */
function signatureTable(frame: OfficialFrame): Table {
  const half = Math.round(TEXT_WIDTH / 2);
  const center = { alignment: AlignmentType.CENTER };
  const block = (signature: FrameSignature) => [
    para([{ text: signature.title, bold: true }], center),
    para([{ text: signature.hint, italic: true }], center, 24),
    empty(),
    empty(),
    empty(),
    para([{ text: signature.name, bold: true }], center),
  ];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [half, TEXT_WIDTH - half],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ cantSplit: true, children: [cell(block(frame.secretary), half), cell(block(frame.chair), TEXT_WIDTH - half)] })],
  });
}

function assertNever(value: never): never {
  throw new Error(`unexpected block ${JSON.stringify(value)}`);
}
