import express, { type Request, type Router } from "express";
import {
  addOrganisationBody,
  reissueTokensBody,
  updateOrganisationBody,
  type ImportPreview,
  type ImportResult,
  type IssuedTokens,
  type RosterParticipant,
} from "../../shared/commands.ts";
import { LIMITS } from "../../shared/limits.ts";
import { ROLES } from "../../shared/roles.ts";
import { checkRows, readTable, rosterTable, type TableProblem } from "../../shared/roster.ts";
import type { Translate } from "../../shared/minutesFacts.ts";
import type { Organisation } from "../../shared/state.ts";
import { newId } from "../ids.ts";
import { wordsFor } from "../i18n.ts";
import { HttpError, sendError } from "../http/errors.ts";
import type { RouteHelpers } from "../http/api.ts";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import { kindOfContentType, readRosterFile, writeCsv } from "./rosterFile.ts";

/** Why a table cannot be imported, in words a secretary can act on. */
function describeProblem(problem: TableProblem): string {
  switch (problem.code) {
    case "empty":
      return "the file has no header row";
    case "no_name_column":
      return "the file has no name column (name / Họ và tên)";
    case "unknown_columns":
      return `unknown columns: ${problem.columns.join(", ")} (the columns are name, organisation, role, attendance, representative, cluster, or Họ và tên, Đơn vị, Vai trò, Hình thức, Trưởng đoàn, Cụm)`;
    case "too_many_rows":
      return `the file has more than ${problem.max} rows`;
  }
}

/**
 * The roster's routes (v1.1 "Organisations and the roster"): organisations, the import with its
 * dry run, the CSV export, the new links of many at once, and who a token is.
 */
export function addRosterRoutes(api: Router, registry: ConferenceRegistry, helpers: RouteHelpers): void {
  /** Public, like the conference itself: the join page's organisation picker. */
  api.get("/conferences/:id/organisations", (req, res) => {
    res.json(helpers.roomOf(req).published.organisations satisfies Organisation[]);
  });

  api.post("/conferences/:id/organisations", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const body = helpers.parse(addOrganisationBody, req.body);
    const organisationId = newId();
    const ack = await room.organise({ type: "organisations.add", organisationId, ...body, source: "roster" });
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message);
    res.status(201).json({ id: organisationId });
  });

  api.patch("/conferences/:id/organisations/:organisationId", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const fields = helpers.parse(updateOrganisationBody, req.body);
    const organisationId = String(req.params.organisationId);
    const ack = await room.organise({ type: "organisations.update", organisationId, fields });
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message);
    res.json(room.published.organisations.find((o) => o.id === organisationId) satisfies Organisation | undefined);
  });

  /**
   * The body is the file itself (CSV or XLSX by its Content-Type). `?dryRun=1`: every row with its
   * errors, nothing changed. Otherwise all rows in one change, or, if any row has an error, 400 with
   * the rows and nothing added.
   */
  api.post(
    "/conferences/:id/participants/import",
    express.raw({ type: () => true, limit: LIMITS.importBytes }),
    async (req: Request, res) => {
      const room = helpers.roomOf(req);
      helpers.authorize(req, room, ["chair"]);
      const kind = kindOfContentType(req.get("content-type"));
      if (!kind) throw new HttpError("invalid", "send the file as text/csv or as an XLSX workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)");
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const file = await readRosterFile(bytes, kind);
      if (!file.ok) throw new HttpError("invalid", file.message);
      const t: Translate = wordsFor(room.published.conference.language, "common");
      const table = readTable(file.table, t);
      if (!table.ok) throw new HttpError("invalid", describeProblem(table.problem));
      if (table.rows.length === 0) throw new HttpError("invalid", "the file has no rows below its header");
      const rows = checkRows(room.published, table.rows, t);
      const dryRun = req.query.dryRun === "1" || req.query.dryRun === "true";
      if (dryRun) return void res.json({ rows } satisfies ImportPreview);
      const wrong = rows.filter((r) => r.errors.length > 0);
      if (wrong.length > 0) {
        return void sendError(res, "invalid", `${wrong.length} of ${rows.length} rows have errors; nothing was added`, { rows } satisfies ImportPreview);
      }
      const imported = await registry.importRows(room, rows);
      if (!imported.ok) throw new HttpError(imported.error.code, imported.error.message);
      const answer: ImportResult = {
        added: imported.added.length,
        participants: imported.added.map(({ participant, token }) => ({
          id: participant.id,
          name: participant.name,
          token,
          url: helpers.participantUrl(req, room.id, token),
        })),
      };
      res.status(201).json(answer);
    },
  );

  /** Extension: the roster as CSV (the import's columns and the status), in the conference's language. */
  api.get("/conferences/:id/participants.csv", (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair", "secretary"]);
    const { conference } = room.published;
    const stem = conference.language === "en" ? "participants" : "danh-sach";
    res.set("Content-Type", "text/csv; charset=utf-8");
    res.set("Content-Disposition", `attachment; filename="${stem}-${room.id}.csv"`);
    res.send(writeCsv(rosterTable(room.published, conference.language)));
  });

  /**
   * Extension: new personal links for several participants at once (the invitation sheet); each
   * old token stops working, as with `POST …/participants/:id/token`. All or nothing is not
   * promised: an unknown id is answered in `refused`.
   */
  api.post("/conferences/:id/participants/tokens", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const { participantIds } = helpers.parse(reissueTokensBody, req.body);
    const issued = await Promise.all([...new Set(participantIds)].map(async (id) => ({ id, issued: await registry.reissueToken(room, id) })));
    const answer: IssuedTokens = {
      tokens: issued.flatMap(({ id, issued }) => (issued.ok ? [{ id, token: issued.token, url: helpers.participantUrl(req, room.id, issued.token) }] : [])),
      refused: issued.flatMap(({ id, issued }) => (issued.ok ? [] : [{ id, code: issued.error.code, message: issued.error.message }])),
    };
    res.status(201).json(answer);
  });

  /** Extension: who this token is, for a page deciding whether a stored link still works (401 if not). */
  api.get("/conferences/:id/me", (req, res) => {
    const room = helpers.roomOf(req);
    const { participant } = helpers.authorize(req, room, ROLES);
    const { online: _online, ...rest } = participant;
    res.json(rest satisfies RosterParticipant);
  });
}
