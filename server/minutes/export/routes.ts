import type { Router } from "express";
import type { RouteHelpers } from "../../http/api.ts";
import { labelsFor } from "./labels.ts";
import type { MinutesServer } from "../sync/MinutesServer.ts";
import { buildMinutesDocxOffThread } from "./minutesDocx.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import { exportFileName } from "./officialMinutes.ts";
import { minutesToPmNode, proseMirrorToBlocks } from "./proseMirror.ts";

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
      const blocks = proseMirrorToBlocks(minutesToPmNode(minutes.documentState(room)));
      const now = Date.now();
      const buffer = await buildMinutesDocxOffThread({ state, blocks, now, timeZone });
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
