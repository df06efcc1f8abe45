import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { AddParticipantBody, CreateConferenceBody } from "../../shared/commands.ts";
import { initialState } from "../../shared/initialState.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { Participant } from "../../shared/state.ts";
import { hashToken, newId, newJoinCode, newToken } from "../ids.ts";
import { ConferenceRoom, type EventsListener } from "./ConferenceRoom.ts";

export interface Identity {
  room: ConferenceRoom;
  participant: Participant;
}

export type AddedParticipant = { ok: true; participant: Participant; token: string } | Extract<Ack, { ok: false }>;

/** All conferences of this server, each in its own directory, and the index of their tokens. */
export class ConferenceRegistry {
  readonly #root: string;
  readonly #rooms = new Map<string, ConferenceRoom>();
  /** sha256(token) → where it belongs. */
  readonly #tokens = new Map<string, { conferenceId: string; participantId: string }>();
  readonly #listeners = new Set<EventsListener>();
  /** What every room calls once its events are stored. */
  readonly #onEvents: EventsListener = (room, events) => {
    for (const listener of this.#listeners) listener(room, events);
  };

  constructor(dataDir: string) {
    this.#root = join(dataDir, "conferences");
  }

  /** Calls `listener` with every conference's events once they are stored; answers the unsubscribe. */
  subscribe(listener: EventsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens every stored conference. */
  async load(): Promise<void> {
    await mkdir(this.#root, { recursive: true });
    for (const entry of await readdir(this.#root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const room = await ConferenceRoom.open(join(this.#root, entry.name), this.#onEvents);
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
    const startsAt = body.startsAt === undefined ? null : new Date(body.startsAt).getTime();
    const state = initialState({
      id,
      title: body.title,
      organisation: body.organisation ?? "",
      venue: body.venue ?? "",
      startsAt,
      language: body.language ?? "vi",
      joinCode: newJoinCode(),
      createdAt: Date.now(),
    });
    const room = await ConferenceRoom.create(join(this.#root, id), state, this.#onEvents);
    this.#rooms.set(id, room);
    const added = await this.addParticipant(room, { name: chairName, role: "chair" });
    if (!added.ok) throw new Error(added.error.message);
    return { room, chairToken: added.token };
  }

  /** Adds a participant and mints their token; the token is usable once it is stored. */
  async addParticipant(
    room: ConferenceRoom,
    body: AddParticipantBody,
  ): Promise<AddedParticipant> {
    const token = newToken();
    const hash = hashToken(token);
    const ack = await room.addParticipant(
      {
        name: body.name,
        organisation: body.organisation ?? "",
        role: body.role,
        attendance: body.attendance ?? "hall",
      },
      hash,
    );
    if (!ack.ok) return ack;
    const participantId = ack.id;
    this.#tokens.set(hash, { conferenceId: room.id, participantId });
    return { ok: true, participant: room.participant(participantId)!, token };
  }

  /** Who holds this token, or null. */
  authenticate(token: unknown): Identity | null {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
    const entry = this.#tokens.get(hashToken(token));
    if (!entry) return null;
    const room = this.#rooms.get(entry.conferenceId);
    const participant = room?.participant(entry.participantId);
    return room && participant ? { room, participant } : null;
  }

  /** Waits until every conference has stored what it decided. */
  async settled(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.settled()));
  }
}
