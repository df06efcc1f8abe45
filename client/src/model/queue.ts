import type { SpeakerRequest, SpeechKind, SpeakersState } from "../../../shared/state.ts";

/** One of my open requests and where it stands in the queue (1 = next to speak). */
export interface MyRequest {
  request: SpeakerRequest;
  position: number;
}

/** My open requests, in queue order, with their 1-based positions. */
export function myRequests(queue: readonly SpeakerRequest[], participantId: string): MyRequest[] {
  const mine: MyRequest[] = [];
  queue.forEach((request, index) => {
    if (request.participantId === participantId) mine.push({ request, position: index + 1 });
  });
  return mine;
}

/** Whether this participant has the floor now. */
export function hasFloor(speakers: SpeakersState, participantId: string): boolean {
  return speakers.current?.participantId === participantId;
}

/** The kinds this participant may still ask for (one open request per kind). */
export function availableKinds(queue: readonly SpeakerRequest[], participantId: string, kinds: readonly SpeechKind[]): SpeechKind[] {
  const open = new Set(queue.filter((r) => r.participantId === participantId).map((r) => r.kind));
  return kinds.filter((k) => !open.has(k));
}

/** The next speakers after the current one, at most `count`. */
export function upcoming(queue: readonly SpeakerRequest[], count: number): SpeakerRequest[] {
  return queue.slice(0, count);
}
