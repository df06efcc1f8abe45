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
import { ConferenceRoom, type EventsListener } from "./ConferenceRoom.ts";
import { fileStores, type ConferenceStores } from "../storage/conferenceStores.ts";

export interface Identity {
  room: ConferenceRoom;
  participant: Participant;
}

/**
 * What happened to a participant's access: `revoked` (removed, or their token re-issued: the old
 * token no longer works), `role_changed` (their connections still see the old role's view).
 */
export type AccessChange = "revoked" | "role_changed";
export type AccessListener = (room: ConferenceRoom, participantId: string, change: AccessChange) => void;

type Refusal = Extract<Ack, { ok: false }>;

export type AddedParticipant = { ok: true; participant: Participant; token: string } | Extract<Ack, { ok: false }>;

/** All conferences of this server, each in its own directory, and the index of their tokens. */
export class ConferenceRegistry {
  readonly #root: string;
  readonly #rooms = new Map<string, ConferenceRoom>();
  /** sha256(token) → where it belongs. */
  readonly #tokens = new Map<string, { conferenceId: string; participantId: string }>();
  readonly #listeners = new Set<EventsListener>();
  readonly #accessListeners = new Set<AccessListener>();
  /** What every room calls once its events are stored. */
  readonly #onEvents: EventsListener = (room, events) => {
    for (const listener of this.#listeners) listener(room, events);
  };

  readonly #stores: ConferenceStores;

  /** `stores`: where the conferences are kept (default: files under `<dataDir>/conferences`). */
  constructor(dataDir: string, stores?: ConferenceStores) {
    this.#root = join(dataDir, "conferences");
    this.#stores = stores ?? fileStores(this.#root);
  }

  /** Calls `listener` with every conference's events once they are stored; answers the unsubscribe. */
  subscribe(listener: EventsListener): () => void {
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

  /** Opens every stored conference. */
  async load(): Promise<void> {
    await mkdir(this.#root, { recursive: true });
    for (const id of await this.#stores.list()) {
      const room = await ConferenceRoom.open(join(this.#root, id), this.#onEvents, this.#stores.storeFor(id));
      if (!room) continue;
      this.#rooms.set(room.id, room);
      for (const [participantId, hash] of room.tokenHashes()) {
        this.#tokens.set(hash, { conferenceId: room.id, participantId });
      }
    }
  }

  get(conferenceId: string): ConferenceRoom | undefined {
    return this.#rooms.get(conferenceId);
  }

  all(): IterableIterator<ConferenceRoom> {
    return this.#rooms.values();
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
    const room = await ConferenceRoom.create(join(this.#root, id), state, this.#onEvents, this.#stores.storeFor(id));
    this.#rooms.set(id, room);
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
    const room = this.#rooms.get(entry.conferenceId);
    const participant = room?.participant(entry.participantId);
    return room && participant && participant.removedAt == null ? { room, participant } : null;
  }

  /** Waits until every conference has stored what it decided. */
  async settled(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.settled()));
  }
}
