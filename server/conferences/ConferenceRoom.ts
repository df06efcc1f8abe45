import { mkdir } from "node:fs/promises";
import type { Command, InternalCommand } from "../../shared/commands.ts";
import { applyWireEvent, coalesces, evolve, findParticipant, mergeEvents } from "../../shared/domain/index.ts";
import { decide, decideInternal, type Decision } from "../../shared/domain/decide.ts";
import { countedVotes, poolsVotes, poolVotes, releasePool, withoutPools, type VotesCast } from "../../shared/domain/polls.ts";
import type { DomainEvent, WireEvent } from "../../shared/events.ts";
import { upgradeState } from "../../shared/initialState.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Ack, AckOf } from "../../shared/socketEvents.ts";
import type { Actor, ConferenceState, Participant } from "../../shared/state.ts";
import { newId } from "../ids.ts";
import { FencedError, type ConferenceFile, type ConferenceStore, type LogBatch, type StoredConference } from "../storage/ConferenceStore.ts";
import { FileConferenceStore } from "../storage/FileConferenceStore.ts";
import { GroupCommit } from "../storage/GroupCommit.ts";
import { retryForever } from "../storage/retry.ts";
import { newStorageStats, type StorageStats } from "../storage/stats.ts";

export type { ConferenceFile } from "../storage/ConferenceStore.ts";

interface PendingChange {
  events: DomainEvent[];
  resolve(seq: number): void;
  /** Answers the change with a refusal instead (its conference lost to another server). */
  refuse?(error: ErrorBody): void;
  /** The named polls' pooled votes are let out here, when its batch is stored (their events then). */
  release?: true;
  /** A command sent with a `commandId`: its retry key and result, stored with the batch's acks. */
  commandKey?: string;
  result?: Record<string, unknown>;
}

/** Acks kept per conference for commands sent again after a lost connection (the newest). */
export const REMEMBERED_ACKS = 10_000;

/**
 * Told of every batch of events once it is stored, in seq order. The events are as stored, for
 * the server's own eyes: whoever sends them on presents them for each role (`presentEvent`).
 * `tokenHashes`: the token hashes the batch changed (null: removed), when it changed any; a batch
 * may change only those, with no event.
 */
export type EventsListener = (room: ConferenceRoom, events: WireEvent[], tokenHashes?: Record<string, string | null>) => void;

/** What a change waiting for a conference another server has taken over is answered. */
export const LOST: ErrorBody = { code: "unavailable", message: "the conference moved to another server: send the command again" };

const RETRY_MS = [50, 200, 1000, 5000];

/** When the log is folded into a new snapshot: after this many batches or bytes since the last one. */
export const SNAPSHOT_EVERY = { records: 2_000, bytes: 8 * 1024 * 1024 } as const;

/**
 * An event as the log keeps it: a secret poll's votes summed per option with the voter keys
 * sorted (as the pool releases them), so that no record links a voter to a choice; every other
 * event as decided. `state` is the state before the batch (the poll is in it).
 */
function storedForm(event: WireEvent, state: ConferenceState): WireEvent {
  if (event.type !== "poll.votes_cast") return event;
  const poll = state.polls.find((p) => p.id === event.data.pollId);
  if (!poll?.secret) return event;
  return { ...event, data: countedVotes(event.data) };
}

/**
 * How long the events of a batch of votes or check-ins stay open to the ones stored after them
 * before they are broadcast: in a burst, turnout and attendance reach every client a few times a
 * second instead of once per write. Acks do not wait for it: each is sent as soon as its change is
 * stored.
 */
export const TURNOUT_WINDOW_MS = 200;

/**
 * Vote and check-in events stored but not yet broadcast: the tail of the seq. Later batches of
 * only such events extend them (new ballots or arrivals under the same seq, or a new event next in
 * the seq) until the window closes: when its time is up, when any other change is numbered, or
 * when a snapshot is read while it holds votes. It is broadcast once closed and every batch in it
 * is stored.
 */
interface TurnoutWindow {
  /** Its events as they will be broadcast: everything stored under each seq. */
  events: WireEvent[];
  open: boolean;
  /** Whether it holds votes, acked to their voters (a snapshot then waits for it). */
  votes: boolean;
  /** Batches numbered into it whose write has not finished. */
  writing: number;
  /** The state as of its last stored batch: what snapshots show once it is broadcast. */
  snapshot: ConferenceState | null;
  timer: NodeJS.Timeout;
}

/**
 * One batch of the log folded onto the state before it, as when its events were decided: events
 * the state already holds are skipped, except the later ballots of a vote event stored earlier
 * (a turnout window), which are folded with the seq unchanged.
 */
export function foldLogBatch(state: ConferenceState, batch: Pick<LogBatch, "events" | "extending">): ConferenceState {
  for (const event of batch.events) {
    if (event.seq > state.seq) state = applyWireEvent(state, event);
    else if (batch.extending) state = { ...applyWireEvent(state, event), seq: state.seq };
  }
  return state;
}

/** A batch on disk: its events as numbered, the seq each change is acked with, and the state stored. */
interface StoredBatch {
  events: WireEvent[];
  acks: { change: PendingChange; seq: number }[];
  snapshot: ConferenceState;
  /** The turnout window it went into, if it holds only votes. */
  window: TurnoutWindow | null;
  /** The token hashes it changed, if any. */
  tokenHashes: Record<string, string | null> | undefined;
}

/**
 * The one owner of a conference's state. Commands are decided and folded in memory one after
 * another; their events wait for the next write of the conference's store (group commit: every
 * change that arrives while a write is under way shares the following one). Only when the write
 * is on disk are the commands acked and the events broadcast, in order.
 *
 * A vote in an open secret poll is not folded at once: it joins the poll's pool (memory only) and
 * its ack waits until `releasePool` lets it out in a batch of at least `SECRET_BATCH` votes, or
 * until the poll closes, so that no write of the file adds fewer voters than that (issue 12).
 *
 * A vote in an open named poll is pooled too, but only until the next write, which lets out every
 * such poll's pool as one event: a burst of n votes folds into the state a few times, not n times
 * (each fold copies the poll's list of voters).
 */
export class ConferenceRoom {
  /** The conference's directory: its minutes' files live there when they are kept in files. */
  readonly dir: string;
  /** Storage writes so far, for the benchmarks and tests. */
  readonly stats: StorageStats = newStorageStats();
  #state: ConferenceState;
  #published: ConferenceState;
  readonly #tokenHashes: Map<string, string>;
  /** Token hashes set or removed since the last stored batch. */
  readonly #tokenChanges = new Map<string, string | null>();
  /** Whether a token was revoked since the last snapshot (the next write is one). */
  #revokedSinceSnapshot = false;
  readonly #store: ConferenceStore;
  readonly #onEvents: EventsListener;
  readonly #commits: GroupCommit<PendingChange, StoredBatch | null>;
  /** pollId → voterKey → the ack of a pooled secret vote, resolved once its batch is stored. */
  readonly #pooledAcks = new Map<string, Map<string, (seq: number) => void>>();
  #window: TurnoutWindow | null = null;
  /** retry key → the ack of a command stored with a `commandId`, oldest first. */
  readonly #acked = new Map<string, Ack>();
  /** retry key → the ack of such a command still being stored. */
  readonly #inFlight = new Map<string, Promise<Ack>>();
  /** Whether a change that lets out the named polls' pools waits in the group commit. */
  #releaseQueued = false;
  /** Set once a store refused a write as fenced: another server owns the conference now. */
  #lost = false;
  /** Told once, when the conference is lost to another server. */
  onLost: ((room: ConferenceRoom) => void) | null = null;

  private constructor(dir: string, store: ConferenceStore, { file, tail }: StoredConference, onEvents: EventsListener) {
    this.dir = dir;
    // A file never holds a pool; stripping is only a guard against a hand-edited one.
    // What an older version stored gets the fields added since, defaulted (v1.1 facts, `leftAt`).
    let state = withoutPools(upgradeState(file.state));
    this.#tokenHashes = new Map(Object.entries(file.tokenHashes));
    for (const [key, ack] of Object.entries(file.acks ?? {})) this.#acked.set(key, ack);
    // The log's batches since the snapshot, folded with the same rules as when they were decided.
    for (const batch of tail) {
      state = foldLogBatch(state, batch);
      for (const [key, ack] of Object.entries(batch.acks ?? {})) this.#remember(key, ack);
      for (const [participantId, hash] of Object.entries(batch.tokenHashes ?? {})) {
        if (hash === null) this.#tokenHashes.delete(participantId);
        else this.#tokenHashes.set(participantId, hash);
      }
    }
    this.#state = state;
    this.#published = this.#state;
    this.#store = store;
    this.#onEvents = onEvents;
    this.#commits = new GroupCommit({
      store: (batch) => this.#storeBatch(batch),
      stored: (batch, stored) => this.#publish(batch, stored),
    });
  }

  /** Whether another server has taken the conference over (this room only refuses from then on). */
  get lost(): boolean {
    return this.#lost;
  }

  /** Creates the conference's directory and stores its first state (in `<dir>/conference.json` unless told otherwise). */
  static async create(
    dir: string,
    state: ConferenceState,
    onEvents: EventsListener,
    store: ConferenceStore = new FileConferenceStore(dir),
  ): Promise<ConferenceRoom> {
    await mkdir(dir, { recursive: true });
    const file: ConferenceFile = { version: 1, state, tokenHashes: {} };
    const room = new ConferenceRoom(dir, store, { file, tail: [] }, onEvents);
    await store.write(file);
    return room;
  }

  /** Opens a conference stored for `dir`, or answers null when there is none. */
  static async open(
    dir: string,
    onEvents: EventsListener,
    store: ConferenceStore = new FileConferenceStore(dir),
  ): Promise<ConferenceRoom | null> {
    const stored = await store.load();
    return stored ? new ConferenceRoom(dir, store, stored, onEvents) : null;
  }

  get id(): string {
    return this.#state.conference.id;
  }

  /**
   * The state as last stored and broadcast. Never holds a pool; may lack votes already acked whose
   * turnout is not yet broadcast (see `latest`).
   */
  get published(): ConferenceState {
    return this.#published;
  }

  /**
   * What a snapshot shows: broadcasts the turnout window first, so that a client reading a
   * snapshot sees every vote acked before (unless a write of the window is still under way: then
   * the state before it, and its event follows).
   */
  latest(): ConferenceState {
    if (this.#window?.votes) this.#closeWindow(this.#window);
    return this.#published;
  }

  participant(participantId: string): Participant | undefined {
    return findParticipant(this.#published, participantId);
  }

  tokenHashes(): ReadonlyMap<string, string> {
    return this.#tokenHashes;
  }

  /**
   * Decides a command from a participant, and acks once its events are stored; a secret vote once
   * the batch it is released in is stored (with the close at the latest).
   */
  execute(command: Command, actor: Actor, commandId?: string): Promise<Ack> {
    if (commandId === undefined) return this.#execute(command, actor, undefined);
    // A command sent again (its ack lost with a connection) is applied once: the retry gets the
    // first one's ack, or waits for it. Keyed per participant: nobody reads another's acks.
    const key = `${actor.participantId}/${commandId}`;
    const known = this.#inFlight.get(key) ?? this.#acked.get(key);
    if (known) return Promise.resolve(known);
    const acked = this.#execute(command, actor, key).then((ack) => {
      this.#inFlight.delete(key);
      if (ack.ok) this.#remember(key, ack);
      return ack;
    });
    this.#inFlight.set(key, acked);
    return acked;
  }

  /** Remembers an ack for retries, the oldest forgotten past `REMEMBERED_ACKS`. */
  #remember(key: string, ack: Ack): void {
    this.#acked.set(key, ack);
    if (this.#acked.size > REMEMBERED_ACKS) this.#acked.delete(this.#acked.keys().next().value!);
  }

  #execute(command: Command, actor: Actor, commandKey: string | undefined): Promise<Ack> {
    if (this.#lost) return Promise.resolve({ ok: false, error: LOST });
    const decision = decide(this.#state, command, actor, this.#context());
    if (decision.ok && command.type === "polls.vote") {
      const [vote] = decision.events;
      if (vote?.type === "poll.votes_cast" && decision.events.length === 1) {
        if (poolsVotes(this.#state, vote.data.pollId)) return this.#pool(vote);
        return this.#poolUntilWrite(vote);
      }
    }
    return this.#commit(decision, false, commandKey);
  }

  /** Adds a participant with the hash of the token the caller has minted for them. */
  async addParticipant(
    input: Omit<Extract<InternalCommand, { type: "participants.add" }>, "type" | "participantId">,
    tokenHash: string,
  ): Promise<AckOf<"participants.add">> {
    const participantId = newId();
    const decision = decideInternal(this.#state, { type: "participants.add", participantId, ...input }, this.#context());
    if (decision.ok) this.#setTokenHash(participantId, tokenHash);
    const ack = await this.#commit(decision);
    return ack.ok ? { ...ack, id: participantId } : ack;
  }

  /**
   * Adds the checked rows of an import in one change, each new participant with the token hash at
   * the same index of `tokenHashes`; answers their ids in row order.
   */
  async importRows(rows: Extract<InternalCommand, { type: "participants.import" }>["rows"], tokenHashes: readonly string[]): Promise<AckOf<"participants.import">> {
    const decision = decideInternal(this.#state, { type: "participants.import", rows }, this.#context());
    if (decision.ok) {
      const { ids } = decision.result as { ids: string[] };
      ids.forEach((id, i) => this.#setTokenHash(id, tokenHashes[i]!));
    }
    return (await this.#commit(decision)) as AckOf<"participants.import">;
  }

  /** A chair's change to the roster's organisations (authorised by the caller). */
  organise(command: Extract<InternalCommand, { type: "organisations.add" | "organisations.update" }>): Promise<Ack> {
    return this.#commit(decideInternal(this.#state, command, this.#context()));
  }

  /** Sets the conference's facts (a chair's `PATCH`, authorised by the caller). */
  updateConference(fields: Extract<InternalCommand, { type: "conference.update" }>["fields"]): Promise<Ack> {
    return this.#commit(decideInternal(this.#state, { type: "conference.update", fields }, this.#context()));
  }

  /**
   * Notes that a participant has connected: their first connection checks them in, and so does
   * a connection after they were marked gone (their own device says they are back).
   */
  recordArrival(participantId: string): Promise<Ack> {
    return this.#commit(decideInternal(this.#state, { type: "participants.arrived", participantId }, this.#context()));
  }

  /**
   * A chair's change to the roster (update, remove, new token; authorised by the caller), decided
   * now: answers the refusal, or the events and `stored`, which resolves once the change is on
   * disk. `tokenHash` replaces the participant's token hash (null: they keep none); a change of
   * the hashes is stored even when it has no event (a new token is no state clients see).
   */
  administer(
    command: Extract<InternalCommand, { type: "participants.update" | "participants.remove" | "participants.reissueToken" }>,
    tokenHash?: string | null,
  ): { ok: false; error: ErrorBody } | { ok: true; events: readonly DomainEvent[]; stored: Promise<Ack> } {
    const decision = decideInternal(this.#state, command, this.#context());
    if (!decision.ok) return decision;
    if (tokenHash !== undefined) this.#setTokenHash(command.participantId, tokenHash);
    return { ok: true, events: decision.events, stored: this.#commit(decision, tokenHash !== undefined) };
  }

  /**
   * Resolves once everything decided so far is on disk, except secret votes still pooled: those
   * wait for their batch or the close, and a stop loses them unacked, like a crash would.
   */
  async settled(): Promise<void> {
    if (this.#window) this.#closeWindow(this.#window);
    await this.#commits.settled();
    if (this.#window) this.#closeWindow(this.#window);
  }

  /** Lets go of the store's open files (the conference is unloaded, everything stored). */
  close(): void {
    this.#store.close?.();
  }

  #context() {
    return { now: Date.now(), newId };
  }

  /** Pools a vote; stores the batch it completes in a secret poll, if any. Resolves with its batch's ack. */
  #pool(vote: VotesCast): Promise<Ack> {
    const { pollId } = vote.data;
    this.#state = poolVotes(this.#state, vote);
    const acks = this.#pooledAcks.get(pollId) ?? new Map<string, (seq: number) => void>();
    this.#pooledAcks.set(pollId, acks);
    const acked = new Promise<Ack>((resolve) => {
      for (const ballot of vote.data.ballots) {
        acks.set(ballot.voterKey, (seq) => resolve(seq < 0 ? { ok: false, error: LOST } : { ok: true, seq }));
      }
    });
    const poll = this.#state.polls.find((p) => p.id === pollId)!;
    const batch = poll.secret ? releasePool(poll, "due") : null;
    // The batch's own ack answers nobody: its voters' acks are resolved from its event.
    if (batch) void this.#commit({ ok: true, events: [batch] });
    return acked;
  }

  /** Pools a named poll's vote until the next write; resolves with its ack once stored. */
  #poolUntilWrite(vote: VotesCast): Promise<Ack> {
    const acked = this.#pool(vote);
    if (!this.#releaseQueued) {
      this.#releaseQueued = true;
      this.#commits.add({ events: [], resolve: () => undefined, release: true });
    }
    return acked;
  }

  /** Lets out the named polls' pools into the change that asked for it (called as its batch is stored). */
  #releaseNamedPools(batch: PendingChange[]): void {
    const marker = batch.find((change) => change.release);
    if (!marker) return;
    this.#releaseQueued = false;
    for (const poll of this.#state.polls) {
      if (poll.secret || poll.status !== "open") continue;
      const release = releasePool(poll, "all");
      if (!release) continue;
      this.#state = evolve(this.#state, release);
      marker.events.push(release);
    }
  }

  /** Resolves the acks of the pooled votes that these stored events carry. */
  #ackPooled(events: readonly WireEvent[]): void {
    for (const event of events) {
      if (event.type !== "poll.votes_cast") continue;
      const acks = this.#pooledAcks.get(event.data.pollId);
      if (!acks) continue;
      for (const { voterKey } of event.data.ballots) {
        acks.get(voterKey)?.(event.seq);
        acks.delete(voterKey);
      }
      if (acks.size === 0) this.#pooledAcks.delete(event.data.pollId);
    }
  }

  /**
   * `write`: store even without events (a change of the token hashes only). `commandKey`: the
   * retry key of the command, stored with its ack in the same batch, so a retry after a restart
   * is answered too.
   */
  #commit(decision: Decision, write = false, commandKey?: string): Promise<Ack> {
    if (!decision.ok) return Promise.resolve({ ok: false, error: decision.error });
    if (this.#lost) return Promise.resolve({ ok: false, error: LOST });
    const result = decision.result ?? {};
    if (decision.events.length === 0 && !write) return Promise.resolve({ ...result, ok: true, seq: this.#state.seq });
    for (const event of decision.events) this.#state = evolve(this.#state, event);
    return new Promise((resolve) => {
      this.#commits.add({
        events: decision.events,
        resolve: (seq) => resolve({ ...result, ok: true, seq }),
        refuse: (error) => resolve({ ok: false, error }),
        ...(commandKey && { commandKey, result }),
      });
    });
  }

  /** Sets (or, with null, removes) a token hash; the change goes into the next stored batch. */
  #setTokenHash(participantId: string, hash: string | null): void {
    // A hash replaced or removed is a token revoked: the next write is a snapshot, so the old hash
    // leaves the disk rather than stay in the log.
    if (this.#tokenHashes.has(participantId)) this.#revokedSinceSnapshot = true;
    if (hash === null) this.#tokenHashes.delete(participantId);
    else this.#tokenHashes.set(participantId, hash);
    this.#tokenChanges.set(participantId, hash);
  }

  /**
   * Numbers a batch and stores it; retries until it is on disk. Most batches are one append to the
   * log (its events in stored form and the token hashes it changed: bytes that do not grow with the
   * conference); now and then, and after a token was revoked, the whole state is written as the
   * new snapshot and the log starts again.
   */
  async #storeBatch(batch: PendingChange[]): Promise<StoredBatch | null> {
    if (this.#lost) return null;
    this.#releaseNamedPools(batch);
    const before = this.#state;
    const numbered = this.#numberIntoWindow(batch) ?? this.#number(batch);
    // Pooled secret votes stay in memory: neither the files nor anyone reading `published` sees them.
    const snapshot = withoutPools(this.#state);
    const tokenHashes = Object.fromEntries(this.#tokenChanges);
    this.#tokenChanges.clear();
    const acks: Record<string, Ack> = {};
    for (const { change, seq } of numbered.acks) if (change.commandKey) acks[change.commandKey] = { ...change.result, ok: true, seq };
    // Remembered now, so that a snapshot written by this batch holds them too; a retry meanwhile
    // still waits for the write (the in-flight ack is looked up first).
    for (const [key, ack] of Object.entries(acks)) this.#remember(key, ack);
    const snapshotDue =
      this.#revokedSinceSnapshot || this.#store.logRecords >= SNAPSHOT_EVERY.records || this.#store.logBytes >= SNAPSHOT_EVERY.bytes;
    const write = snapshotDue
      ? () => this.#store.write({ version: 1, state: snapshot, tokenHashes: Object.fromEntries(this.#tokenHashes), acks: Object.fromEntries(this.#acked) })
      : () =>
          this.#store.append({
            events: numbered.events.map((e) => storedForm(e, before)),
            ...(numbered.extending && { extending: true }),
            ...(Object.keys(acks).length > 0 && { acks }),
            ...(Object.keys(tokenHashes).length > 0 && { tokenHashes }),
          });
    if (snapshotDue) this.#revokedSinceSnapshot = false;
    try {
      await retryForever(write, {
        delaysMs: RETRY_MS,
        // Acks wait: nothing is acked that is not on disk. The state stays in memory meanwhile.
        onFailure: (error, attempt) => {
          if (error instanceof FencedError) throw error;
          console.error(`conference ${this.id}: write failed (attempt ${attempt}):`, (error as Error).message);
        },
      });
    } catch (error) {
      if (!(error instanceof FencedError)) throw error;
      console.error(`conference ${this.id}: ${error.message}; another server owns it now`);
      this.#lose();
      return null;
    }
    if (snapshotDue) this.stats.compactions++;
    const changedTokens = Object.keys(tokenHashes).length > 0 ? tokenHashes : undefined;
    return { events: numbered.events, acks: numbered.acks, window: numbered.window, snapshot, tokenHashes: changedTokens };
  }

  /**
   * The conference is another server's now: nothing decided here since its last stored batch will
   * be stored, so every pooled vote is refused now, and every change still waiting as its batch
   * comes round (`#publish`); a client that sends it again reaches the new owner.
   */
  #lose(): void {
    this.#lost = true;
    if (this.#window) clearTimeout(this.#window.timer);
    this.#window = null;
    for (const acks of this.#pooledAcks.values()) for (const ack of acks.values()) ack(-1);
    this.#pooledAcks.clear();
    this.onLost?.(this);
  }

  /** A batch is on disk: ack its commands and pooled votes, then hand its events on. */
  #publish(batch: PendingChange[], stored: StoredBatch | null): void {
    if (!stored) {
      for (const change of batch) change.refuse?.(LOST);
      return;
    }
    const { events, acks, snapshot, window, tokenHashes } = stored;
    this.stats.writes++;
    this.stats.bytes = this.#store.bytesWritten;
    // Acked at once, whether its events go out now or with the window.
    for (const { change, seq } of acks) change.resolve(seq);
    this.#ackPooled(events);
    if (window) {
      window.writing--;
      window.snapshot = snapshot;
      // Token hashes changed in the same batch (a new link, with no event) are no turnout: told now.
      if (tokenHashes) this.#onEvents(this, [], tokenHashes);
      if (!window.open && window.writing === 0) this.#broadcastWindow(window);
      return;
    }
    this.#published = snapshot;
    if (events.length > 0 || tokenHashes) this.#onEvents(this, events, tokenHashes);
  }

  /** Stops a window taking votes; broadcasts it if none of its writes is under way. */
  #closeWindow(window: TurnoutWindow): void {
    window.open = false;
    clearTimeout(window.timer);
    if (window.writing === 0) this.#broadcastWindow(window);
  }

  #broadcastWindow(window: TurnoutWindow): void {
    if (this.#window === window) this.#window = null;
    this.#published = window.snapshot!;
    this.#onEvents(this, window.events);
  }

  /**
   * Numbers a batch of only votes and check-ins into the turnout window: into the open one (each
   * ballot under the seq of its poll's event there, each arrival under the check-ins', or a new
   * event next in the seq), or into a new one. Answers null for any other batch, after closing the
   * window (whose events then come first).
   */
  #numberIntoWindow(batch: PendingChange[]) {
    const coalescing = batch.some((c) => c.events.length > 0) && batch.every((c) => c.events.every(coalesces));
    if (!coalescing) {
      if (this.#window) this.#closeWindow(this.#window);
      return null;
    }
    const current = this.#window?.open ? this.#window : null;
    if (!current) {
      if (this.#window) this.#closeWindow(this.#window);
      const numbered = this.#number(batch);
      const window: TurnoutWindow = {
        events: numbered.events.map((e) => ({ ...e })),
        open: true,
        votes: numbered.events.some((e) => e.type === "poll.votes_cast"),
        writing: 1,
        snapshot: null,
        timer: setTimeout(() => this.#closeWindow(window), TURNOUT_WINDOW_MS),
      };
      this.#window = window;
      return { ...numbered, extending: false, window };
    }
    current.writing++;
    const { merged, upTo } = mergeBatch(batch);
    if (merged.some((e) => e.type === "poll.votes_cast")) current.votes = true;
    // This batch's own record: its ballots and arrivals under the seq they join, one event per seq
    // (the batch's events are merged already: one per poll, one for the check-ins).
    const record: WireEvent[] = [];
    const serverTime = Date.now();
    const seqBefore = this.#state.seq;
    for (const event of merged) {
      let joined: DomainEvent | null = null;
      let at = 0;
      for (; at < current.events.length && !joined; at++) joined = mergeEvents(current.events[at]!, event);
      if (joined) {
        const target = current.events[at - 1]!;
        current.events[at - 1] = { ...target, ...joined } as WireEvent;
        record.push({ ...event, seq: target.seq, serverTime: target.serverTime } as WireEvent);
      } else {
        this.#state = { ...this.#state, seq: this.#state.seq + 1 };
        const opened = { ...event, seq: this.#state.seq, serverTime } as WireEvent;
        current.events.push(opened);
        record.push(opened);
      }
    }
    // Each change is acked with the highest seq its events (and those before) went under.
    const highest: number[] = [];
    for (const e of record) highest.push(Math.max(highest.at(-1) ?? seqBefore, e.seq));
    const acks = batch.map((change, i) => ({ change, seq: upTo[i]! > 0 ? highest[upTo[i]! - 1]! : seqBefore }));
    return { events: record, acks, extending: true, window: current };
  }

  /** Numbers the batch's events, merging votes of one poll, and notes the seq each change is acked with. */
  #number(batch: PendingChange[]) {
    const { merged, upTo } = mergeBatch(batch);
    const acks = batch.map((change, i) => ({ change, seq: this.#state.seq + upTo[i]! }));
    const serverTime = Date.now();
    const events = merged.map((event, i) => ({ ...event, seq: this.#state.seq + i + 1, serverTime }) as WireEvent);
    this.#state = { ...this.#state, seq: this.#state.seq + merged.length };
    return { events, acks, extending: false, window: null as TurnoutWindow | null };
  }
}

/**
 * A batch's events with those that commute merged: votes of different polls and check-ins may
 * join the event of their poll, or the check-ins, anywhere in the run of such events at the end,
 * so a burst stays a few events. `upTo[i]`: how many merged events there are once change i's are in.
 */
function mergeBatch(batch: readonly PendingChange[]): { merged: DomainEvent[]; upTo: number[] } {
  const merged: DomainEvent[] = [];
  const upTo: number[] = [];
  for (const change of batch) {
    for (const event of change.events) {
      let combined: DomainEvent | null = null;
      let at = merged.length - 1;
      if (coalesces(event)) {
        for (; at >= 0 && coalesces(merged[at]!); at--) {
          combined = mergeEvents(merged[at]!, event);
          if (combined) break;
        }
      }
      if (combined) merged[at] = combined;
      else merged.push(event);
    }
    upTo.push(merged.length);
  }
  return { merged, upTo };
}
