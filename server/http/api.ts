import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { z } from "zod";
import {
  addParticipantBody,
  createConferenceBody,
  joinBody,
  updateParticipantBody,
  type IssuedToken,
  type RosterParticipant,
  startsAtMillis,
  updateConferenceBody,
  type Admission,
  type CreatedConference,
  type PublicConference,
} from "../../shared/commands.ts";
import { INTERNAL_ERROR_CODE } from "../../shared/errors.ts";
import { LIMITS } from "../../shared/limits.ts";
import type { Role } from "../../shared/roles.ts";
import { describeIssues, PAYLOAD_SHAPE, withinShape } from "../../shared/validation.ts";
import type { AddedParticipant, ConferenceRegistry, Identity } from "../conferences/ConferenceRegistry.ts";
import type { ConferenceRoom } from "../conferences/ConferenceRoom.ts";
import { timingSafeEqual } from "node:crypto";
import { hashToken, joinCodeMatches } from "../ids.ts";
import { HttpError, sendError } from "./errors.ts";
import type { Budget } from "./limits.ts";
import { addRosterRoutes } from "../roster/routes.ts";
import { kindOfContentType } from "../roster/rosterFile.ts";

export interface ApiOptions {
  registry: ConferenceRegistry;
  /** When set, only this bearer token may create conferences. */
  adminToken?: string;
  /** Base of the links handed out; by default the address the request came to. */
  publicUrl?: string;
  /** Conference creations per address: burst and refill per second. */
  createLimit: Budget;
  /** Wrong join codes per address (over every conference). */
  joinFailureLimit: Budget;
  /** Wrong join codes per conference (from every address). */
  conferenceJoinFailureLimit: Budget;
  /** Extra routes under /api/conferences/:id, added by other modules (the minutes export). */
  extend?: (router: Router, helpers: RouteHelpers) => void;
}

export interface RouteHelpers {
  roomOf(req: Request): ConferenceRoom;
  authorize(req: Request, room: ConferenceRoom, roles: readonly Role[]): Identity;
  /** The body through a schema, or 400 `invalid` saying what is wrong. */
  parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T>;
  /** A participant's link: `<base>/c/<conferenceId>#t=<token>`. */
  participantUrl(req: Request, conferenceId: string, token: string): string;
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError("invalid", describeIssues(result.error));
  return result.data;
}

/** Compares secrets in constant time (through their hashes, which have equal lengths). */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(given), "hex"), Buffer.from(hashToken(expected), "hex"));
}

function bearer(req: Request): string | undefined {
  const header = req.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** The REST API under /api. */
export function createApi(options: ApiOptions): Router {
  const { registry } = options;
  const api = express.Router();
  // Every body is JSON but a roster file (CSV, XLSX), which its own route reads.
  api.use(express.json({ limit: LIMITS.payloadBytes, type: (req) => kindOfContentType(req.headers["content-type"]) === null }));
  // Bounded before any route (or zod) walks it: JSON.parse is iterative, almost nothing after it is.
  api.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.body !== undefined && !withinShape(req.body)) {
      throw new HttpError("invalid", `bodies may nest at most ${PAYLOAD_SHAPE.maxDepth} levels and hold ${PAYLOAD_SHAPE.maxNodes} values`);
    }
    next();
  });

  const linkBase = (req: Request) => options.publicUrl ?? `${req.protocol}://${req.get("host")}`;
  const participantUrl = (req: Request, conferenceId: string, token: string) =>
    `${linkBase(req)}/c/${conferenceId}#t=${token}`;
  const admission = (req: Request, conferenceId: string, added: Extract<AddedParticipant, { ok: true }>): Admission => ({
    id: added.participant.id,
    token: added.token,
    url: participantUrl(req, conferenceId, added.token),
  });

  const helpers: RouteHelpers = {
    roomOf(req) {
      const room = registry.get(String(req.params.id));
      if (!room) throw new HttpError("not_found", "no such conference");
      return room;
    },
    parse,
    participantUrl,
    authorize(req, room, roles) {
      const identity = registry.authenticate(bearer(req));
      if (!identity || identity.room !== room) throw new HttpError("unauthorized", "a valid token for this conference is required");
      if (!roles.includes(identity.participant.role)) {
        throw new HttpError("forbidden", `a ${identity.participant.role} may not do this`);
      }
      return identity;
    },
  };

  api.get("/health", (_req, res) => {
    res.json({ ok: true });
  });

  api.post("/conferences", async (req, res) => {
    if (options.adminToken !== undefined) {
      if (!sameSecret(bearer(req) ?? "", options.adminToken)) {
        throw new HttpError("unauthorized", "creating conferences needs the admin token");
      }
    } else if (!(await options.createLimit.take(req.ip ?? ""))) {
      throw new HttpError("rate_limited", "too many conferences created from this address; try again in a minute");
    }
    const body = parse(createConferenceBody, req.body);
    const chairName = body.chairName ?? (body.language === "en" ? "Chair" : "Chủ trì");
    const { room, chairToken } = await registry.create(body, chairName);
    const created: CreatedConference = {
      id: room.id,
      chairToken,
      joinCode: room.published.conference.joinCode!, // the server's own state always holds it
      url: participantUrl(req, room.id, chairToken),
    };
    res.status(201).json(created);
  });

  /** Extension: what the join page shows before anyone has a token. */
  api.get("/conferences/:id", (req, res) => {
    const { conference } = helpers.roomOf(req).published;
    const { joinCode: _joinCode, ...visible } = conference;
    res.json(visible satisfies PublicConference);
  });

  /** v1.1: a chair corrects the conference's facts, in any status; answers them as GET does. */
  api.patch("/conferences/:id", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const { startsAt, ...rest } = parse(updateConferenceBody, req.body);
    const fields = startsAt === undefined ? rest : { ...rest, startsAt: startsAt === null ? null : startsAtMillis(startsAt) };
    const ack = await room.updateConference(fields);
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message);
    const { joinCode: _joinCode, ...visible } = room.published.conference;
    res.json(visible satisfies PublicConference);
  });

  api.post("/conferences/:id/participants", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const body = parse(addParticipantBody, req.body);
    const added = await registry.addParticipant(room, body, "chair");
    if (!added.ok) throw new HttpError(added.error.code, added.error.message);
    res.status(201).json(admission(req, room.id, added));
  });

  /** v1.1: a chair changes a participant's name, organisation, role, attendance or representative flag; answers the participant. */
  api.patch("/conferences/:id/participants/:participantId", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const fields = parse(updateParticipantBody, req.body);
    const updated = await registry.updateParticipant(room, String(req.params.participantId), fields);
    if (!updated.ok) throw new HttpError(updated.error.code, updated.error.message);
    const { online: _online, ...participant } = updated.participant;
    res.json(participant satisfies RosterParticipant);
  });

  /** v1.1: a chair removes a participant: kept in the records, their token gone at once. */
  api.delete("/conferences/:id/participants/:participantId", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const ack = await registry.removeParticipant(room, String(req.params.participantId));
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message);
    res.status(204).end();
  });

  /** v1.1: a chair gives a participant (themselves included) a new link; the old token stops working. */
  api.post("/conferences/:id/participants/:participantId/token", async (req, res) => {
    const room = helpers.roomOf(req);
    helpers.authorize(req, room, ["chair"]);
    const issued = await registry.reissueToken(room, String(req.params.participantId));
    if (!issued.ok) throw new HttpError(issued.error.code, issued.error.message);
    res.status(201).json({ token: issued.token, url: participantUrl(req, room.id, issued.token) } satisfies IssuedToken);
  });

  api.post("/conferences/:id/join", async (req, res) => {
    const room = helpers.roomOf(req);
    const body = parse(joinBody, req.body);
    // The code is compared first: the right code is never refused for rate reasons, whatever
    // others on the same Wi-Fi (or a web page a delegate opened) have sent. Wrong codes use up a
    // budget per address and one per conference; past either, they are answered 429.
    if (!joinCodeMatches(room.published.conference.joinCode ?? "", body.joinCode)) {
      const addressAllowed = await options.joinFailureLimit.take(req.ip ?? "");
      const conferenceAllowed = await options.conferenceJoinFailureLimit.take(room.id);
      if (!addressAllowed || !conferenceAllowed) {
        throw new HttpError("rate_limited", "too many wrong join codes; try again in a minute");
      }
      throw new HttpError("forbidden", "wrong join code");
    }
    if (room.published.conference.status === "ended") throw new HttpError("conflict", "the conference has ended");
    const added = await registry.addParticipant(room, { ...body, role: "delegate" }, "join");
    if (!added.ok) throw new HttpError(added.error.code, added.error.message);
    res.status(201).json(admission(req, room.id, added));
  });

  addRosterRoutes(api, registry, helpers);
  options.extend?.(api, helpers);

  api.use((_req: Request, _res: Response) => {
    throw new HttpError("not_found", "no such API route");
  });

  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) return sendError(res, error.code, error.message);
    const httpError = error as { type?: string; status?: number };
    if (httpError.type === "entity.too.large") return sendError(res, "too_large", `bodies are limited to ${LIMITS.payloadBytes} bytes`);
    if (httpError.type === "entity.parse.failed") return sendError(res, "invalid", "the body is not valid JSON");
    if (httpError.status && httpError.status >= 400 && httpError.status < 500) {
      return sendError(res, "invalid", "the request could not be read");
    }
    console.error("unexpected error in the API:", error);
    res.status(500).json({ error: { code: INTERNAL_ERROR_CODE, message: "unexpected server error" } });
  });

  return api;
}
