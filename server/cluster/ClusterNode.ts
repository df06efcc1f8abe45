import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import type { Pool } from "pg";
import type { Command } from "../../shared/commands.ts";
import type { PresenceChange, WireEvent } from "../../shared/events.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { Actor, ConferenceState } from "../../shared/state.ts";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import { LOST, type ConferenceRoom } from "../conferences/ConferenceRoom.ts";
import type { AppServer, Presence } from "../realtime/socketServer.ts";
import { ConferenceReplica, type OwnerLink } from "./ConferenceReplica.ts";
import { LEASE, Leases } from "./leases.ts";
import { ClusterPresence } from "./presence.ts";
import { sharedLimits } from "./sharedLimits.ts";
import { Rpc, RpcTimeout } from "./rpc.ts";

export interface ClusterOptions {
  redisUrl: string;
  pool: Pool;
  /** Prefix of every Redis key and channel: servers with the same one form a cluster. */
  prefix: string;
  serverId?: string;
}

/**
 * What servers tell each other through the adapter's stream, in the order the owner broadcasts:
 * a stored batch (`events`, with the token hashes it changed), a conference's whole state (a
 * replica starting or catching up, a takeover), who is online, and a server's own connections
 * (`here`).
 */
type Entry =
  | { k: "events"; c: string; events: WireEvent[]; tokens?: Record<string, string | null> }
  | { k: "snapshot"; c: string; o: string; state: ConferenceState; tokenHashes: Record<string, string>; online: string[] }
  | { k: "presence"; c: string; changes: PresenceChange[] }
  | { k: "here"; c: string; s: string; online: string[] };

/** What one server asks of another (the owner of a conference). */
type Request =
  | { k: "command"; c: string; command: Command; participantId: string; commandId?: string }
  | { k: "arrived"; c: string; participantId: string }
  | { k: "snapshot"; c: string };

/** The answer of a server that does not own the conference (any more): ask its owner. */
const MOVED = { moved: true } as const;

/** How long a forwarded command may take, retries to a new owner included (a client waits 15 s). */
const FORWARD_MS = 12_000;
/** How long one forwarded request waits for its answer. */
const REQUEST_MS = 4_000;
/** How often a server tells the owners who is connected to it, even unchanged (its heartbeat). */
const HERE_EVERY_MS = 5_000;
/** A server not heard from for this long has no connections any more, as far as owners know. */
const HERE_EXPIRES_MS = 12_000;

const EVENT = "r";
/** Who was online when a conference was taken over, kept as if a server said so (see `#promote`). */
const BEFORE_TAKEOVER = "(before the takeover)";
/** The adapter's message type of a broadcast (socket.io-adapter's `MessageType.BROADCAST`). */
const BROADCAST = 3;

const unavailable = (message: string): Ack => ({ ok: false, error: { code: "unavailable", message } });

/**
 * This server's part in a cluster (issue 18): PostgreSQL is the record, Redis carries what moves.
 *
 * - **Ownership.** Each conference has one owner at a time, by lease (`Leases`): it decides with
 *   the pure rules and stores, fenced by its epoch. A conference nobody holds is taken by the
 *   first server that needs it; a dead owner's lease runs out and a server with clients of the
 *   conference takes it over, reloading it from PostgreSQL.
 * - **Fan-out** goes through the Socket.IO Redis streams adapter: the owner's broadcasts reach the
 *   clients of every server. Each stored batch is also written into the same stream (a namespace
 *   of its own, `/cluster`, that no client may join), just before its broadcasts: every other
 *   server folds it into its replica (`ConferenceReplica`) at the very place in the stream where
 *   its clients get the events, so a snapshot it sends on connect is exactly as of the events its
 *   clients have had.
 * - **Forwarding.** A command sent to a server that does not own its conference goes to the owner
 *   over Redis (`Rpc`), and the ack comes back the same way. A command with a `commandId` is
 *   retried with the new owner after a takeover: the owner answers a retry with the first ack.
 */
export class ClusterNode implements OwnerLink {
  readonly serverId: string;
  readonly redis: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  /** The prefix of every Redis key and channel of the cluster. */
  get prefix(): string {
    return this.#prefix;
  }
  readonly #rpc: Rpc;
  readonly #leases: Leases;
  readonly #registry: ConferenceRegistry;
  #io: AppServer | null = null;
  #presence: ClusterPresence | null = null;
  /** Conferences owned here → the lease epoch. */
  readonly #epochs = new Map<string, number>();
  /** Conferences replicated here → their owner, as last known. */
  readonly #owners = new Map<string, string | null>();
  /** Conferences waiting for a snapshot from their owner → who waits. */
  readonly #awaiting = new Map<string, (() => void)[]>();
  /** Per owned conference: each server's connected participants, and when it last said so. */
  readonly #here = new Map<string, Map<string, { online: Set<string>; at: number }>>();
  readonly #timers: NodeJS.Timeout[] = [];
  #renewing = false;
  #watching = false;
  /** Budgets and connection caps over every server (a Redis client of its own that fails at once rather than wait). */
  readonly limits: ReturnType<typeof sharedLimits>;
  readonly #limitsRedis: Redis;
  #closed = false;
  #url: string | null = null;
  #peerSecret: string = randomUUID();

  private constructor(options: ClusterOptions, registry: ConferenceRegistry) {
    this.serverId = options.serverId ?? randomUUID();
    this.#prefix = options.prefix;
    // Commands wait out a Redis restart rather than fail: the adapter's broadcasts then resume in order.
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.#subscriber = this.redis.duplicate();
    for (const client of [this.redis, this.#subscriber]) client.on("error", (error) => console.error("Redis:", error.message));
    this.#rpc = new Rpc(this.redis, this.#subscriber, this.#prefix, this.serverId);
    this.#rpc.handle((request) => this.#answer(request as Request));
    this.#leases = new Leases(options.pool, this.serverId);
    this.#limitsRedis = this.redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.#limitsRedis.on("error", () => undefined);
    this.limits = sharedLimits(this.#limitsRedis, this.#prefix, this.serverId);
    this.#registry = registry;
    registry.replicator = (room, events, tokens) => this.#replicate(room, events, tokens);
    registry.onLost = (room) => void this.#demote(room.id, room);
    registry.opener = (conferenceId) => this.#join(conferenceId);
    // Connected elsewhere, as those servers last said (`here`): an owner keeps such a conference.
    registry.usedElsewhere = (conferenceId) => [...(this.#here.get(conferenceId)?.entries() ?? [])].some(([s, h]) => s !== this.serverId && h.online.size > 0);
    registry.onUnloaded = (conferenceId) => void this.#unloaded(conferenceId);
    // Created here: held from its first write, at epoch 1 (other servers open it when asked for it).
    registry.onCreated = (room) => void this.#epochs.set(room.id, 1);
  }

  static async connect(options: ClusterOptions, registry: ConferenceRegistry): Promise<ClusterNode> {
    const node = new ClusterNode(options, registry);
    await node.#rpc.ready;
    await node.#agreeOnSecret();
    return node;
  }

  /**
   * What servers of the cluster show each other when one passes on a client's REST call, so that
   * the owner may take the client's address from it (`x-giaoban-client`), as no client can.
   */
  get peerSecret(): string {
    return this.#peerSecret;
  }

  /** The first server's secret stands (set again by whoever finds it gone, after a Redis restart). */
  async #agreeOnSecret(): Promise<void> {
    const key = `${this.#prefix}:peer-secret`;
    await this.redis.set(key, this.#peerSecret, "NX");
    this.#peerSecret = (await this.redis.get(key)) ?? this.#peerSecret;
  }

  /** The presence of the whole cluster, for the realtime side. */
  presence = (send: (conferenceId: string, changes: PresenceChange[]) => void, intervalMs: number): Presence => {
    this.#presence = new ClusterPresence(intervalMs, send, (conferenceId, online) => this.#reportHere(conferenceId, online));
    return this.#presence;
  };

  /** Puts the Socket.IO server on the Redis streams adapter, and listens to the cluster's entries. */
  attach(io: AppServer): void {
    this.#io = io;
    io.adapter(createAdapter(this.redis, { streamName: `${this.#prefix}:stream`, channelPrefix: `${this.#prefix}:sio`, maxLen: 100_000 }));
    const cluster = io.of("/cluster");
    cluster.use((_socket, next) => next(new Error("not_found")));
    const adapter = cluster.adapter as unknown as {
      uid: string;
      onRawMessage(raw: { uid: string }, offset: string): void;
      constructor: { decode(raw: unknown): { type: number; data?: { packet?: { data?: unknown[] } } } };
    };
    const forward = adapter.onRawMessage.bind(adapter);
    adapter.onRawMessage = (raw, offset) => {
      if (raw.uid === adapter.uid) return;
      let message;
      try {
        message = adapter.constructor.decode(raw);
      } catch {
        return;
      }
      const data = message.type === BROADCAST ? message.data?.packet?.data : undefined;
      if (data?.[0] !== EVENT) return forward(raw, offset);
      try {
        this.#receive(data[1] as Entry);
      } catch (error) {
        console.error("a cluster entry could not be applied:", (error as Error).message);
      }
    };
  }

  /**
   * Says where this server is reached and keeps the leases from now on; conferences are taken or
   * replicated when first asked for (`registry.open`).
   */
  async start(url: string): Promise<void> {
    this.#url = url;
    this.#announce();
    const every = (ms: number, run: () => Promise<void> | void) => {
      const timer = setInterval(() => void run(), ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(LEASE.renewMs, () => this.#renew());
    every(LEASE.watchMs, () => this.#watch());
    every(HERE_EVERY_MS, () => this.#heartbeat());
  }

  /** Where another server reaches this one over HTTP (the REST calls it passes on), or null. */
  async urlOf(serverId: string): Promise<string | null> {
    return this.redis.get(`${this.#prefix}:server:${serverId}`);
  }

  /** The owner of a conference replicated here, as last known. */
  ownerOf(conferenceId: string): string | null {
    return this.#owners.get(conferenceId) ?? null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    // Leases given back: the conferences move at once instead of after the lease.
    await Promise.all([...this.#epochs].map(([id, epoch]) => this.#leases.release(id, epoch).catch(() => undefined)));
    this.#rpc.close();
    this.limits.stop();
    this.#limitsRedis.disconnect();
    this.#subscriber.disconnect();
    this.redis.disconnect();
  }

  // ── owner link (a replica's commands) ─────────────────────────────────────────────────────────

  async execute(conferenceId: string, command: Command, actor: Actor, commandId: string | undefined): Promise<Ack> {
    const deadline = Date.now() + FORWARD_MS;
    // A command forwarded without an id gets one here, so that sending it again after a silence
    // (its owner died, or Redis blinked) applies it once all the same.
    const retryId = commandId ?? `fwd-${randomUUID()}`;
    for (;;) {
      const local = this.#registry.get(conferenceId);
      if (local && !local.lost) return local.execute(command, actor, retryId);
      const owner = this.#owners.get(conferenceId);
      if (owner) {
        try {
          const request: Request = { k: "command", c: conferenceId, command, participantId: actor.participantId, commandId: retryId };
          const reply = await this.#rpc.call(owner, request, REQUEST_MS);
          if (reply && typeof reply === "object" && "ok" in reply) return reply as Ack;
        } catch (error) {
          if (!(error instanceof RpcTimeout)) throw error;
        }
      }
      if (Date.now() > deadline) return unavailable("the conference's server could not be reached");
      await this.#findOwner(conferenceId);
    }
  }

  async recordArrival(conferenceId: string, participantId: string): Promise<Ack> {
    const owner = this.#owners.get(conferenceId);
    if (!owner) return unavailable("no owner");
    const reply = await this.#rpc.call(owner, { k: "arrived", c: conferenceId, participantId } satisfies Request, REQUEST_MS).catch(() => null);
    return reply && typeof reply === "object" && "ok" in reply ? (reply as Ack) : unavailable("not recorded");
  }

  // ── what other servers ask ────────────────────────────────────────────────────────────────────

  async #answer(request: Request): Promise<unknown> {
    const room = this.#registry.get(request.c);
    if (!room || room.lost) return MOVED;
    this.#registry.touch(room.id);
    switch (request.k) {
      case "command": {
        const participant = room.participant(request.participantId);
        if (!participant) return { ok: false, error: { code: "unauthorized", message: "unknown participant" } } satisfies Ack;
        const ack = await room.execute(request.command, { participantId: participant.id, role: participant.role }, request.commandId);
        return !ack.ok && ack.error === LOST ? MOVED : ack;
      }
      case "arrived":
        return room.recordArrival(request.participantId);
      case "snapshot":
        this.#emitSnapshot(room);
        return { ok: true };
    }
  }

  // ── the stream ────────────────────────────────────────────────────────────────────────────────

  #emit(entry: Entry): void {
    if (this.#closed) return;
    (this.#io?.of("/cluster") as { emit(event: string, entry: Entry): boolean } | undefined)?.emit(EVENT, entry);
  }

  /** An owned room's batch is stored: into the stream, before its broadcasts. */
  #replicate(room: ConferenceRoom, events: WireEvent[], tokens: Record<string, string | null> | undefined): void {
    this.#emit({ k: "events", c: room.id, events, ...(tokens && { tokens }) });
  }

  #emitSnapshot(room: ConferenceRoom): void {
    const state = room.latest();
    const online = [...(this.#presence?.sent(room.id).online ?? [])];
    this.#emit({ k: "snapshot", c: room.id, o: this.serverId, state, tokenHashes: Object.fromEntries(room.tokenHashes()), online });
  }

  #receive(entry: Entry): void {
    switch (entry.k) {
      case "events": {
        if (this.#awaiting.has(entry.c) || !this.#owners.has(entry.c)) return;
        if (!this.#registry.applyReplicated(entry.c, entry.events, entry.tokens)) void this.#resync(entry.c);
        return;
      }
      case "snapshot": {
        if (this.#registry.get(entry.c) || !this.#owners.has(entry.c)) return;
        // From the owner: after a takeover, the first word of the new one.
        this.#owners.set(entry.c, entry.o);
        const current = this.#registry.view(entry.c);
        this.#presence?.adopt(entry.c, entry.online);
        const waiting = this.#awaiting.get(entry.c);
        this.#awaiting.delete(entry.c);
        // Another server's catching up: ours is already there.
        if (!waiting && current && current.published.seq === entry.state.seq) return this.#tellOwnerWhoIsHere(entry.c);
        this.#registry.replicate(new ConferenceReplica(this.#registry.dirOf(entry.c), entry.state, entry.tokenHashes, this));
        for (const done of waiting ?? []) done();
        this.#tellOwnerWhoIsHere(entry.c);
        return;
      }
      case "presence":
        if (!this.#registry.get(entry.c)) this.#presence?.apply(entry.c, entry.changes);
        return;
      case "here":
        if (this.#registry.get(entry.c)) this.#noteHere(entry.c, entry.s, entry.online);
        return;
    }
  }

  // ── presence ──────────────────────────────────────────────────────────────────────────────────

  /** This server's connections to a conference changed: its owner merges them with the others'. */
  #reportHere(conferenceId: string, online: string[]): void {
    if (this.#registry.get(conferenceId)) this.#noteHere(conferenceId, this.serverId, online);
    else this.#emit({ k: "here", c: conferenceId, s: this.serverId, online });
  }

  /** A snapshot came from the owner (perhaps a new one): it hears at once who is connected here. */
  #tellOwnerWhoIsHere(conferenceId: string): void {
    const local = this.#presence?.local(conferenceId) ?? [];
    if (local.length > 0) this.#reportHere(conferenceId, local);
  }

  #heartbeat(): void {
    for (const conferenceId of this.#presence?.conferences() ?? []) this.#reportHere(conferenceId, this.#presence!.local(conferenceId));
    const now = Date.now();
    for (const [conferenceId, servers] of this.#here) {
      for (const [serverId, here] of servers) if (now - here.at > HERE_EXPIRES_MS) servers.delete(serverId);
      this.#publishPresence(conferenceId);
    }
  }

  #noteHere(conferenceId: string, serverId: string, online: string[]): void {
    let servers = this.#here.get(conferenceId);
    if (!servers) this.#here.set(conferenceId, (servers = new Map()));
    servers.set(serverId, { online: new Set(online), at: Date.now() });
    this.#publishPresence(conferenceId);
  }

  /** The owner sends who is online over all servers, as changes since it last did. */
  #publishPresence(conferenceId: string): void {
    const presence = this.#presence;
    if (!presence) return;
    const online = new Set<string>();
    for (const here of this.#here.get(conferenceId)?.values() ?? []) for (const id of here.online) online.add(id);
    const sent = presence.sent(conferenceId).online;
    const changes: PresenceChange[] = [];
    for (const id of online) if (!sent.has(id)) changes.push({ participantId: id, online: true });
    for (const id of sent) if (!online.has(id)) changes.push({ participantId: id, online: false });
    if (changes.length === 0) return;
    this.#emit({ k: "presence", c: conferenceId, changes });
    presence.apply(conferenceId, changes);
    presence.send(conferenceId, changes);
  }

  // ── ownership ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Owns or replicates a conference, trying until one holds: an owner that does not answer may be
   * dead, and its lease runs out within `LEASE.ms`.
   */
  async #join(conferenceId: string): Promise<void> {
    for (let attempt = 0; attempt < 10 && !this.#closed; attempt++) {
      try {
        if ((await this.#claim(conferenceId)) === "missing") return;
      } catch (error) {
        console.error(`conference ${conferenceId}: could not be opened:`, (error as Error).message);
      }
      if (this.#registry.view(conferenceId)) return;
      await new Promise((resolve) => setTimeout(resolve, LEASE.renewMs));
    }
  }

  /** Owns a conference if nobody holds it, else replicates it from its owner. */
  async #claim(conferenceId: string): Promise<"missing" | void> {
    if (this.#closed || this.#epochs.has(conferenceId)) return;
    const acquired = await this.#leases.acquire(conferenceId);
    if (acquired.ok) return this.#promote(conferenceId, acquired.epoch);
    if (!acquired.stored) return "missing";
    this.#owners.set(conferenceId, acquired.owner);
    if (!this.#registry.view(conferenceId)) await this.#resync(conferenceId);
  }

  /** Owns a conference at `epoch`: loaded from PostgreSQL, in place of its replica. */
  async #promote(conferenceId: string, epoch: number): Promise<void> {
    this.#epochs.set(conferenceId, epoch);
    this.#owners.delete(conferenceId);
    this.#awaiting.delete(conferenceId);
    const room = await this.#registry.own(conferenceId, epoch);
    console.log(`conference ${conferenceId}: owned by this server (${this.serverId}) at epoch ${epoch}`);
    if (!room) {
      this.#epochs.delete(conferenceId);
      return;
    }
    // Who was online stays so until the other servers have said who is connected to them (they do
    // on the snapshot below), rather than flicker offline; it lapses like a silent server's.
    const before = this.#presence?.sent(conferenceId).online;
    if (before && before.size > 0) this.#here.set(conferenceId, new Map([[BEFORE_TAKEOVER, { online: new Set(before), at: Date.now() }]]));
    // Every other server's replica catches up (the old owner may have stored batches it never broadcast).
    this.#emitSnapshot(room);
    const here = this.#presence?.local(conferenceId);
    if (here) this.#noteHere(conferenceId, this.serverId, here);
  }

  /** The conference is another server's now: replicated from what this one has, then caught up. */
  async #demote(conferenceId: string, room?: ConferenceRoom): Promise<void> {
    const owned = this.#registry.get(conferenceId);
    // Handed over already (its lease found lost, then a write of it fenced, or the other way round).
    if (!owned || (room && owned !== room)) return;
    console.log(`conference ${conferenceId}: no longer owned by this server (${this.serverId})`);
    this.#epochs.delete(conferenceId);
    this.#here.delete(conferenceId);
    this.#registry.replicate(new ConferenceReplica(owned.dir, owned.published, Object.fromEntries(owned.tokenHashes()), this));
    this.#owners.set(conferenceId, null);
    await this.#findOwner(conferenceId);
  }

  /** Asks the owner for the conference's state and waits (a while) for it to come through the stream. */
  async #resync(conferenceId: string): Promise<void> {
    const owner = this.#owners.get(conferenceId);
    if (!owner) return;
    const arrived = new Promise<boolean>((resolve) => {
      const waiting = this.#awaiting.get(conferenceId) ?? [];
      this.#awaiting.set(conferenceId, waiting);
      waiting.push(() => resolve(true));
      setTimeout(() => resolve(false), REQUEST_MS).unref();
    });
    await this.#rpc.call(owner, { k: "snapshot", c: conferenceId } satisfies Request, REQUEST_MS).catch(() => null);
    await arrived;
  }

  /** Looks the owner up again (after a silence or a refusal), taking the conference if nobody holds it. */
  async #findOwner(conferenceId: string): Promise<void> {
    const before = this.#owners.get(conferenceId);
    let owner: string | null | undefined;
    try {
      owner = (await this.#leases.owners([conferenceId])).get(conferenceId);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return;
    }
    if (owner === undefined) return;
    if (owner === null) {
      await this.#claim(conferenceId);
      return;
    }
    if (owner === this.serverId) return;
    this.#owners.set(conferenceId, owner);
    if (owner !== before) await this.#resync(conferenceId);
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }

  /**
   * Each second, the leases held are renewed: on its own timer, waiting on nothing but that one
   * query, so that a slow catching-up elsewhere (or Redis away) never lets a lease run out.
   */
  async #renew(): Promise<void> {
    if (this.#renewing || this.#closed) return;
    this.#renewing = true;
    try {
      for (const lost of await this.#leases.renew(this.#epochs)) void this.#demote(lost);
    } catch (error) {
      // PostgreSQL away: nothing is given up meanwhile; appends wait on their own.
      console.error("cluster: renewing the leases:", (error as Error).message);
    } finally {
      this.#renewing = false;
    }
  }

  /** Each second: this server says it is alive, and the owners of its replicas are checked. */
  async #watch(): Promise<void> {
    if (this.#watching || this.#closed) return;
    this.#watching = true;
    try {
      this.#announce();
      void this.#agreeOnSecret().catch(() => undefined);
      const replicated = [...this.#owners.keys()];
      if (replicated.length === 0) return;
      const owners = await this.#leases.owners(replicated);
      for (const [conferenceId, owner] of owners) {
        const known = this.#owners.get(conferenceId);
        if (owner === null) await this.#claim(conferenceId);
        else if (owner !== known && owner !== this.serverId) {
          this.#owners.set(conferenceId, owner);
          await this.#resync(conferenceId);
        }
      }
    } catch (error) {
      // PostgreSQL away: nothing is taken meanwhile.
      console.error("cluster: watching the owners:", (error as Error).message);
    } finally {
      this.#watching = false;
    }
  }

  /** An idle conference left this server: its lease is given back, or its replica forgotten. */
  async #unloaded(conferenceId: string): Promise<void> {
    this.#owners.delete(conferenceId);
    this.#awaiting.delete(conferenceId);
    this.#here.delete(conferenceId);
    const epoch = this.#epochs.get(conferenceId);
    this.#epochs.delete(conferenceId);
    if (epoch === undefined) return;
    await this.#leases.release(conferenceId, epoch).catch(() => undefined);
    console.log(`conference ${conferenceId}: unloaded as idle, its lease given back (${this.serverId})`);
  }

  /** Says where this server is (never awaited: a Redis restart must not hold the leases' renewal up). */
  #announce(): void {
    if (this.#url) this.redis.set(`${this.#prefix}:server:${this.serverId}`, this.#url, "PX", HERE_EXPIRES_MS).catch(() => undefined);
  }
}
