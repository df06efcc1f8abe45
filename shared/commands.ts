import { z } from "zod";
import { LIMITS } from "./limits.ts";
import { ATTENDANCES, ROLES } from "./roles.ts";
import { SPEECH_KINDS, type ConferenceInfo } from "./state.ts";
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

// ---------------------------------------------------------------------------------------------
// REST bodies

export const createConferenceBody = z.strictObject({
  title: text(LIMITS.title, 1),
  organisation: text(LIMITS.organisation).optional(),
  venue: text(LIMITS.venue).optional(),
  // 8.64e15 ms is the last instant a Date can hold; beyond it the time would be NaN.
  startsAt: z.union([z.number().int().nonnegative().max(8.64e15), z.iso.datetime({ offset: true })]).optional(),
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

export const addParticipantBody = z.strictObject({
  name: text(LIMITS.name, 1),
  organisation: text(LIMITS.organisation).optional(),
  role: z.enum(ROLES),
  attendance: attendance.optional(),
});
export type AddParticipantBody = z.infer<typeof addParticipantBody>;
/** What a chair sends to `POST /api/conferences/:id/participants`. */
export type AddParticipantRequest = z.input<typeof addParticipantBody>;

/**
 * What adding a participant (`POST …/participants`) and joining (`POST …/join`) answer (201): the
 * new participant's id, their token and their link `<base>/c/<conferenceId>#t=<token>`.
 */
export interface Admission {
  id: string;
  token: string;
  url: string;
}

export const joinBody = z.strictObject({
  joinCode: z.string().min(1).max(LIMITS.joinCode),
  name: text(LIMITS.name, 1),
  organisation: text(LIMITS.organisation).optional(),
  attendance,
});
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

  command("polls.create", {
    question: text(LIMITS.question, 1),
    kind: z.enum(["motion", "election"]).optional(),
    options: z.array(text(LIMITS.optionLabel, 1)).max(LIMITS.options).optional(),
    itemId: id.nullable().optional(),
    secret: z.boolean().optional(),
    weighting: z.enum(["person", "organisation"]).optional(),
    majority: z.enum(["simple", "absolute", "two_thirds"]).optional(),
  }),
  command("polls.delete", { pollId: id }),
  command("polls.open", { pollId: id }),
  command("polls.close", { pollId: id }),
  command("polls.vote", { pollId: id, optionId: id }),
]);

/** A validated command from a socket. */
export type Command = z.infer<typeof commandSchema>;
/** The type of a socket command, `domain.verb`. */
export type CommandType = Command["type"];
/** The command of type `T`. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** Commands the server runs on its own behalf (REST calls, connections), never accepted from a socket. */
export type InternalCommand =
  | { type: "participants.add"; participantId: string; name: string; organisation: string; role: (typeof ROLES)[number]; attendance: (typeof ATTENDANCES)[number] }
  /** A participant's first connection: they are there. */
  | { type: "participants.arrived"; participantId: string };

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
