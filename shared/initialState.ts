import { INITIAL_MINUTES } from "./domain/minutes.ts";
import { organisationKey } from "./domain/organisations.ts";
import { DEFAULT_TIME_ZONE } from "./minutes.ts";
import type { ConferenceInfo, ConferenceState, Organisation, Participant, Poll } from "./state.ts";

/** The facts added in v1.1, which a conference created or stored before may lack. */
type NewFacts = "parentOrganisation" | "shortName" | "city" | "timeZone" | "openRegistration" | "meetingUrl" | "anonymousQuestions" | "moderatedQuestions";

const NEW_FACT_DEFAULTS: Pick<ConferenceInfo, NewFacts> = {
  parentOrganisation: "",
  shortName: "",
  city: "",
  timeZone: DEFAULT_TIME_ZONE,
  openRegistration: false,
  meetingUrl: "",
  anonymousQuestions: false,
  moderatedQuestions: true,
};

/** What a participant stored before v1.1 lacks: the roster's fields (set from its names by `upgradeState`) and `leftAt`. */
const PARTICIPANT_DEFAULTS: Pick<Participant, "leftAt" | "organisationId" | "representative" | "guest" | "proxyId"> = {
  leftAt: null,
  organisationId: null,
  representative: false,
  guest: false,
  proxyId: null,
};

/** What a poll stored before v1.1 lacks: it counted every registered voter, on no cluster, with no proxies or hall counts. */
const POLL_DEFAULTS: Pick<Poll, "base" | "cluster" | "proxies" | "hallCounts"> = {
  base: "registered",
  cluster: null,
  proxies: {},
  hallCounts: null,
};

/** A new conference with nobody in it and an empty agenda. */
export function initialState(
  conference: Omit<ConferenceInfo, "status" | "startedAt" | "endedAt" | NewFacts> & Partial<Pick<ConferenceInfo, NewFacts>>,
): ConferenceState {
  return {
    seq: 0,
    conference: { ...NEW_FACT_DEFAULTS, ...conference, status: "scheduled", startedAt: null, endedAt: null },
    organisations: [],
    participants: [],
    agenda: [],
    currentItemId: null,
    speakers: { limitSeconds: 180, current: null, queue: [], history: [] },
    polls: [],
    minutes: INITIAL_MINUTES,
    questions: [],
  };
}

/**
 * A state as stored by an older version, with what later versions added defaulted: the v1.1
 * conference facts (empty, the default time zone, registration closed), participants' `leftAt`
 * (null: there, if they were checked in), and the roster of organisations, built from the names
 * participants typed (one per `organisationKey`, with ids `org-1`, `org-2`, … in order of first
 * appearance, `source: "participant"`) with everyone on theirs and no representatives. Answers the state itself when
 * nothing is missing.
 */
export function upgradeState(state: ConferenceState): ConferenceState {
  const conference = state.conference as Partial<ConferenceInfo> & ConferenceInfo;
  const missingFacts = (Object.keys(NEW_FACT_DEFAULTS) as NewFacts[]).some((key) => conference[key] === undefined);
  const participants = state.participants as Partial<Participant>[] as Participant[];
  const missingParticipantFields = participants.some((p) => (Object.keys(PARTICIPANT_DEFAULTS) as (keyof typeof PARTICIPANT_DEFAULTS)[]).some((k) => p[k] === undefined));
  const missingRoster = (state as Partial<ConferenceState>).organisations === undefined;
  const polls = state.polls as Partial<Poll>[] as Poll[];
  const missingPollFields = polls.some((p) => (Object.keys(POLL_DEFAULTS) as (keyof typeof POLL_DEFAULTS)[]).some((k) => p[k] === undefined));
  const missingMinutes = (state as Partial<ConferenceState>).minutes === undefined;
  const missingQuestions = (state as Partial<ConferenceState>).questions === undefined;
  if (!missingFacts && !missingParticipantFields && !missingRoster && !missingPollFields && !missingMinutes && !missingQuestions) return state;
  let organisations = state.organisations;
  let upgraded: Participant[] = participants.map((p) => ({ ...PARTICIPANT_DEFAULTS, ...withoutUndefined(p) }));
  if (missingRoster) {
    const byKey = new Map<string, Organisation>();
    for (const p of participants) {
      const key = organisationKey(p.organisation);
      if (key !== "" && !byKey.has(key)) byKey.set(key, { id: `org-${byKey.size + 1}`, name: p.organisation.trim(), shortName: "", cluster: null, source: "participant" });
    }
    organisations = [...byKey.values()];
    upgraded = upgraded.map((p) => {
      const organisation = byKey.get(organisationKey(p.organisation));
      return { ...p, organisationId: organisation?.id ?? null, organisation: organisation?.name ?? p.organisation };
    });
  }
  return {
    ...state,
    conference: missingFacts ? { ...NEW_FACT_DEFAULTS, ...withoutUndefined(conference) } : conference,
    organisations,
    participants: upgraded,
    polls: missingPollFields ? polls.map((p) => ({ ...POLL_DEFAULTS, ...withoutUndefined(p) })) : polls,
    minutes: state.minutes ?? INITIAL_MINUTES,
    questions: state.questions ?? [],
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
