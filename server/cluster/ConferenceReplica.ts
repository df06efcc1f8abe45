import type { Command } from "../../shared/commands.ts";
import { applyWireEvent, findParticipant } from "../../shared/domain/index.ts";
import type { WireEvent } from "../../shared/events.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { Actor, ConferenceState, Participant } from "../../shared/state.ts";

/** What a replica asks of its conference's owner. */
export interface OwnerLink {
  execute(conferenceId: string, command: Command, actor: Actor, commandId: string | undefined): Promise<Ack>;
  recordArrival(conferenceId: string, participantId: string): Promise<Ack>;
}

/**
 * A conference owned by another server, as this one sees it (issue 18): the state as broadcast,
 * folded from the owner's events with the same pure code clients use, and the token hashes. It
 * reads like a `ConferenceRoom` (snapshots, authentication, the minutes' rules) and hands every
 * change to the owner.
 */
export class ConferenceReplica {
  readonly dir: string;
  readonly lost = false;
  #published: ConferenceState;
  readonly #tokenHashes: Map<string, string>;
  readonly #owner: OwnerLink;

  constructor(dir: string, state: ConferenceState, tokenHashes: Record<string, string>, owner: OwnerLink) {
    this.dir = dir;
    this.#published = state;
    this.#tokenHashes = new Map(Object.entries(tokenHashes));
    this.#owner = owner;
  }

  get id(): string {
    return this.#published.conference.id;
  }

  get published(): ConferenceState {
    return this.#published;
  }

  latest(): ConferenceState {
    return this.#published;
  }

  participant(participantId: string): Participant | undefined {
    return findParticipant(this.#published, participantId);
  }

  tokenHashes(): ReadonlyMap<string, string> {
    return this.#tokenHashes;
  }

  execute(command: Command, actor: Actor, commandId?: string): Promise<Ack> {
    return this.#owner.execute(this.id, command, actor, commandId);
  }

  recordArrival(participantId: string): Promise<Ack> {
    return this.#owner.recordArrival(this.id, participantId);
  }

  /**
   * Folds a batch the owner broadcast: answers false, folding nothing, when it does not follow on
   * (a batch was lost with Redis): the replica must then be replaced by a fresh snapshot.
   */
  apply(events: readonly WireEvent[], tokenHashes: Record<string, string | null> | undefined): boolean {
    const first = events.find((e) => e.seq > this.#published.seq);
    if (first && first.seq !== this.#published.seq + 1) return false;
    let state = this.#published;
    for (const event of events) if (event.seq > state.seq) state = applyWireEvent(state, event);
    this.#published = state;
    for (const [participantId, hash] of Object.entries(tokenHashes ?? {})) {
      if (hash === null) this.#tokenHashes.delete(participantId);
      else this.#tokenHashes.set(participantId, hash);
    }
    return true;
  }
}

/** A conference as the realtime and minutes sides read it, owned here or replicated. */
export type ConferenceView = ConferenceReplica | import("../conferences/ConferenceRoom.ts").ConferenceRoom;
