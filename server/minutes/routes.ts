import type { Router } from "express";
import type { RouteHelpers } from "../http/api.ts";
import { labelsFor } from "./labels.ts";
import type { MinutesServer } from "./MinutesServer.ts";
import { buildMinutesDocx } from "./minutesDocx.ts";
import { DEFAULT_TIME_ZONE, exportFileName } from "./officialMinutes.ts";
import { proseMirrorToBlocks } from "./proseMirror.ts";

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** `GET /api/conferences/:id/minutes.docx` (chair, secretary): the official minutes. */
export function minutesRoutes(minutes: MinutesServer, timeZone = process.env.MINUTES_TIME_ZONE || DEFAULT_TIME_ZONE) {
  return (router: Router, helpers: RouteHelpers) => {
    router.get("/conferences/:id/minutes.docx", async (req, res) => {
      const room = helpers.roomOf(req);
      helpers.authorize(req, room, ["chair", "secretary"]);
      const state = room.published;
      const json = minutes.proseMirrorJSON(room);
      const now = Date.now();
      const buffer = await buildMinutesDocx({ state, blocks: proseMirrorToBlocks(json), now, timeZone });
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
  };
}
