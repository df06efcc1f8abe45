import type { z } from "zod";
import { text } from "./commands.ts";
import type { DomainEvent } from "./events.ts";
import { LIMITS } from "./limits.ts";
import type { Translate } from "./minutesFacts.ts";
import { ATTENDANCES, ROLES, type Attendance, type Role } from "./roles.ts";
import type { ConferenceState, Organisation, Participant } from "./state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./domain/decision.ts";
import { clusterOf, organisationKey, organisationNamed, representativeOf, searchKey, votes } from "./domain/organisations.ts";
import { rosterStatus } from "./domain/participants.ts";
import en from "./i18n/en/common.json";
import vi from "./i18n/vi/common.json";

/**
 * The roster as a file (v1.1 `POST …/participants/import`, and the CSV export): its columns, how a
 * table of cells becomes rows, and which rows may be added. Pure: the server's parsers (papaparse,
 * read-excel-file) turn a file into cells, and the chair's preview and the import itself check the
 * same rows with the same code.
 */

/** The columns an import reads, in the order the export writes them. */
export const ROSTER_COLUMNS = ["name", "organisation", "role", "attendance", "representative", "cluster"] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];
/** Written by the export after the others (invited / present / left); an import ignores it. */
export const STATUS_COLUMN = "status";

/** One row of an imported file as the preview shows it; `errors` empty: it can be added. */
export interface ImportRow {
  /** The line (1 is the header) or spreadsheet row it came from. */
  line: number;
  name: string;
  organisation: string;
  role: Role;
  attendance: Attendance;
  representative: boolean;
  cluster: string | null;
  errors: string[];
}

/** The header words of a column in both languages (the translation files' `roster.columns`). */
const HEADERS = { vi: vi.roster.columns, en: en.roster.columns };

/** Which column a header cell names, by its English id or either language's word, case and diacritics aside. */
export function columnOfHeader(header: string): RosterColumn | typeof STATUS_COLUMN | null {
  const key = searchKey(header.replace(/^\uFEFF/, ""));
  for (const column of [...ROSTER_COLUMNS, STATUS_COLUMN] as const) {
    if ([column, HEADERS.vi[column], HEADERS.en[column]].some((word) => searchKey(word) === key)) return column;
  }
  return null;
}

/** A cell's value as one of `values`: the id itself or its word in either language (`words[lang][id]`). */
function valueOf<T extends string>(cell: string, values: readonly T[], words: Record<"vi" | "en", Record<T, string>>): T | null {
  const key = searchKey(cell);
  return values.find((v) => [v, words.vi[v], words.en[v]].some((word) => searchKey(word) === key)) ?? null;
}

const YES = ["x", "1", "yes", "true", "co", "v"];
const NO = ["", "0", "no", "false", "khong", "-"];

function flagOf(cell: string): boolean | null {
  const key = searchKey(cell);
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  return null;
}

/** A field's value through the text rule of the API's own fields, or what is wrong with it. */
function field(schema: z.ZodType<string>, cell: string): { value: string } | { problem: string } {
  const parsed = schema.safeParse(cell);
  return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues[0]?.message ?? "invalid" };
}

const nameText = text(LIMITS.name, 1);
const organisationText = text(LIMITS.organisation);
const clusterText = text(LIMITS.cluster);

/** A cell as typed: the ' that the export puts before what a spreadsheet would run as a formula comes off. */
function cellOf(raw: string): string {
  return /^'[=+\-@\t\r]/.test(raw) ? raw.slice(1) : raw;
}

/** What is wrong with the file as a whole: nothing to read, or columns it cannot read. */
export type TableProblem = { code: "empty" } | { code: "no_name_column" } | { code: "unknown_columns"; columns: string[] } | { code: "too_many_rows"; max: number };

/**
 * A table of cells (the header first) as rows, each with what is wrong with its own cells; blank
 * rows are skipped. `t`: the words of the errors, in the conference's language.
 */
export function readTable(table: readonly (readonly string[])[], t: Translate): { ok: true; rows: ImportRow[] } | { ok: false; problem: TableProblem } {
  const [header, ...body] = table;
  if (!header || header.every((cell) => cell.trim() === "")) return { ok: false, problem: { code: "empty" } };
  const columns = header.map((cell) => (cell.trim() === "" ? null : columnOfHeader(cell)));
  const unknown = header.filter((cell, i) => cell.trim() !== "" && columns[i] === null);
  if (unknown.length > 0) return { ok: false, problem: { code: "unknown_columns", columns: unknown.map((c) => c.trim()) } };
  if (!columns.includes("name")) return { ok: false, problem: { code: "no_name_column" } };
  const rows: ImportRow[] = [];
  for (const [index, cells] of body.entries()) {
    if (cells.every((cell) => String(cell ?? "").trim() === "")) continue;
    if (rows.length >= LIMITS.participants) return { ok: false, problem: { code: "too_many_rows", max: LIMITS.participants } };
    const cell = (column: RosterColumn) => {
      const at = columns.indexOf(column);
      return at < 0 ? "" : cellOf(String(cells[at] ?? ""));
    };
    rows.push(readRow(index + 2, cell, t));
  }
  return { ok: true, rows };
}

function readRow(line: number, cell: (column: RosterColumn) => string, t: Translate): ImportRow {
  const errors: string[] = [];
  const row: ImportRow = { line, name: "", organisation: "", role: "delegate", attendance: "hall", representative: false, cluster: null, errors };
  const name = field(nameText, cell("name"));
  if ("value" in name) row.name = name.value;
  else errors.push(cell("name").trim() === "" ? t("import.errors.noName") : t("import.errors.badText", { column: HEADERS.en.name, problem: name.problem }));
  const organisation = field(organisationText, cell("organisation"));
  if ("value" in organisation) row.organisation = organisation.value;
  else errors.push(t("import.errors.badText", { column: HEADERS.en.organisation, problem: organisation.problem }));
  if (cell("role").trim() !== "") {
    const role = valueOf(cell("role"), ROLES, { vi: vi.role, en: en.role });
    if (role) row.role = role;
    else errors.push(t("import.errors.badRole", { value: cell("role").trim() }));
  }
  if (cell("attendance").trim() !== "") {
    const attendance = valueOf(cell("attendance"), ATTENDANCES, { vi: vi.attendance, en: en.attendance });
    if (attendance) row.attendance = attendance;
    else errors.push(t("import.errors.badAttendance", { value: cell("attendance").trim() }));
  }
  const representative = flagOf(cell("representative"));
  if (representative === null) errors.push(t("import.errors.badFlag", { value: cell("representative").trim() }));
  else row.representative = representative;
  const cluster = field(clusterText, cell("cluster"));
  if ("value" in cluster) row.cluster = clusterOf(cluster.value);
  else errors.push(t("import.errors.badText", { column: HEADERS.en.cluster, problem: cluster.problem }));
  return row;
}

const personKey = (name: string, organisation: string) => `${organisationKey(name)}\u0000${organisationKey(organisation)}`;

/**
 * The rows with what is wrong with them against each other and against the roster: someone twice
 * in the file or already on the roster (same name, same organisation), a representative without an
 * organisation or who does not vote, two representatives of one organisation, an organisation put
 * in two clusters. Answers new rows; `rows` is not changed.
 */
export function checkRows(state: ConferenceState, rows: readonly ImportRow[], t: Translate): ImportRow[] {
  const onRoster = new Set(state.participants.filter((p) => p.removedAt == null).map((p) => personKey(p.name, p.organisation)));
  const seen = new Map<string, number>();
  const representatives = new Map<string, number>();
  const clusters = new Map<string, { cluster: string; line: number }>();
  const checked = rows.map((row) => {
    const errors = [...row.errors];
    const person = personKey(row.name, row.organisation);
    const orgKey = organisationKey(row.organisation);
    const existing = orgKey === "" ? undefined : organisationNamed(state, row.organisation);
    if (row.name !== "") {
      const earlier = seen.get(person);
      if (earlier !== undefined) errors.push(t("import.errors.duplicate", { line: earlier }));
      else seen.set(person, row.line);
      if (onRoster.has(person)) errors.push(t("import.errors.onRoster"));
    }
    if (row.representative) {
      if (orgKey === "") errors.push(t("import.errors.representativeWithout"));
      else if (!votes({ role: row.role, guest: false })) errors.push(t("import.errors.representativeRole"));
      else {
        const earlier = representatives.get(orgKey);
        if (earlier !== undefined) errors.push(t("import.errors.twoRepresentatives", { line: earlier }));
        else representatives.set(orgKey, row.line);
      }
    }
    if (row.cluster !== null && orgKey !== "") {
      const earlier = clusters.get(orgKey);
      if (existing?.cluster != null && organisationKey(existing.cluster) !== organisationKey(row.cluster)) {
        errors.push(t("import.errors.clusterOnRoster", { cluster: existing.cluster }));
      } else if (earlier && organisationKey(earlier.cluster) !== organisationKey(row.cluster)) {
        errors.push(t("import.errors.twoClusters", { line: earlier.line, cluster: earlier.cluster }));
      } else if (!earlier) clusters.set(orgKey, { cluster: row.cluster, line: row.line });
    }
    return { ...row, errors };
  });
  const members = state.participants.length + rows.length;
  if (members > LIMITS.participants) {
    const last = checked.at(-1);
    last?.errors.push(t("import.errors.tooMany", { max: LIMITS.participants }));
  }
  return checked;
}

/** Words nobody reads: the rule only needs to know whether a row has errors. */
const KEYS: Translate = (key) => key;

/**
 * The rule of an import (server-internal, authorised as the chair): every row is checked again
 * against the roster as it is now; any error refuses the whole import (`invalid`), so nothing is
 * added. Otherwise, in one change: the organisations the rows name that are new (with the first
 * cluster given), the cluster of those on the roster without one, and the participants, each
 * representative taking over from their organisation's previous one. Answers the new ids in row order.
 */
export function decideImport(state: ConferenceState, rows: readonly ImportRow[], ctx: DecideContext): Decision {
  if (rows.length === 0) return refuse("invalid", "the file has no rows");
  const checked = checkRows(state, rows, KEYS);
  const wrong = checked.find((r) => r.errors.length > 0);
  if (wrong) return refuse("invalid", `line ${wrong.line}: ${wrong.errors.join("; ")}`);
  const events: DomainEvent[] = [];
  const organisations = new Map<string, Organisation>();
  for (const row of rows) {
    const key = organisationKey(row.organisation);
    if (key === "" || organisations.has(key)) continue;
    const existing = organisationNamed(state, row.organisation);
    if (existing) {
      const cluster = existing.cluster ?? rows.find((r) => r.cluster !== null && organisationKey(r.organisation) === key)?.cluster ?? null;
      if (cluster !== existing.cluster) events.push({ type: "organisation.updated", data: { organisationId: existing.id, fields: { cluster } } });
      organisations.set(key, existing);
      continue;
    }
    const organisation: Organisation = {
      id: ctx.newId(),
      name: row.organisation,
      shortName: "",
      cluster: rows.find((r) => r.cluster !== null && organisationKey(r.organisation) === key)?.cluster ?? null,
      source: "roster",
    };
    events.push({ type: "organisation.added", data: { organisation } });
    organisations.set(key, organisation);
  }
  if (state.organisations.length + events.filter((e) => e.type === "organisation.added").length > LIMITS.organisations) {
    return refuse("conflict", `a conference holds at most ${LIMITS.organisations} organisations`);
  }
  const ids: string[] = [];
  for (const row of rows) {
    const organisation = organisations.get(organisationKey(row.organisation));
    if (row.representative && organisation) {
      const previous = representativeOf(state, organisation.id);
      if (previous) events.push({ type: "participant.updated", data: { participantId: previous.id, fields: { representative: false } } });
    }
    const participant: Participant = {
      id: ctx.newId(),
      name: row.name,
      organisation: organisation?.name ?? "",
      organisationId: organisation?.id ?? null,
      representative: row.representative,
      guest: false,
      proxyId: null,
      role: row.role,
      attendance: row.attendance,
      online: false,
      joinedAt: ctx.now,
      checkedInAt: null,
      leftAt: null,
      removedAt: null,
    };
    ids.push(participant.id);
    events.push({ type: "participant.added", data: { participant } });
  }
  return accept(events, { ids });
}


/**
 * The roster as a table for the CSV export, in the conference's language: the import's columns
 * (so that an exported file imports again) and the status. Removed participants are not on it.
 */
export function rosterTable(state: ConferenceState, language: "vi" | "en"): string[][] {
  const words = language === "en" ? en : vi;
  const clusterOfOrganisation = new Map(state.organisations.map((o) => [o.id, o.cluster ?? ""]));
  const header = [...ROSTER_COLUMNS.map((c) => words.roster.columns[c]), words.roster.columns.status];
  const rows = state.participants
    .filter((p) => p.removedAt == null && p.role !== "projector")
    .map((p) => [
      p.name,
      p.organisation,
      words.role[p.role],
      words.attendance[p.attendance],
      p.representative ? "x" : "",
      p.organisationId ? (clusterOfOrganisation.get(p.organisationId) ?? "") : "",
      words.roster.status[rosterStatus(p)],
    ]);
  return [header, ...rows];
}
