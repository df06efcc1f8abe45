import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type { Command, InternalCommand } from "../../shared/commands.ts";
import { decide, decideInternal, evolve, mergeEvents, type Decision } from "../../shared/domain/index.ts";
import type { DomainEvent, WireEvent } from "../../shared/events.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { Actor, ConferenceState, Participant } from "../../shared/state.ts";
import { presentEvent } from "../../shared/view.ts";
import { newId } from "../ids.ts";
import { DurableJsonFile } from "../storage/DurableJsonFile.ts";

/** What one conference's JSON file holds. */
export interface ConferenceFile {
  version: 1;
  state: ConferenceState;
  /** participantId → sha256 of their bearer token. */
  tokenHashes: Record<string, string>;
}

interface PendingChange {
  events: DomainEvent[];
  resolve(seq: number): void;
}

export type EventsListener = (room: ConferenceRoom, events: WireEvent[]) => void;

const RETRY_MS = [50, 200, 1000, 5000];

/**
 * The one owner of a conference's state. Commands are decided and folded in memory one after
 * another; their events wait for the next write of the conference's file (group commit: every
 * change that arrives while a write is under way shares the following one). Only when the write
 * is on disk are the commands acked and the events broadcast, in order.
 */
export class ConferenceRoom {
  readonly dir: string;
  #state: ConferenceState;
  #published: ConferenceState;
  readonly #tokenHashes: Map<string, string>;
  readonly #db: Low<ConferenceFile>;
  readonly #file: DurableJsonFile<ConferenceFile>;
  readonly #onEvents: EventsListener;
  #pending: PendingChange[] = [];
  #flushing: Promise<void> | null = null;
  /** Storage writes so far, for the benchmarks. */
  writes = 0;

  private constructor(dir: string, file: ConferenceFile, onEvents: EventsListener) {
    this.dir = dir;
    this.#state = file.state;
    this.#published = file.state;
    this.#tokenHashes = new Map(Object.entries(file.tokenHashes));
    this.#file = new DurableJsonFile<ConferenceFile>(join(dir, "conference.json"));
    this.#db = new Low(this.#file, file);
    this.#onEvents = onEvents;
  }

  /** Creates the conference's directory and writes its first file. */
  static async create(dir: string, state: ConferenceState, onEvents: EventsListener): Promise<ConferenceRoom> {
    await mkdir(dir, { recursive: true });
    const room = new ConferenceRoom(dir, { version: 1, state, tokenHashes: {} }, onEvents);
    await room.#db.write();
    return room;
  }

  /** Opens a conference stored in `dir`, or answers null when there is none. */
  static async open(dir: string, onEvents: EventsListener): Promise<ConferenceRoom | null> {
    const file = new DurableJsonFile<ConferenceFile>(join(dir, "conference.json"));
    await file.discardLeftovers();
    const stored = await file.read();
    return stored ? new ConferenceRoom(dir, stored, onEvents) : null;
  }

  get id(): string {
    return this.#state.conference.id;
  }

  /** The state as last stored and broadcast: what snapshots show. */
  get published(): ConferenceState {
    return this.#published;
  }

  participant(participantId: string): Participant | undefined {
    return this.#published.participants.find((p) => p.id === participantId);
  }

  tokenHashes(): ReadonlyMap<string, string> {
    return this.#tokenHashes;
  }

  /** Decides a command from a participant, and acks once its events are stored. */
  execute(command: Command, actor: Actor): Promise<Ack> {
    return this.#commit(decide(this.#state, command, actor, this.#context()));
  }

  /** Adds a participant with the hash of the token the caller has minted for them. */
  async addParticipant(
    input: Omit<Extract<InternalCommand, { type: "participants.add" }>, "type" | "participantId">,
    tokenHash: string,
  ): Promise<Ack> {
    const participantId = newId();
    const decision = decideInternal(this.#state, { type: "participants.add", participantId, ...input }, this.#context());
    if (decision.ok) this.#tokenHashes.set(participantId, tokenHash);
    return this.#commit(decision);
  }

  /** Notes that a participant has connected: their first connection checks them in. */
  recordArrival(participantId: string): Promise<Ack> {
    return this.#commit(decideInternal(this.#state, { type: "participants.arrived", participantId }, this.#context()));
  }

  /** Resolves once everything decided so far is on disk. */
  async settled(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  #context() {
    return { now: Date.now(), newId };
  }

  #commit(decision: Decision): Promise<Ack> {
    if (!decision.ok) return Promise.resolve({ ok: false, error: decision.error });
    const result = decision.result ?? {};
    if (decision.events.length === 0) return Promise.resolve({ ...result, ok: true, seq: this.#state.seq });
    for (const event of decision.events) this.#state = evolve(this.#state, event);
    return new Promise((resolve) => {
      this.#pending.push({ events: decision.events, resolve: (seq) => resolve({ ...result, ok: true, seq }) });
      this.#flushing ??= this.#flushLoop();
    });
  }

  async #flushLoop(): Promise<void> {
    // Let the commands that arrived in the same turn of the event loop join this write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      const wireEvents = this.#number(batch);
      const snapshot = this.#state;
      this.#db.data = { version: 1, state: snapshot, tokenHashes: Object.fromEntries(this.#tokenHashes) };
      await this.#writeWithRetry();
      this.writes++;
      this.#published = snapshot;
      for (const { change, seq } of wireEvents.acks) change.resolve(seq);
      this.#onEvents(this, wireEvents.events);
    }
    this.#flushing = null;
  }

  /** Numbers the batch's events, merging votes of one poll, and notes the seq each change is acked with. */
  #number(batch: PendingChange[]) {
    const merged: DomainEvent[] = [];
    const acks: { change: PendingChange; seq: number }[] = [];
    for (const change of batch) {
      for (const event of change.events) {
        // Votes of different polls commute: a vote may join the event of its poll anywhere in the
        // run of vote events at the end, so a burst across several polls stays a few events.
        let combined: DomainEvent | null = null;
        let at = merged.length - 1;
        for (; at >= 0 && merged[at]!.type === "poll.votes_cast"; at--) {
          combined = mergeEvents(merged[at]!, event);
          if (combined) break;
        }
        if (combined) merged[at] = combined;
        else merged.push(event);
      }
      acks.push({ change, seq: this.#state.seq + merged.length });
    }
    const serverTime = Date.now();
    const events = merged.map((event, i) => ({ ...presentEvent(event), seq: this.#state.seq + i + 1, serverTime }) as WireEvent);
    this.#state = { ...this.#state, seq: this.#state.seq + merged.length };
    return { events, acks };
  }

  async #writeWithRetry(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#db.write();
        return;
      } catch (error) {
        // Acks wait: nothing is acked that is not on disk. The state stays in memory meanwhile.
        console.error(`conference ${this.id}: write failed (attempt ${attempt + 1}):`, (error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
  }
}
