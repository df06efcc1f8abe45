import { z } from "zod";
import { LIMITS } from "./limits.ts";
import { ATTENDANCES, ROLES } from "./roles.ts";
import { SPEECH_KINDS, VOTE_BASES, type ConferenceFacts, type ConferenceInfo, type OrganisationSource, type Participant } from "./state.ts";
import type { OrganisationChanges, ParticipantChanges } from "./events.ts";
import type { ImportRow } from "./roster.ts";
import { singleLineTextProblem } from "./text.ts";

/**
 * A text field: trimmed, Unicode-normalised (NFC), bounded, and held to the single-line text rule of
 * shared/text.ts (no control, bidi-control or noncharacters, no unpaired surrogates, not invisible only).
 */
export function text(max: number, min = 0) {
  return z
    .string()
    .trim()
    .normalize("NFC")
    .min(min, min > 0 ? "must not be empty" : undefined)
    .max(max)
    .superRefine((s, ctx) => {
      const problem = singleLineTextProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

const id = z.string().min(1).max(LIMITS.id);
const attendance = z.enum(ATTENDANCES);

export const language = z.enum(["vi", "en"]);

/** Whether Intl knows this IANA time zone name (`DateTimeFormat` throws on an unknown one). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * An IANA time zone name ("Asia/Ho_Chi_Minh", "UTC"), stored as given: ICU would canonicalise
 * Asia/Ho_Chi_Minh to its old alias Asia/Saigon. Offsets ("+07:00") are not names.
 */
const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.timeZone)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "an IANA time zone name, such as Asia/Ho_Chi_Minh")
  .refine(isTimeZone, "unknown time zone");

/** A video meeting's address: an absolute http(s) URL, or "" for none. */
const meetingUrl = z
  .string()
  .trim()
  .max(LIMITS.url)
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "an http or https address, such as https://meet.jit.si/giao-ban");

// 8.64e15 ms is the last instant a Date can hold; beyond it the time would be NaN.
const startsAt = z.union([z.number().int().nonnegative().max(8.64e15), z.iso.datetime({ offset: true })]);

/** A `startsAt` as sent (ms or ISO 8601 with offset) in ms. */
export function startsAtMillis(value: number | string): number {
  return new Date(value).getTime();
}

// ---------------------------------------------------------------------------------------------
// REST bodies

export const createConferenceBody = z.strictObject({
  title: text(LIMITS.title, 1),
  organisation: text(LIMITS.organisation).optional(),
  parentOrganisation: text(LIMITS.organisation).optional(),
  shortName: text(LIMITS.shortName).optional(),
  venue: text(LIMITS.venue).optional(),
  city: text(LIMITS.city).optional(),
  startsAt: startsAt.optional(),
  timeZone: timeZone.optional(),
  language: language.optional(),
  /** Extension: the name of the first chair (default "Chủ trì" / "Chair"). */
  chairName: text(LIMITS.name, 1).optional(),
});
export type CreateConferenceBody = z.infer<typeof createConferenceBody>;
/** What a client sends to `POST /api/conferences` (before the server trims and normalises it). */
export type CreateConferenceRequest = z.input<typeof createConferenceBody>;

/** What `POST /api/conferences` answers (201): the conference, its first chair's token and link. */
export interface CreatedConference {
  id: string;
  chairToken: string;
  joinCode: string;
  /** The chair's link, `<base>/c/<id>#t=<chairToken>`. */
  url: string;
}

/** What `GET /api/conferences/:id` answers: the conference as the join page shows it, without its join code. */
export type PublicConference = Omit<ConferenceInfo, "joinCode">;

/**
 * What a chair sends to `PATCH /api/conferences/:id` (v1.1): any of the conference's facts, at
 * least one. `startsAt: null` clears the planned start. Answered 200 with a `PublicConference`.
 */
export const updateConferenceBody = z
  .strictObject({
    title: text(LIMITS.title, 1).optional(),
    organisation: text(LIMITS.organisation).optional(),
    parentOrganisation: text(LIMITS.organisation).optional(),
    shortName: text(LIMITS.shortName).optional(),
    venue: text(LIMITS.venue).optional(),
    city: text(LIMITS.city).optional(),
    startsAt: startsAt.nullable().optional(),
    timeZone: timeZone.optional(),
    language: language.optional(),
    /** Extension: whether joins may add organisations that are not on the roster (`ConferenceInfo.openRegistration`). */
    openRegistration: z.boolean().optional(),
    /** Extension: the video meeting's address (http or https), "" for none. */
    meetingUrl: meetingUrl.optional(),
    anonymousQuestions: z.boolean().optional(),
    moderatedQuestions: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), "at least one field");
export type UpdateConferenceBody = z.infer<typeof updateConferenceBody>;
export type UpdateConferenceRequest = z.input<typeof updateConferenceBody>;

/** An organisation's cluster (cụm) as sent: a name, or null (or "") for none. */
const cluster = text(LIMITS.cluster).nullable();

/** What a chair sends to `POST /api/conferences/:id/organisations` (v1.1); answered 201 `{id}`. */
export const addOrganisationBody = z.strictObject({
  name: text(LIMITS.organisation, 1),
  shortName: text(LIMITS.shortName).optional(),
  cluster: cluster.optional(),
});
export type AddOrganisationBody = z.infer<typeof addOrganisationBody>;
export type AddOrganisationRequest = z.input<typeof addOrganisationBody>;

/** What a chair sends to `PATCH …/organisations/:organisationId` (v1.1): any of the fields, at least one; answered 200 with the organisation. */
export const updateOrganisationBody = z
  .strictObject({
    name: text(LIMITS.organisation, 1).optional(),
    shortName: text(LIMITS.shortName).optional(),
    cluster: cluster.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), "at least one field");
export type UpdateOrganisationBody = z.infer<typeof updateOrganisationBody>;
export type UpdateOrganisationRequest = z.input<typeof updateOrganisationBody>;

const eitherOrganisation = (body: { organisation?: string | undefined; organisationId?: string | undefined }) =>
  body.organisation === undefined || body.organisationId === undefined;
const EITHER_ORGANISATION = { message: "send organisation or organisationId, not both", path: ["organisationId"] };

/**
 * What a chair sends to `POST /api/conferences/:id/participants`. `organisation` (a name) is matched
 * to the roster and added to it when new; `organisationId` names a roster entry. `representative`
 * (extension here, v1.1 on PATCH): they cast their organisation's vote.
 */
export const addParticipantBody = z
  .strictObject({
    name: text(LIMITS.name, 1),
    organisation: text(LIMITS.organisation).optional(),
    organisationId: id.optional(),
    role: z.enum(ROLES),
    attendance: attendance.optional(),
    representative: z.boolean().optional(),
  })
  .refine(eitherOrganisation, EITHER_ORGANISATION);
export type AddParticipantBody = z.infer<typeof addParticipantBody>;
/** What a chair sends to `POST /api/conferences/:id/participants`. */
export type AddParticipantRequest = z.input<typeof addParticipantBody>;

/**
 * What a chair sends to `PATCH /api/conferences/:id/participants/:participantId` (v1.1): any of
 * `name, organisationId (null: none), role, attendance, representative` (and `guest`), at least one. Putting a guest on an organisation makes them a member. Answered 200
 * with the participant.
 */
export const updateParticipantBody = z
  .strictObject({
    name: text(LIMITS.name, 1).optional(),
    organisationId: id.nullable().optional(),
    role: z.enum(ROLES).optional(),
    attendance: attendance.optional(),
    representative: z.boolean().optional(),
    /** Extension: false makes a guest a voting member (true makes a member a guest). */
    guest: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), "at least one field");
export type UpdateParticipantBody = z.infer<typeof updateParticipantBody>;
export type UpdateParticipantRequest = z.input<typeof updateParticipantBody>;

/** A participant as REST answers it (`PATCH …/participants/:id`): as stored, without the volatile `online`. */
export type RosterParticipant = Omit<Participant, "online">;

/** What `POST …/participants/import?dryRun=1` answers (200), and a refused import beside its error (400): every row, with what is wrong with it. */
export interface ImportPreview {
  rows: ImportRow[];
}

/** What `POST …/participants/import` answers (201): everyone added, with their personal links. */
export interface ImportResult {
  added: number;
  participants: { id: string; name: string; token: string; url: string }[];
}

/** What `POST …/participants/:participantId/token` answers (201): the new token and link; the old token no longer works. */
export interface IssuedToken {
  token: string;
  url: string;
}

/** Extension `POST …/participants/tokens` (chair): new links for these participants. */
export const reissueTokensBody = z.strictObject({ participantIds: z.array(id).min(1).max(LIMITS.participants) });

/** Its answer (201): the new links, and the ids refused (unknown or removed), each old token no longer working. */
export interface IssuedTokens {
  tokens: { id: string; token: string; url: string }[];
  refused: { id: string; code: string; message: string }[];
}

/**
 * What adding a participant (`POST …/participants`) and joining (`POST …/join`) answer (201): the
 * new participant's id, their token and their link `<base>/c/<conferenceId>#t=<token>`.
 */
export interface Admission {
  id: string;
  token: string;
  url: string;
}

/**
 * A join: `organisationId` picks an organisation on the roster; an `organisation` name is matched
 * to it, and one not on it makes a guest (an observer) unless registration is open.
 */
export const joinBody = z
  .strictObject({
    joinCode: z.string().min(1).max(LIMITS.joinCode),
    name: text(LIMITS.name, 1),
    organisation: text(LIMITS.organisation).optional(),
    organisationId: id.optional(),
    attendance,
  })
  .refine(eitherOrganisation, EITHER_ORGANISATION);
export type JoinBody = z.infer<typeof joinBody>;
/** What a delegate sends to `POST /api/conferences/:id/join`; answered with an `Admission`. */
export type JoinRequest = z.input<typeof joinBody>;

// ---------------------------------------------------------------------------------------------
// Socket.IO commands: `socket.emit("command", {type, ...fields}, ack)`

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...shape });

export const commandSchema = z.discriminatedUnion("type", [
  command("conference.start", {}),
  command("conference.end", {}),
  command("conference.reopen", {}),
  command("participants.leave", { participantId: id }),
  command("presence.set", { attendance }),
  command("participants.checkIn", { participantId: id }),

  command("agenda.add", {
    title: text(LIMITS.title, 1),
    presenter: text(LIMITS.name).optional(),
    plannedMinutes: z.number().int().min(0).max(LIMITS.plannedMinutes).optional(),
    afterId: id.optional(),
  }),
  command("agenda.update", {
    itemId: id,
    title: text(LIMITS.title, 1).optional(),
    presenter: text(LIMITS.name).optional(),
    plannedMinutes: z.number().int().min(0).max(LIMITS.plannedMinutes).optional(),
  }),
  command("agenda.remove", { itemId: id }),
  command("agenda.move", { itemId: id, toIndex: z.number().int().min(0).max(LIMITS.agendaItems) }),
  command("agenda.start", { itemId: id }),
  command("agenda.next", {}),

  command("speakers.request", {
    kind: z.enum(SPEECH_KINDS),
    note: text(LIMITS.note).optional(),
    participantId: id.optional(),
  }),
  command("speakers.withdraw", { requestId: id }),
  command("speakers.remove", { requestId: id }),
  command("speakers.clear", {}),
  command("speakers.grant", { requestId: id.optional() }),
  command("speakers.finish", {}),
  command("speakers.setLimit", { seconds: z.number().int().min(0).max(LIMITS.speakingSeconds) }),
  command("speakers.acknowledge", {}),

  command("polls.create", {
    question: text(LIMITS.question, 1),
    kind: z.enum(["motion", "election"]).optional(),
    options: z.array(text(LIMITS.optionLabel, 1)).max(LIMITS.options).optional(),
    itemId: id.nullable().optional(),
    secret: z.boolean().optional(),
    weighting: z.enum(["person", "organisation"]).optional(),
    majority: z.enum(["simple", "absolute", "two_thirds"]).optional(),
    /** Extension (issue 16): how many candidates an election elects (default 1). */
    seats: z.number().int().min(1).max(LIMITS.options).optional(),
    /** v1.1: who the base is when it opens: the voters present (default) or every registered one. */
    base: z.enum(VOTE_BASES).optional(),
    /** v1.1: only this cluster's organisations and their members are entitled (a cluster electing its head). */
    cluster: text(LIMITS.cluster, 1).optional(),
  }),
  command("polls.delete", { pollId: id }),
  command("polls.open", { pollId: id }),
  command("polls.close", { pollId: id }),
  command("polls.vote", { pollId: id, optionId: id, onBehalfOf: id.optional() }),
  /** v1.1: show-of-hands counts from the hall for voters without a device; a second call replaces the first. */
  command("polls.recordHall", {
    pollId: id,
    counts: z.record(id, z.number().int().min(0).max(LIMITS.participants)).refine((c) => Object.keys(c).length <= LIMITS.options, "too many options"),
  }),
  /** v1.1: in a named poll, the vote of someone in the hall without a device, recorded by the chair. */
  command("polls.voteFor", { pollId: id, participantId: id, optionId: id }),
  /** Extension (issue 16): questions from the floor. */
  command("questions.ask", { text: text(LIMITS.note, 1), anonymous: z.boolean().optional() }),
  command("questions.upvote", { questionId: id }),
  command("questions.unvote", { questionId: id }),
  command("questions.moderate", { questionId: id, status: z.enum(["pending", "approved", "answered", "hidden"]) }),
  command("questions.merge", { questionId: id, intoId: id }),
  command("minutes.share", { shared: z.boolean() }),
  command("minutes.approve", {}),
  command("minutes.reopen", {}),
  /** Extension: the secretary who signs the biên bản; null: the first secretary. */
  command("minutes.setSigner", { participantId: id.nullable() }),
  /** v1.1: `proxyId` casts `participantId`'s vote too, from the next poll that opens; null ends it. */
  command("participants.setProxy", { participantId: id, proxyId: id.nullable() }),
]);

/** A validated command from a socket. */
export type Command = z.infer<typeof commandSchema>;
/** The type of a socket command, `domain.verb`. */
export type CommandType = Command["type"];
/** The command of type `T`. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** Commands the server runs on its own behalf (REST calls, connections), never accepted from a socket. */
export type InternalCommand =
  /** A chair's `PATCH /api/conferences/:id`: the facts to set (only those sent). */
  | { type: "conference.update"; fields: Partial<ConferenceFacts> }
  /**
   * A chair's `POST …/participants` (`via: "chair"`: a new organisation name joins the roster) or a
   * join (`via: "join"`: it does only when registration is open, else the joiner is a guest).
   */
  | {
      type: "participants.add";
      participantId: string;
      name: string;
      role: (typeof ROLES)[number];
      attendance: (typeof ATTENDANCES)[number];
      organisation?: string;
      organisationId?: string;
      representative?: boolean;
      via: "chair" | "join";
    }
  /** v1.1 `POST …/participants/import`: rows already read from the file; checked again by the rule. */
  | { type: "participants.import"; rows: ImportRow[] }
  /** v1.1 `POST …/organisations`. */
  | { type: "organisations.add"; organisationId: string; name: string; shortName?: string; cluster?: string | null; source: OrganisationSource }
  /** v1.1 `PATCH …/organisations/:id`: the fields sent (the rule keeps those that differ). */
  | { type: "organisations.update"; organisationId: string; fields: OrganisationChanges }
  /** A participant's first connection: they are there. */
  | { type: "participants.arrived"; participantId: string }
  /** v1.1 `PATCH …/participants/:id`: the changes sent (the rule keeps those that differ). */
  | { type: "participants.update"; participantId: string; fields: ParticipantChanges }
  /** v1.1 `DELETE …/participants/:id`: marks them removed; their token goes with it. */
  | { type: "participants.remove"; participantId: string }
  /** v1.1 `POST …/participants/:id/token`: only checks; the new hash is stored without an event. */
  | { type: "participants.reissueToken"; participantId: string };

/** Every command type the rules decide: a socket's and the server's own. */
export type AnyCommandType = CommandType | InternalCommand["type"];

/**
 * What a command's ack carries besides `ok` and `seq`, by command type: the id of what it created
 * (or, for `agenda.next`, started).
 * A command not listed here answers nothing more (`NoResult`).
 */
export interface CommandResults {
  "agenda.add": { id: string };
  /** The item now active; null at the end of the agenda. */
  "agenda.next": { id: string | null };
  "polls.create": { id: string };
  "speakers.request": { requestId: string };
  /** Server-internal (REST join and add): the new participant's id. */
  "participants.add": { id: string };
  /** Server-internal (REST import): the new participants' ids, in the order of the rows. */
  "participants.import": { ids: string[] };
  "organisations.add": { id: string };
  "questions.ask": { id: string };
}

/** The result of a command that creates nothing. */
export type NoResult = Record<never, never>;

/** The result a command of type `T` answers. */
export type CommandResult<T extends AnyCommandType> = T extends keyof CommandResults ? CommandResults[T] : NoResult;

/** Any result a rule may answer (the union of `CommandResults`). */
export type AnyCommandResult = CommandResults[keyof CommandResults];

type CommandTypeCheck<T extends AnyCommandType> = T;
/** The command types whose ack carries a result; fails to compile if `CommandResults` names an unknown command. */
export type ResultedCommandType = CommandTypeCheck<keyof CommandResults>;

/** `GET /api/server` (extension): the base of the links this server hands out; null: the page's own origin. */
export interface ServerInfo {
  publicUrl: string | null;
}

/** `POST /api/join-codes` (extension): a join code typed on the `/join` page. */
export const joinCodeLookupBody = z.strictObject({ joinCode: z.string().min(1).max(LIMITS.joinCode) });

/** The answer: the conference that code opens. */
export interface JoinCodeLookup {
  conferenceId: string;
}
