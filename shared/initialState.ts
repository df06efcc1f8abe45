import type { ConferenceInfo, ConferenceState } from "./state.ts";

/** A new conference with nobody in it and an empty agenda. */
export function initialState(conference: Omit<ConferenceInfo, "status" | "startedAt" | "endedAt">): ConferenceState {
  return {
    seq: 0,
    conference: { ...conference, status: "scheduled", startedAt: null, endedAt: null },
    participants: [],
    agenda: [],
    currentItemId: null,
    speakers: { limitSeconds: 180, current: null, queue: [], history: [] },
    polls: [],
  };
}
