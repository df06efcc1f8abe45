import type { Router } from "express";
import type { RouteHelpers } from "../../http/api.ts";
import { HttpError } from "../../http/errors.ts";
import { labelsFor } from "./labels.ts";
import type { MinutesServer } from "../sync/MinutesServer.ts";
import { buildMinutesDocxOffThread } from "./minutesDocx.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import { exportFileName } from "./officialMinutes.ts";
import { minutesToPmNode, proseMirrorToBlocks } from "./proseMirror.ts";
import { speakingTimeByOrganisation } from "../../../shared/minutesFacts.ts";
import { writeCsv } from "../../roster/rosterFile.ts";

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** `GET /api/conferences/:id/minutes.docx` (chair, secretary): the official minutes. */
export function minutesRoutes(minutes: Pick<MinutesServer, "documentState">) {
  return (router: Router, helpers: RouteHelpers) => {
    router.get("/conferences/:id/minutes.docx", async (req, res) => {
      const room = helpers.roomOf(req);
      helpers.authorize(req, room, ["chair", "secretary"]);
      const state = room.published;
      // v1.1: every time exported is in the conference's own time zone.
      const timeZone = state.conference.timeZone || DEFAULT_TIME_ZONE;
      // Linear in the document's size whatever its depth (both walks keep their own stacks); the
      // DOCX itself is built off the event loop when the minutes are long.
      const stored = await minutes.documentState(room).catch((error: Error) => {
        console.error(`minutes of ${room.id}: reading them for the export failed:`, error.message);
        throw new HttpError("unavailable", "the minutes cannot be read now");
      });
      const blocks = proseMirrorToBlocks(minutesToPmNode(stored));
      const now = Date.now();
      const buffer = await buildMinutesDocxOffThread({ state, blocks, now });
      const name = exportFileName(labelsFor(state.conference.language).fileStem, state.conference.startedAt ?? state.conference.startsAt ?? now, timeZone);
      res
        .status(200)
        .set({
          "Content-Type": DOCX_TYPE,
          "Content-Disposition": `attachment; filename="${name}"`,
          "Cache-Control": "no-store",
        })
        .send(buffer);
    });

    /**
     * Extension: speaking time per organisation as CSV, over the meeting or one item (`?itemId=`):
     * organisation, speeches, total seconds, share, in the conference's language.
     */
    router.get("/conferences/:id/speaking-time.csv", (req, res) => {
      const room = helpers.roomOf(req);
      helpers.authorize(req, room, ["chair", "secretary"]);
      const state = room.published;
      const itemId = typeof req.query.itemId === "string" ? req.query.itemId : undefined;
      const t = labelsFor(state.conference.language).t;
      const rows = speakingTimeByOrganisation(state, Date.now(), itemId);
      const table = [
        [t("record.speakingTime.organisation"), t("record.speakingTime.speeches"), `${t("record.speakingTime.total")} (s)`, `${t("record.speakingTime.share")} (%)`],
        ...rows.map((r) => [r.organisation || t("record.speakingTime.none"), String(r.speeches), String(Math.round(r.totalMs / 1000)), (r.share * 100).toFixed(1)]),
      ];
      res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="speaking-time-${room.id}.csv"`, "Cache-Control": "no-store" });
      res.send(writeCsv(table));
    });
  };
}
