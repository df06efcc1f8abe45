import { initialState } from "../../shared/initialState.ts";
import type { AgendaItem, ConferenceState, Participant, Poll } from "../../shared/state.ts";

export const T0 = 1_700_000_000_000;

export function person(id: string, name: string, extra: Partial<Participant> = {}): Participant {
  return { id, name, organisation: "", organisationId: null, representative: false, guest: false, proxyId: null, role: "delegate", attendance: "hall", online: true, joinedAt: T0, checkedInAt: T0, leftAt: null, ...extra };
}

export function item(id: string, extra: Partial<AgendaItem> = {}): AgendaItem {
  return { id, title: `Item ${id}`, presenter: "", plannedMinutes: 10, status: "pending", startedAt: null, endedAt: null, spentMs: 0, ...extra };
}

export function motion(extra: Partial<Poll> = {}): Poll {
  return {
    id: "poll1",
    itemId: null,
    kind: "motion",
    question: "Adopt?",
    options: [
      { id: "yes", label: "Tán thành" },
      { id: "no", label: "Không tán thành" },
      { id: "abstain", label: "Không biểu quyết" },
    ],
    status: "draft",
    secret: false,
    weighting: "person",
    majority: "simple",
    base: "present",
    cluster: null,
    proxies: {},
    hallCounts: null,
    createdAt: T0,
    openedAt: null,
    closedAt: null,
    eligible: null,
    eligibleKeys: [],
    voters: [],
    votesCast: 0,
    tally: null,
    outcome: null,
    winnerOptionId: null,
    ballots: null,
    ...extra,
  };
}

export function conference(extra: Partial<ConferenceState> = {}): ConferenceState {
  const base = initialState({ id: "conf1", title: "Hội nghị giao ban", organisation: "VUSTA", venue: "Hà Nội", startsAt: null, language: "vi", createdAt: T0 });
  return { ...base, conference: { ...base.conference, status: "live" }, ...extra };
}
