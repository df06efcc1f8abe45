import { unzipSync } from "fflate";
import Papa from "papaparse";
import { readSheet } from "read-excel-file/universal";
import { LIMITS } from "../../shared/limits.ts";
import { OffThreadError, OffThreadOutOfMemory, OffThreadTimeout, runOffThread } from "../offThread.ts";

/**
 * A roster file as a table of cells (v1.1 `POST …/participants/import`): CSV through papaparse,
 * the first sheet of an XLSX workbook through read-excel-file. Nothing here splits or unzips by
 * hand; what a row means is shared/roster.ts's.
 */

export const CSV_TYPE = "text/csv";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export type RosterFileKind = "csv" | "xlsx";

/** The kind of file a Content-Type names (parameters such as `charset` aside), or null. */
export function kindOfContentType(contentType: string | undefined): RosterFileKind | null {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === CSV_TYPE || type === "application/csv") return "csv";
  if (type === XLSX_TYPE) return "xlsx";
  return null;
}

/** What a file holds: its cells, the header row first; or why it cannot be read. */
export type RosterTable = { ok: true; table: string[][] } | { ok: false; message: string };

export async function readRosterFile(bytes: Uint8Array, kind: RosterFileKind): Promise<RosterTable> {
  if (bytes.byteLength === 0) return { ok: false, message: "the file is empty" };
  return kind === "csv" ? readCsv(bytes) : readXlsx(bytes);
}

/** UTF-8 (a BOM allowed), comma, semicolon (Excel in a Vietnamese locale) or tab between cells. */
function readCsv(bytes: Uint8Array): RosterTable {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, message: "the file is not UTF-8 text: save it as “CSV UTF-8” (or import the XLSX workbook itself)" };
  }
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [",", ";", "\t"], skipEmptyLines: "greedy" });
  // One column has no delimiter to find: that is not an error.
  const error = parsed.errors.find((e) => e.code !== "UndetectableDelimiter");
  if (error) return { ok: false, message: `line ${(error.row ?? 0) + 1}: ${error.message}` };
  return { ok: true, table: parsed.data };
}

/** Read off the event loop, with bounded time and heap; far more than 5,000 rows ever need. */
const XLSX_WORKER = { timeoutMs: 20_000, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } } as const;

/**
 * The first sheet. Before anything is unpacked, the archive's own directory must say that it is a
 * zip whose files add up to at most `LIMITS.importUnpackedBytes` (fflate unpacks no file beyond the
 * size its directory gives, so a file that lies about it is cut short, never a bomb).
 */
async function readXlsx(bytes: Uint8Array): Promise<RosterTable> {
  let unpacked = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        return false;
      },
    });
  } catch {
    return { ok: false, message: "the file is not an XLSX workbook" };
  }
  if (unpacked > LIMITS.importUnpackedBytes) {
    return { ok: false, message: `the workbook unpacks to more than ${LIMITS.importUnpackedBytes / 1024 / 1024} MB` };
  }
  try {
    return { ok: true, table: await runOffThread<Uint8Array, string[][]>(import.meta.url, "readFirstSheet", bytes, XLSX_WORKER) };
  } catch (error) {
    if (error instanceof OffThreadError) return { ok: false, message: `the workbook could not be read: ${error.message}` };
    if (error instanceof OffThreadTimeout || error instanceof OffThreadOutOfMemory) {
      return { ok: false, message: "the workbook is too big to read" };
    }
    throw error;
  }
}

/** On the worker thread: the first sheet's cells as text (numbers as written, dates as ISO days). */
export async function readFirstSheet(bytes: Uint8Array): Promise<string[][]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await readSheet(buffer, 1);
  return rows.map((row) =>
    row.map((cell) => {
      if (cell === null || cell === undefined) return "";
      if ((cell as unknown) instanceof Date) return (cell as unknown as Date).toISOString().slice(0, 10);
      return String(cell);
    }),
  );
}

/**
 * The roster as CSV for Excel: UTF-8 with a BOM (so that Excel reads the diacritics), CRLF, and a
 * cell that a spreadsheet would run as a formula (=, +, -, @) quoted with a leading ' (which the
 * import takes off again: `cellOf` in shared/roster.ts).
 */
export function writeCsv(table: string[][]): string {
  return `\uFEFF${Papa.unparse(table, { newline: "\r\n", escapeFormulae: true })}\r\n`;
}
