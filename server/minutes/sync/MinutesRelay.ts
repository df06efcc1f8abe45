import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import * as Y from "yjs";
import type { MinutesCluster } from "./minutesCluster.ts";
import type { MinutesPeers, PeerListener } from "./MinutesStore.ts";

/**
 * Longest wait for Redis to confirm a subscription before a document loads without it: the minutes
 * stay usable while Redis is away, and what this server missed meanwhile is loaded again later.
 */
const JOIN_WAIT_MS = 1_000;

/** What a message carries after the sender's id: a stored update, word that some were not relayed, or writers' cursors. */
const KIND = { update: 0, reload: 1, awareness: 2 } as const;
const SENDER_BYTES = 8;
const HEADER_BYTES = SENDER_BYTES + 1;

/**
 * The minutes' relay between servers through Redis pub/sub (issue 18). Each conference has a
 * channel, `<prefix>:minutes:<conference>`; a server publishes there each batch it has stored
 * (once the insert has committed), and every other server with that conference's document open
 * applies it. A message is the sender's id (its own are ignored), a kind, and the update.
 *
 * Pub/sub keeps nothing for a connection that is away, so:
 * - whenever the subscribing connection is ready again, it subscribes again and every store that
 *   listens loads what is stored (`missed`): Yjs ignores what a document already has;
 * - a publish that failed is followed, once the publishing connection is ready again, by a
 *   `reload` message on that channel, which makes the others load what is stored.
 */
export class MinutesRelay {
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #sender = randomBytes(SENDER_BYTES);
  /** Listeners by channel: the stores with a document open (or about to be). */
  readonly #listeners = new Map<string, PeerListener>();
  /** Conferences whose batches may not have reached the others: a `reload` goes once Redis is back. */
  readonly #unannounced = new Set<string>();
  /** Whether the subscriber's loss has been logged (once per loss, not per reconnection attempt). */
  #lossLogged = false;
  readonly #onPublisherReady = () => this.#announce();

  constructor(cluster: MinutesCluster) {
    this.#redis = cluster.redis;
    this.#prefix = cluster.prefix;
    this.#subscriber = cluster.subscriber();
    this.#subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => this.#receive(channel.toString(), message));
    this.#subscriber.on("ready", () => void this.#resubscribe());
    this.#subscriber.on("error", (error: Error) => {
      if (this.#lossLogged) return;
      this.#lossLogged = true;
      console.error("minutes relay: Redis subscriber:", error.message);
    });
    this.#redis.on("ready", this.#onPublisherReady);
  }

  /** The peers of one conference's store. */
  peersOf(conferenceId: string): MinutesPeers {
    const channel = this.#channel(conferenceId);
    return {
      join: (listener) => this.#join(channel, listener),
      leave: () => this.#leave(channel),
      publish: (updates) => this.#publish(conferenceId, channel, updates),
      publishAwareness: (update) => {
        this.#redis.publish(channel, Buffer.concat([this.#sender, Buffer.of(KIND.awareness), update])).catch(() => undefined);
      },
    };
  }

  /** Stops listening and closes the subscribing connection (not the publishing one, which is lent). */
  close(): void {
    this.#redis.off("ready", this.#onPublisherReady);
    this.#listeners.clear();
    this.#subscriber.disconnect();
  }

  #channel(conferenceId: string): string {
    return `${this.#prefix}:minutes:${conferenceId}`;
  }

  async #join(channel: string, listener: PeerListener): Promise<void> {
    this.#listeners.set(channel, listener);
    // Not ready yet (or away): it subscribes to every channel once it is. ioredis would send a
    // SUBSCRIBE before its ready check, which then fails and costs a reconnection.
    if (this.#subscriber.status !== "ready") return;
    const subscribed = this.#subscriber.subscribe(channel).then(
      () => true,
      // Not subscribed: the connection is away, and subscribes again when it is ready.
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<"waited">((resolve) => {
      timer = setTimeout(() => resolve("waited"), JOIN_WAIT_MS);
      timer.unref();
    });
    const outcome = await Promise.race([subscribed, waited]);
    clearTimeout(timer);
    if (outcome !== "waited") return;
    // The load goes on meanwhile, and may read before what arrives between it and the subscription.
    void subscribed.then((ok) => {
      if (ok && this.#listeners.get(channel) === listener) listener.missed();
    });
  }

  #leave(channel: string): void {
    if (!this.#listeners.delete(channel)) return;
    // A later join subscribes again after this, in order, on the same connection.
    this.#subscriber.unsubscribe(channel).catch(() => undefined);
  }

  #publish(conferenceId: string, channel: string, updates: readonly Uint8Array[]): void {
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);
    const message = Buffer.concat([this.#sender, Buffer.of(KIND.update), update]);
    this.#redis.publish(channel, message).catch((error: Error) => {
      if (this.#unannounced.size === 0) console.error("minutes relay: publishing failed:", error.message);
      this.#unannounced.add(conferenceId);
    });
  }

  #receive(channel: string, message: Buffer): void {
    const listener = this.#listeners.get(channel);
    if (!listener || message.length < HEADER_BYTES || message.subarray(0, SENDER_BYTES).equals(this.#sender)) return;
    const kind = message[SENDER_BYTES];
    // A copy: the message may be a view into a larger buffer of the connection's.
    if (kind === KIND.update) listener.heard(new Uint8Array(message.subarray(HEADER_BYTES)));
    else if (kind === KIND.reload) listener.missed();
    else if (kind === KIND.awareness) listener.heardAwareness(new Uint8Array(message.subarray(HEADER_BYTES)));
  }

  /** The subscriber is (again) ready: subscribed once more, whatever was missed meanwhile is loaded. */
  async #resubscribe(): Promise<void> {
    if (this.#lossLogged) console.warn("minutes relay: Redis subscriber ready again");
    this.#lossLogged = false;
    const channels = [...this.#listeners.keys()];
    if (channels.length === 0) return;
    try {
      await this.#subscriber.subscribe(...channels);
    } catch {
      return; // away again: the next ready does this again
    }
    for (const channel of channels) this.#listeners.get(channel)?.missed();
  }

  /** The publisher is (again) ready: the others are told to load what they may have missed. */
  #announce(): void {
    for (const conferenceId of this.#unannounced) {
      this.#unannounced.delete(conferenceId);
      this.#redis.publish(this.#channel(conferenceId), Buffer.concat([this.#sender, Buffer.of(KIND.reload)])).catch(() => this.#unannounced.add(conferenceId));
    }
  }
}
