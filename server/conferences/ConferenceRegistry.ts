import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { startsAtMillis, type AddParticipantBody, type CreateConferenceBody } from "../../shared/commands.ts";
import { initialState } from "../../shared/initialState.ts";
import { DEFAULT_TIME_ZONE } from "../../shared/minutes.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { ParticipantChanges } from "../../shared/events.ts";
import type { ImportRow } from "../../shared/roster.ts";
import type { Participant } from "../../shared/state.ts";
import { hashToken, newId, newJoinCode, newToken } from "../ids.ts";
import { ConferenceRoom } from "./ConferenceRoom.ts";
import { fileStores, type ConferenceStores } from "../storage/conferenceStores.ts";
import type { ConferenceReplica, ConferenceView } from "../cluster/ConferenceReplica.ts";
import type { WireEvent } from "../../shared/events.ts";

export type { ConferenceView } from "../cluster/ConferenceReplica.ts";

/** What `newId` makes: base64url, of the length conferences have had. */
const CONFERENCE_ID = /^[A-Za-z0-9_-]{8,32}$/;

export interface Identity {
  room: ConferenceView;
  participant: Participant;
}

/**
 * Told of every conference's events once they are stored (owned here) or received (a replica of
 * another server's conference: `owned` false), in seq order; see `EventsListener`.
 */
export type ViewListener = (room: ConferenceView, events: WireEvent[], owned: boolean) => void;

/** Told of each stored batch of an owned room before any other listener (the cluster's replication). */
export type Replicator = (room: ConferenceRoom, events: WireEvent[], tokenHashes: Record<string, string | null> | undefined) => void;

/**
 * What happened to a participant's access: `revoked` (removed, or their token re-issued: the old
 * token no longer works), `role_changed` (their connections still see the old role's view).
 */
export type AccessChange = "revoked" | "role_changed";
export type AccessListener = (room: ConferenceView, participantId: string, change: AccessChange) => void;

type Refusal = Extract<Ack, { ok: false }>;

export type AddedParticipant = { ok: true; participant: Participant; token: string } | Extract<Ack, { ok: false }>;

/**
 * All conferences of this server, each in its own directory, and the index of their tokens: those
 * it owns (`ConferenceRoom`) and, in a cluster, replicas of those other servers own.
 */
export class ConferenceRegistry {
  readonly #root: string;
  readonly #rooms = new Map<string, ConferenceRoom>();
  readonly #replicas = new Map<string, ConferenceReplica>();
  /** sha256(token) → where it belongs. */
  readonly #tokens = new Map<string, { conferenceId: string; participantId: string }>();
  readonly #listeners = new Set<ViewListener>();
  readonly #accessListeners = new Set<AccessListener>();
  readonly #replacedListeners = new Set<(conferenceId: string) => void>();
  readonly #unloadedListeners = new Set<(conferenceId: string) => void>();
  /** Conferences being opened (one load each, however many ask at once). */
  readonly #opening = new Map<string, Promise<void>>();
  /** Live connections per conference, and when each was last asked for. */
  readonly #users = new Map<string, number>();
  readonly #lastUsed = new Map<string, number>();
  /** Set by the cluster: sees each owned room's stored batch first. */
  replicator: Replicator | null = null;
  /**
   * Set by the cluster: opens a conference that is not here (owns it, or replicates it from its
   * owner). Alone, a server owns every conference it opens.
   */
  opener: ((conferenceId: string) => Promise<void>) | null = null;
  /** Set by the cluster: whether clients of other servers use a conference owned here. */
  usedElsewhere: ((conferenceId: string) => boolean) | null = null;
  /** Set by the cluster: told of each conference this server unloads (its lease is given back). */
  onUnloaded: ((conferenceId: string) => void) | null = null;
  /** Set by the cluster: told of each conference created here (its lease is this server's). */
  onCreated: ((room: ConferenceRoom) => void) | null = null;
  /** Set by the cluster: told when an owned room finds another server has taken it over. */
  onLost: ((room: ConferenceRoom) => void) | null = null;
  /** What every room calls once its events are stored. */
  readonly #onEvents = (room: ConferenceRoom, events: WireEvent[], tokenHashes?: Record<string, string | null>) => {
    if (tokenHashes) this.#stores.noteTokens(room.id, tokenHashes);
    this.replicator?.(room, events, tokenHashes);
    if (events.length === 0) return;
    for (const listener of this.#listeners) listener(room, events, true);
  };

  readonly #stores: ConferenceStores;
  /** The lease epoch a conference created here starts at: 1 in a cluster (this server holds it), else 0. */
  readonly #createdEpoch: number;

  /**
   * `stores`: where the conferences are kept (default: files under `<dataDir>/conferences`);
   * `clustered`: several servers share them (the cluster loads and hands over conferences).
   */
  constructor(dataDir: string, stores?: ConferenceStores, clustered = false) {
    this.#root = join(dataDir, "conferences");
    this.#stores = stores ?? fileStores(this.#root);
    this.#createdEpoch = clustered ? 1 : 0;
  }

  /** The conferences stored (for the cluster, which decides which to own). */
  stored(): Promise<string[]> {
    return this.#stores.list();
  }

  /** Where a conference's own files (its minutes) are kept. */
  dirOf(conferenceId: string): string {
    return join(this.#root, conferenceId);
  }

  /**
   * Calls `listener` with every conference's events once they are stored here or received from
   * their owner; answers the unsubscribe.
   */
  subscribe(listener: ViewListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` when a participant's live connections must go: their token stopped working
   * (at once, before the change is stored), or their role changed (once it is stored and broadcast).
   */
  subscribeAccess(listener: AccessListener): () => void {
    this.#accessListeners.add(listener);
    return () => this.#accessListeners.delete(listener);
  }

  /** Calls `listener` with each conference unloaded as idle (what it holds besides its state can go too). */
  subscribeUnloaded(listener: (conferenceId: string) => void): () => void {
    this.#unloadedListeners.add(listener);
    return () => this.#unloadedListeners.delete(listener);
  }

  /** Calls `listener` when a conference's state here was replaced at once (a takeover, a replica resynced). */
  subscribeReplaced(listener: (conferenceId: string) => void): () => void {
    this.#replacedListeners.add(listener);
    return () => this.#replacedListeners.delete(listener);
  }

  /**
   * Readies the registry. No conference is loaded: each is opened when first asked for (`open`,
   * `locate`) and unloaded once idle (`unloadIdle`), so past meetings do not sit in memory.
   */
  async load(): Promise<void> {
    await mkdir(this.#root, { recursive: true });
  }

  /** Loads a stored conference if it is not here (see `opener`); answers it, or null when none is stored. */
  async open(conferenceId: string): Promise<ConferenceView | null> {
    const here = this.view(conferenceId);
    if (here) {
      this.#lastUsed.set(conferenceId, Date.now());
      return here;
    }
    // It names a directory and a row: nothing but an id of ours is looked up (no "../", no 10 KB).
    if (!CONFERENCE_ID.test(conferenceId)) return null;
    this.#lastUsed.set(conferenceId, Date.now());
    let opening = this.#opening.get(conferenceId);
    if (!opening) {
      opening = (this.opener ? this.opener(conferenceId) : this.own(conferenceId, 0).then(() => undefined)).finally(() =>
        this.#opening.delete(conferenceId),
      );
      this.#opening.set(conferenceId, opening);
    }
    await opening;
    return this.view(conferenceId) ?? null;
  }

  /** Who holds this token, loading their conference if need be; or null. */
  async locate(token: unknown): Promise<Identity | null> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
    const known = this.authenticate(token);
    if (known) {
      this.#lastUsed.set(known.room.id, Date.now());
      return known;
    }
    const holder = await this.#stores.findToken(hashToken(token));
    if (!holder) return null;
    await this.open(holder.conferenceId);
    return this.authenticate(token);
  }

  /** The conference a join code opens, stored here, loaded or not. */
  findJoinCode(code: string): Promise<string | null> {
    return this.#stores.findJoinCode(code);
  }

  /** Notes that a conference was just asked for (it is not idle). */
  touch(conferenceId: string): void {
    this.#lastUsed.set(conferenceId, Date.now());
  }

  /** Marks a conference as used by a live connection until the answered release is called. */
  use(conferenceId: string): () => void {
    this.#users.set(conferenceId, (this.#users.get(conferenceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#users.get(conferenceId) ?? 1) - 1;
      if (left > 0) this.#users.set(conferenceId, left);
      else this.#users.delete(conferenceId);
      this.#lastUsed.set(conferenceId, Date.now());
    };
  }

  /**
   * Unloads every conference without a live connection that nobody has asked for in `idleMs`,
   * once what it decided is stored; answers their ids.
   */
  async unloadIdle(idleMs: number): Promise<string[]> {
    const now = Date.now();
    const inUse = (id: string) => this.#users.has(id) || (this.usedElsewhere?.(id) ?? false);
    const idle = [...this.all()].filter((view) => !inUse(view.id) && now - (this.#lastUsed.get(view.id) ?? 0) >= idleMs);
    const unloaded: string[] = [];
    for (const view of idle) {
      if (view instanceof ConferenceRoom) await view.settled();
      // Used again meanwhile, or replaced (taken over, promoted): it stays.
      if (inUse(view.id) || this.view(view.id) !== view || Date.now() - (this.#lastUsed.get(view.id) ?? 0) < idleMs) continue;
      this.forget(view.id);
      if (view instanceof ConferenceRoom) view.close();
      this.#lastUsed.delete(view.id);
      this.onUnloaded?.(view.id);
      for (const listener of this.#unloadedListeners) listener(view.id);
      unloaded.push(view.id);
    }
    return unloaded;
  }

  /**
   * Opens a stored conference as its owner, at lease `epoch`, in place of any replica of it;
   * answers null when it is not stored.
   */
  async own(conferenceId: string, epoch: number): Promise<ConferenceRoom | null> {
    const room = await ConferenceRoom.open(join(this.#root, conferenceId), this.#onEvents, this.#stores.storeFor(conferenceId, epoch));
    if (!room) return null;
    this.#adopt(room);
    return room;
  }

  /** Holds a replica of a conference another server owns, in place of what was here. */
  replicate(replica: ConferenceReplica): void {
    this.#adopt(replica);
  }

  /** Forgets a conference (it is neither owned nor replicated here any more). */
  forget(conferenceId: string): void {
    this.#unindex(conferenceId);
    this.#rooms.delete(conferenceId);
    this.#replicas.delete(conferenceId);
  }

  #adopt(view: ConferenceView): void {
    const replaced = this.#rooms.has(view.id) || this.#replicas.has(view.id);
    this.#unindex(view.id);
    if (view instanceof ConferenceRoom) {
      this.#replicas.delete(view.id);
      this.#rooms.set(view.id, view);
      view.onLost = (room) => this.onLost?.(room);
    } else {
      this.#rooms.delete(view.id);
      this.#replicas.set(view.id, view);
    }
    for (const [participantId, hash] of view.tokenHashes()) this.#tokens.set(hash, { conferenceId: view.id, participantId });
    if (replaced) for (const listener of this.#replacedListeners) listener(view.id);
  }

  #unindex(conferenceId: string): void {
    const view = this.view(conferenceId);
    if (!view) return;
    for (const hash of view.tokenHashes().values()) this.#tokens.delete(hash);
  }

  /**
   * Folds a batch another server broadcast into its replica here, and tells the listeners; answers
   * false when it does not follow on (the replica needs a fresh snapshot) or there is no replica.
   */
  applyReplicated(conferenceId: string, events: WireEvent[], tokenHashes: Record<string, string | null> | undefined): boolean {
    const replica = this.#replicas.get(conferenceId);
    if (!replica) return false;
    // The hashes the batch replaces, read before it is folded (only those: a burst of votes changes none).
    const changes = Object.entries(tokenHashes ?? {}).map(([participantId, hash]) => ({ participantId, hash, previous: replica.tokenHashes().get(participantId) }));
    if (!replica.apply(events, tokenHashes)) return false;
    for (const { participantId, hash, previous } of changes) {
      if (previous !== undefined) this.#tokens.delete(previous);
      if (hash !== null) this.#tokens.set(hash, { conferenceId, participantId });
      // A token replaced or removed: its connections here go, as on the owner.
      if (previous !== undefined) for (const listener of this.#accessListeners) listener(replica, participantId, "revoked");
    }
    for (const event of events) {
      if (event.type === "participant.updated" && event.data.fields.role !== undefined) {
        for (const listener of this.#accessListeners) listener(replica, event.data.participantId, "role_changed");
      }
    }
    if (events.length > 0) for (const listener of this.#listeners) listener(replica, events, false);
    return true;
  }

  /** A conference this server owns (decides and stores). */
  get(conferenceId: string): ConferenceRoom | undefined {
    return this.#rooms.get(conferenceId);
  }

  /** A conference, owned here or replicated: what the realtime and minutes sides read. */
  view(conferenceId: string): ConferenceView | undefined {
    return this.#rooms.get(conferenceId) ?? this.#replicas.get(conferenceId);
  }

  /** The conferences owned here. */
  rooms(): IterableIterator<ConferenceRoom> {
    return this.#rooms.values();
  }

  /** Every conference here, owned or replicated. */
  *all(): IterableIterator<ConferenceView> {
    yield* this.#rooms.values();
    yield* this.#replicas.values();
  }

  /** Creates a conference with its first chair; answers the chair's token. */
  async create(body: CreateConferenceBody, chairName: string): Promise<{ room: ConferenceRoom; chairToken: string }> {
    const id = newId();
    const startsAt = body.startsAt === undefined ? null : startsAtMillis(body.startsAt);
    const state = initialState({
      id,
      title: body.title,
      organisation: body.organisation ?? "",
      parentOrganisation: body.parentOrganisation ?? "",
      shortName: body.shortName ?? "",
      venue: body.venue ?? "",
      city: body.city ?? "",
      startsAt,
      timeZone: body.timeZone ?? DEFAULT_TIME_ZONE,
      language: body.language ?? "vi",
      joinCode: newJoinCode(),
      createdAt: Date.now(),
    });
    const room = await ConferenceRoom.create(join(this.#root, id), state, this.#onEvents, this.#stores.storeFor(id, this.#createdEpoch, true));
    this.#adopt(room);
    this.#lastUsed.set(id, Date.now());
    this.#stores.noteTokens(id, {}, state.conference.joinCode ?? undefined);
    this.onCreated?.(room);
    const added = await this.addParticipant(room, { name: chairName, role: "chair" }, "chair");
    if (!added.ok) throw new Error(added.error.message);
    return { room, chairToken: added.token };
  }

  /**
   * Adds a participant and mints their token; the token is usable once it is stored. `via`: a
   * chair's addition, or a join (where an organisation not on the roster makes a guest).
   */
  async addParticipant(room: ConferenceRoom, body: AddParticipantBody, via: "chair" | "join"): Promise<AddedParticipant> {
    const token = newToken();
    const hash = hashToken(token);
    const ack = await room.addParticipant(
      {
        name: body.name,
        ...(body.organisation !== undefined && { organisation: body.organisation }),
        ...(body.organisationId !== undefined && { organisationId: body.organisationId }),
        ...(body.representative !== undefined && { representative: body.representative }),
        role: body.role,
        attendance: body.attendance ?? "hall",
        via,
      },
      hash,
    );
    if (!ack.ok) return ack;
    const participantId = ack.id;
    this.#tokens.set(hash, { conferenceId: room.id, participantId });
    return { ok: true, participant: room.participant(participantId)!, token };
  }

  /** Adds an import's rows (v1.1) in one change, minting everyone's token; usable once stored. */
  async importRows(room: ConferenceRoom, rows: ImportRow[]): Promise<{ ok: true; added: { participant: Participant; token: string }[] } | Refusal> {
    const tokens = rows.map(() => newToken());
    const hashes = tokens.map(hashToken);
    const ack = await room.importRows(rows, hashes);
    if (!ack.ok) return ack;
    const added = ack.ids.map((participantId, i) => {
      this.#tokens.set(hashes[i]!, { conferenceId: room.id, participantId });
      return { participant: room.participant(participantId)!, token: tokens[i]! };
    });
    return { ok: true, added };
  }

  /**
   * Gives a participant a new token (v1.1): the old one stops working at once (it leaves the
   * index and its connections are told to go); the new one works once it is stored.
   */
  async reissueToken(room: ConferenceRoom, participantId: string): Promise<{ ok: true; token: string } | Refusal> {
    const token = newToken();
    const hash = hashToken(token);
    const previous = room.tokenHashes().get(participantId);
    const staged = room.administer({ type: "participants.reissueToken", participantId }, hash);
    if (!staged.ok) return staged;
    this.#revoke(room, participantId, previous);
    await staged.stored;
    // Another re-issue or a removal came meanwhile: this token is already superseded.
    if (room.tokenHashes().get(participantId) !== hash) {
      return { ok: false, error: { code: "conflict", message: "the participant's token was changed again meanwhile" } };
    }
    this.#tokens.set(hash, { conferenceId: room.id, participantId });
    return { ok: true, token };
  }

  /** Removes a participant (v1.1): marked in the state, their token gone at once. */
  async removeParticipant(room: ConferenceRoom, participantId: string): Promise<Ack> {
    const previous = room.tokenHashes().get(participantId);
    const staged = room.administer({ type: "participants.remove", participantId }, null);
    if (!staged.ok) return staged;
    this.#revoke(room, participantId, previous);
    return staged.stored;
  }

  /** Changes a participant (v1.1); a new role reaches their connections by making them reconnect. */
  async updateParticipant(
    room: ConferenceRoom,
    participantId: string,
    fields: ParticipantChanges,
  ): Promise<{ ok: true; participant: Participant } | Refusal> {
    const staged = room.administer({ type: "participants.update", participantId, fields });
    if (!staged.ok) return staged;
    const ack = await staged.stored;
    if (!ack.ok) return ack;
    const roleChanged = staged.events.some((e) => e.type === "participant.updated" && e.data.fields.role !== undefined);
    if (roleChanged) for (const listener of this.#accessListeners) listener(room, participantId, "role_changed");
    return { ok: true, participant: room.participant(participantId)! };
  }

  #revoke(room: ConferenceRoom, participantId: string, hash: string | undefined): void {
    if (hash !== undefined) this.#tokens.delete(hash);
    for (const listener of this.#accessListeners) listener(room, participantId, "revoked");
  }

  /** Who holds this token, or null. */
  authenticate(token: unknown): Identity | null {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
    const entry = this.#tokens.get(hashToken(token));
    if (!entry) return null;
    const room = this.view(entry.conferenceId);
    const participant = room?.participant(entry.participantId);
    return room && participant && participant.removedAt == null ? { room, participant } : null;
  }

  /** Waits until every conference has stored what it decided. */
  async settled(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.settled()));
  }
}
