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
  venue: string;
  startsAt: Millis | null;
  language: Language;
  status: ConferenceStatus;
  createdAt: Millis;
  startedAt: Millis | null;
  endedAt: Millis | null;
  /** Present only for roles that may see it (chair, secretary, projector). */
  joinCode?: string;
}

export interface Participant {
  id: string;
  name: string;
  organisation: string;
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
}

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

/** The whole state of one conference as the domain rules see it. */
export interface ConferenceState {
  seq: number;
  conference: ConferenceInfo;
  participants: Participant[];
  agenda: AgendaItem[];
  currentItemId: string | null;
  speakers: SpeakersState;
  polls: Poll[];
}

/** Who issues a command. */
export interface Actor {
  participantId: string;
  role: Role;
}
