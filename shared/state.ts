import type { CastBallot } from "./events.ts";
import type { Attendance, Role } from "./roles.ts";

/** Times are ms since the epoch throughout. */
export type Millis = number;

export type Language = "vi" | "en";
export type ConferenceStatus = "scheduled" | "live" | "ended";

export interface ConferenceInfo {
  id: string;
  title: string;
  organisation: string;
  /** v1.1: the body above the issuing one, for the minutes' heading; may be empty. */
  parentOrganisation: string;
  /** v1.1: the issuing body's abbreviation, as in "Số: …/BB-LHH"; may be empty. */
  shortName: string;
  venue: string;
  /** v1.1: the place in "Hà Nội, ngày … tháng … năm …"; may be empty. */
  city: string;
  startsAt: Millis | null;
  /** v1.1: IANA time zone of every time shown or exported (default `DEFAULT_TIME_ZONE`). */
  timeZone: string;
  language: Language;
  status: ConferenceStatus;
  createdAt: Millis;
  startedAt: Millis | null;
  endedAt: Millis | null;
  /**
   * Extension (v1.1 "Organisations and the roster"): whether a join naming an organisation that is
   * not on the roster adds it (true), or makes the joiner a guest (false, the default). Until a
   * chair has put an organisation on the roster (`source: "roster"`), registration is open whatever
   * this says (`registrationIsOpen`): a conference run v1's way takes the names delegates type.
   */
  openRegistration: boolean;
  /** Extension: the video meeting online delegates join (Zoom, Jitsi, Teams…); "" for none. */
  meetingUrl: string;
  /** Extension: whether delegates may send questions without their name (the chair allows it). */
  anonymousQuestions: boolean;
  /** Extension: whether questions wait for a chair or secretary to approve them before others see them (default true). */
  moderatedQuestions: boolean;
  /** Present only for roles that may see it (chair, secretary, projector). */
  joinCode?: string;
}

export type OrganisationSource = "roster" | "participant" | "join";

/** v1.1: an organisation on the conference's roster; its members point to it by `organisationId`. */
export interface Organisation {
  id: string;
  /** Unique within the conference as `organisationKey` compares names. */
  name: string;
  /** Its abbreviation ("LHH Hà Nội"); may be empty. */
  shortName: string;
  /** The activity cluster (cụm) it belongs to, by name; null: none. */
  cluster: string | null;
  /**
   * Extension: how it came onto the roster: `roster`, put there by a chair (`POST …/organisations`,
   * an import); `participant`, named when a chair added someone; `join`, typed by a delegate joining
   * while registration was open (the secretariat may want to check these). See `registrationIsOpen`.
   */
  source: OrganisationSource;
}

export interface Participant {
  id: string;
  name: string;
  /**
   * The organisation's name as shown: the roster's name of `organisationId` (kept in step when it is
   * renamed), or, for a guest, what they typed; may be empty.
   */
  organisation: string;
  /** v1.1: the organisation on the roster they belong to; null: a guest or someone on their own. */
  organisationId: string | null;
  /** v1.1: the one member who casts their organisation's vote (trưởng đoàn); at most one per organisation. */
  representative: boolean;
  /** v1.1: who casts this participant's vote besides their own, from the next poll that opens; null: nobody. */
  proxyId: string | null;
  /**
   * Extension (v1.1 "a guest, not voting"): joined naming an organisation that is not on the roster
   * while registration was closed. Keeps their role (a join is a delegate) but does not vote until a
   * chair puts them on an organisation (or clears it). See `votes` in domain/participants.ts.
   */
  guest: boolean;
  role: Role;
  attendance: Attendance;
  /** Volatile: whether a live connection holds this participant's token. Never stored. */
  online: boolean;
  joinedAt: Millis;
  /**
   * When the participant was first known to be there: their first connection, or a chair or
   * secretary checking them in (someone in the hall without a phone). Null: absent so far.
   */
  checkedInAt: Millis | null;
  /**
   * v1.1: when a chair or secretary marked them gone (`participants.leave`); null while there.
   * Present means `checkedInAt` set and `leftAt` null; checking in again clears it.
   */
  leftAt: Millis | null;
  /**
   * Extension (v1.1 `DELETE …/participants/:id`): when a chair removed them. A removed
   * participant stays in the state so that what they did keeps their name (speeches, named
   * ballots, the minutes), but counts nowhere and holds no token. Null or absent: a member.
   */
  removedAt?: Millis | null;
}

/** The conference's facts a chair may correct at any time (`PATCH /api/conferences/:id`). */
export const CONFERENCE_FACTS = [
  "title",
  "organisation",
  "parentOrganisation",
  "shortName",
  "venue",
  "city",
  "startsAt",
  "timeZone",
  "language",
  "openRegistration",
  "meetingUrl",
  "anonymousQuestions",
  "moderatedQuestions",
] as const satisfies readonly (keyof ConferenceInfo)[];
export type ConferenceFacts = Pick<ConferenceInfo, (typeof CONFERENCE_FACTS)[number]>;

export type AgendaItemStatus = "pending" | "active" | "done";

export interface AgendaItem {
  id: string;
  title: string;
  presenter: string;
  plannedMinutes: number;
  status: AgendaItemStatus;
  /** When the item was last made active. */
  startedAt: Millis | null;
  /** When the item last became done. */
  endedAt: Millis | null;
  /** Time spent in earlier activations; the running one adds (now - startedAt). */
  spentMs: number;
}

export const SPEECH_KINDS = ["speech", "question", "point_of_order"] as const;
export type SpeechKind = (typeof SPEECH_KINDS)[number];

export interface SpeakerRequest {
  requestId: string;
  participantId: string;
  kind: SpeechKind;
  note: string;
  requestedAt: Millis;
  /** Who put the request in: the participant, or a chair/secretary for a hand raised in the hall. */
  requestedBy: string;
}

export interface CurrentSpeech {
  requestId: string;
  participantId: string;
  kind: SpeechKind;
  startedAt: Millis;
  limitSeconds: number;
  itemId: string | null;
  /** Extension: when the speaker acknowledged the floor (an online delegate's "I'm speaking"); absent or null: not yet. */
  acknowledgedAt?: Millis | null;
}

export interface SpeechRecord {
  requestId: string;
  participantId: string;
  itemId: string | null;
  kind: SpeechKind;
  startedAt: Millis;
  endedAt: Millis;
}

export interface SpeakersState {
  limitSeconds: number;
  current: CurrentSpeech | null;
  queue: SpeakerRequest[];
  history: SpeechRecord[];
}

export type PollKind = "motion" | "election";
export type PollStatus = "draft" | "open" | "closed";
export type Weighting = "person" | "organisation";
export type Majority = "simple" | "absolute" | "two_thirds";
/** v1.1: who a poll's base (`eligible`) is fixed from when it opens. */
export const VOTE_BASES = ["present", "registered"] as const;
export type VoteBase = (typeof VOTE_BASES)[number];
export type MotionOutcome = "adopted" | "rejected";
export type ElectionOutcome = "elected" | "none";

export interface PollOption {
  id: string;
  label: string;
}

/** A named vote: who cast it (for an organisation, the member who did) and how. */
export interface NamedBallot {
  voterKey: string;
  participantId: string;
  optionId: string;
  /**
   * v1.1: who actually cast it when it was not `participantId`: their proxy, or the chair recording
   * the vote of someone in the hall without a device (`polls.voteFor`). Absent: themselves.
   */
  castBy?: string;
}

export interface Poll {
  id: string;
  itemId: string | null;
  kind: PollKind;
  question: string;
  options: PollOption[];
  status: PollStatus;
  secret: boolean;
  weighting: Weighting;
  majority: Majority;
  createdAt: Millis;
  openedAt: Millis | null;
  closedAt: Millis | null;
  /** v1.1: whom `eligible` counts when the poll opens: the voters present, or every registered one. */
  base: VoteBase;
  /** v1.1: the cluster whose organisations and members alone are entitled; null: everyone. */
  cluster: string | null;
  /**
   * v1.1: the proxies in force for this poll, fixed when it opens: whose vote (participant id) who
   * (participant id) may cast besides their own.
   */
  proxies: Record<string, string>;
  /** v1.1: show-of-hands counts entered by the chair (`polls.recordHall`), part of `tally`; null: none. */
  hallCounts: Record<string, number> | null;
  /** Number of voters (or organisations) entitled to vote; fixed when the poll opens. */
  eligible: number | null;
  /** The voter keys entitled to vote (participant ids, or organisation keys). */
  eligibleKeys: string[];
  /** Voter keys that have voted, in no meaningful order. Who voted is public; how is not. */
  voters: string[];
  votesCast: number;
  tally: Record<string, number> | null;
  outcome: MotionOutcome | ElectionOutcome | null;
  winnerOptionId: string | null;
  /** Extension (issue 16): every candidate elected, in rank order (`seats` of them at most); [] otherwise. */
  winnerOptionIds?: string[];
  /** Extension (issue 16): how many candidates an election elects (default 1). */
  seats?: number;
  /** Named polls only, and visible only once closed. */
  ballots: NamedBallot[] | null;
  /** Server only while open: running counts per option. Never linked to a voter. */
  counts?: Record<string, number>;
  /**
   * Server memory only, secret polls while open: votes decided but not yet stored, oldest first
   * (see `SECRET_BATCH` in `domain/polls.ts`). Never written to a file, never sent to a client.
   */
  pool?: CastBallot[];
}

/** Extension (issue 16): where a question from the floor stands. */
export type QuestionStatus = "pending" | "approved" | "answered" | "hidden";

/** Extension (issue 16): a written question from the floor, upvoted by others, moderated by chairs and secretaries. */
export interface Question {
  id: string;
  /** The item it was asked on (the active one then); null outside any item. */
  itemId: string | null;
  text: string;
  /** Who sent it; null as every client sees an anonymous question (only the server keeps the author, to bound how many they send). */
  authorId: string | null;
  anonymous: boolean;
  status: QuestionStatus;
  createdAt: Millis;
  /** When it was marked answered; null otherwise. */
  answeredAt: Millis | null;
  /** Who upvoted it, once each (never its author). */
  upvoters: string[];
  /** The question this duplicate was merged into (it is hidden then); null otherwise. */
  mergedInto: string | null;
}

/** v1.1: where the minutes stand (the document itself is the Yjs one). */
export interface MinutesState {
  status: "draft" | "approved";
  /** While a draft: whether the chair lets every role read it (else chairs and secretaries only). */
  shared: boolean;
  /** When the meeting adopted them, and the chair who recorded it; null while a draft. */
  approvedAt: Millis | null;
  approvedBy: string | null;
  /** Extension: the secretary who signs the biên bản (chosen by the chair); null: the first secretary. */
  signerId: string | null;
}

/** The whole state of one conference as the domain rules see it. */
export interface ConferenceState {
  seq: number;
  conference: ConferenceInfo;
  /** v1.1: the roster's organisations, in the order they were added. */
  organisations: Organisation[];
  participants: Participant[];
  agenda: AgendaItem[];
  currentItemId: string | null;
  speakers: SpeakersState;
  polls: Poll[];
  /** v1.1. */
  minutes: MinutesState;
  /** Extension (issue 16): questions from the floor, in the order they were sent (`orderedQuestions` sorts them for screens). */
  questions: Question[];
}

/** Who issues a command. */
export interface Actor {
  participantId: string;
  role: Role;
}
