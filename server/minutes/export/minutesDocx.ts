import {
  AlignmentType,
  BorderStyle,
  Document,
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
import { attendanceOf, closedPolls, type OrganisationGroup } from "../../../shared/minutesFacts.ts";
import { labelsFor, type MinutesLabels } from "./labels.ts";
import { datePartsOf, nameWithOrganisation, placeOf, summarisePoll } from "./officialMinutes.ts";
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
  timeZone?: string;
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

/** The document, for tests that look inside before packing. */
export function minutesDocument({ state, blocks, now, timeZone = DEFAULT_TIME_ZONE }: MinutesDocxInput): Document {
  const { conference, participants } = state;
  const labels = labelsFor(conference.language);
  const openedAt = conference.startedAt ?? conference.startsAt;
  const dateOfMinutes = datePartsOf(openedAt ?? now, timeZone);
  const placeholder = labels.word("placeholder");
  const place = placeOf(conference.venue) || placeholder;
  const chairs = participants.filter((p) => p.role === "chair" && p.removedAt == null);
  const secretaries = participants.filter((p) => p.role === "secretary" && p.removedAt == null);
  const attendance = attendanceOf(participants);
  const polls = closedPolls(state);

  const children: (Paragraph | Table)[] = [
    headingTable(conference.organisation, labels, labels.placeDate(place, dateOfMinutes)),
    empty(),
    para([{ text: labels.word("title"), bold: true }], { alignment: AlignmentType.CENTER, spacing: { before: 240 } }, 30),
    para([{ text: conference.title, bold: true }], { alignment: AlignmentType.CENTER, spacing: { after: 240 } }),
    field(labels.word("startedAt"), openedAt === null ? placeholder : labels.dateTime(datePartsOf(openedAt, timeZone))),
    field(labels.word("venue"), conference.venue || placeholder),
    field(
      labels.word("format"),
      labels.word(
        attendance.onlineCount > 0 && attendance.hallCount > 0 ? "formatHybrid" : attendance.onlineCount > 0 ? "formatOnline" : "formatHall",
      ),
    ),
    field(labels.word("chairs"), chairs.map(nameWithOrganisation).join("; ") || placeholder),
    field(labels.word("secretaries"), secretaries.map(nameWithOrganisation).join("; ") || placeholder),
    field(
      labels.word("attendance"),
      labels.t("official.presentCount", { total: attendance.total, hall: attendance.hallCount, online: attendance.onlineCount }),
    ),
    ...groups(labels.word("inHall"), attendance.hall, labels),
    ...groups(labels.word("online"), attendance.online, labels),
    ...groups(labels.word("absent"), attendance.absent, labels),
    sectionTitle(labels.word("proceedings")),
    ...(blocks.length > 0 ? blocks.map(blockParagraph) : [para([{ text: labels.word("noText"), italic: true }])]),
  ];

  if (polls.length > 0) {
    children.push(sectionTitle(labels.word("votes")));
    polls.forEach((poll, index) => {
      const summary = summarisePoll(poll, labels);
      const counts = summary.counts.map(({ label, count }) => labels.t("record.poll.count", { label, count }));
      children.push(para([{ text: labels.t("official.pollLine", { index: index + 1, question: summary.question }), bold: true }]));
      children.push(para([{ text: counts.join("; ") + "." }], { indent: { left: 360 } }));
      children.push(para([{ text: summary.details }], { indent: { left: 360 } }));
      children.push(para([{ text: `${labels.word("outcomeLabel")}: `, bold: true }, { text: summary.outcome }], { indent: { left: 360 } }));
    });
  }

  children.push(
    para([{ text: labels.closing(conference.endedAt === null ? null : datePartsOf(conference.endedAt, timeZone)) }], {
      spacing: { before: 240 },
    }),
    empty(),
    signatureTable(labels, secretaries.map((p) => p.name), chairs.map((p) => p.name)),
  );

  return new Document({
    creator: "Giao Ban",
    // docProps/core.xml: the only text that does not go through textRuns.
    title: xmlSafe(`${labels.word("title")} – ${conference.title}`),
    styles: {
      default: { document: { run: { font: FONT, size: BODY_SIZE }, paragraph: { spacing: { after: 60, line: 288 } } } },
    },
    numbering: {
      config: [
        { reference: BULLETS, levels: listLevels(false) },
        { reference: NUMBERS, levels: listLevels(true) },
      ],
    },
    sections: [{ properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: PAGE.margin } }, children }],
  });
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

function groups(title: string, list: OrganisationGroup[], labels: MinutesLabels): Paragraph[] {
  const count = list.reduce((sum, g) => sum + g.names.length, 0);
  const head = para([{ text: `${title} (${count}): `, italic: true }, ...(list.length === 0 ? [{ text: labels.word("nobody") }] : [])], {
    indent: { left: 360 },
  });
  return [
    head,
    ...list.map((group) =>
      para(
        [
          { text: `– ${group.organisation || labels.word("noOrganisation")}: `, bold: true },
          { text: group.names.join(", ") },
        ],
        { indent: { left: 720 } },
      ),
    ),
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

/** Issuing organisation (left) and national heading with place and date (right), no borders. */
function headingTable(organisation: string, labels: MinutesLabels, placeDate: string): Table {
  const left = Math.round(TEXT_WIDTH * 0.42);
  const right = TEXT_WIDTH - left;
  const center = { alignment: AlignmentType.CENTER };
  const leftCell = [
    para([{ text: (organisation || labels.word("placeholder")).toLocaleUpperCase("vi"), bold: true }], center, HEADING_BLOCK_SIZE),
    para([{ text: "———" }], center, HEADING_BLOCK_SIZE),
    para([{ text: labels.word("numberLine") }], center, HEADING_BLOCK_SIZE),
  ];
  const rightCell = labels.nationalHeading
    ? [
        para([{ text: labels.nationalHeading.country, bold: true }], center, 24),
        para([{ text: labels.nationalHeading.motto, bold: true }], center, HEADING_BLOCK_SIZE),
        para([{ text: "———————————" }], center, HEADING_BLOCK_SIZE),
        para([{ text: placeDate, italic: true }], center, HEADING_BLOCK_SIZE),
      ]
    : [para([{ text: placeDate, italic: true }], center, HEADING_BLOCK_SIZE)];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(leftCell, left), cell(rightCell, right)] })],
  });
}

/** "THƯ KÝ" (left) and "CHỦ TRÌ" (right), each with room to sign and the names. */
function signatureTable(labels: MinutesLabels, secretaries: string[], chairs: string[]): Table {
  const half = Math.round(TEXT_WIDTH / 2);
  const center = { alignment: AlignmentType.CENTER };
  const block = (title: string, names: string[]) => [
    para([{ text: title, bold: true }], center),
    para([{ text: labels.word("signHint"), italic: true }], center, 24),
    empty(),
    empty(),
    empty(),
    ...(names.length > 0 ? names : [labels.word("placeholder")]).map((name) => para([{ text: name, bold: true }], center)),
  ];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [half, TEXT_WIDTH - half],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          cell(block(labels.word("signatureSecretary"), secretaries), half),
          cell(block(labels.word("signatureChair"), chairs), TEXT_WIDTH - half),
        ],
      }),
    ],
  });
}

function assertNever(value: never): never {
  throw new Error(`unexpected block ${JSON.stringify(value)}`);
}
