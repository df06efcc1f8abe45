import { DEFAULT_TIME_ZONE } from "./minutes.ts";
import type { ConferenceInfo, ConferenceState, Participant } from "./state.ts";

/** The facts added in v1.1, which a conference created or stored before may lack. */
type NewFacts = "parentOrganisation" | "shortName" | "city" | "timeZone";

const NEW_FACT_DEFAULTS: Pick<ConferenceInfo, NewFacts> = {
  parentOrganisation: "",
  shortName: "",
  city: "",
  timeZone: DEFAULT_TIME_ZONE,
};

/** A new conference with nobody in it and an empty agenda. */
export function initialState(
  conference: Omit<ConferenceInfo, "status" | "startedAt" | "endedAt" | NewFacts> & Partial<Pick<ConferenceInfo, NewFacts>>,
): ConferenceState {
  return {
    seq: 0,
    conference: { ...NEW_FACT_DEFAULTS, ...conference, status: "scheduled", startedAt: null, endedAt: null },
    participants: [],
    agenda: [],
    currentItemId: null,
    speakers: { limitSeconds: 180, current: null, queue: [], history: [] },
    polls: [],
  };
}

/**
 * A state as stored by an older version, with what later versions added defaulted: the v1.1
 * conference facts (empty, the default time zone) and participants' `leftAt` (null: there, if
 * they were checked in). Answers the state itself when nothing is missing.
 */
export function upgradeState(state: ConferenceState): ConferenceState {
  const conference = state.conference as Partial<ConferenceInfo> & ConferenceInfo;
  const missingFacts = (Object.keys(NEW_FACT_DEFAULTS) as NewFacts[]).some((key) => conference[key] === undefined);
  const participants = state.participants as (Participant & { leftAt?: Participant["leftAt"] })[];
  const missingLeftAt = participants.some((p) => p.leftAt === undefined);
  if (!missingFacts && !missingLeftAt) return state;
  return {
    ...state,
    conference: missingFacts ? { ...NEW_FACT_DEFAULTS, ...withoutUndefined(conference) } : conference,
    participants: missingLeftAt ? participants.map((p) => (p.leftAt === undefined ? { ...p, leftAt: null } : p)) : participants,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
