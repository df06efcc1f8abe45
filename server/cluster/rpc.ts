import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** A request another server could not answer in time (it may be dead, or Redis away). */
export class RpcTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RpcTimeout";
  }
}

type Envelope = { id: string; from: string; request: unknown } | { id: string; reply: unknown };

/**
 * Requests between servers over Redis Pub/Sub: each server listens on its own channel; a reply
 * goes to the asker's. Pub/Sub keeps nothing: a request or reply lost with a Redis blip is a
 * timeout, and what is asked must be safe to ask again (commands carry their `commandId`).
 */
export class Rpc {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #serverId: string;
  readonly #pending = new Map<string, (reply: unknown) => void>();
  #handler: (request: unknown, from: string) => Promise<unknown> = async () => null;
  readonly ready: Promise<unknown>;

  constructor(publisher: Redis, subscriber: Redis, prefix: string, serverId: string) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    this.#serverId = serverId;
    this.#subscriber.on("messageBuffer", (_channel: Buffer, message: Buffer) => this.#receive(message));
    this.ready = this.#subscriber.subscribe(this.#channel(serverId));
  }

  /** Answers requests from other servers (a rejection answers null). */
  handle(handler: (request: unknown, from: string) => Promise<unknown>): void {
    this.#handler = handler;
  }

  /** Asks `serverId`; rejects with `RpcTimeout` when no answer comes within `timeoutMs`. */
  call(serverId: string, request: unknown, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RpcTimeout(`server ${serverId} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.#send(serverId, { id, from: this.#serverId, request });
    });
  }

  #channel(serverId: string): string {
    return `${this.#prefix}:rpc:${serverId}`;
  }

  #send(serverId: string, envelope: Envelope): void {
    // Offline, ioredis queues it; a failure is the caller's timeout.
    this.#publisher.publish(this.#channel(serverId), JSON.stringify(envelope)).catch(() => undefined);
  }

  #receive(message: Buffer): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.toString("utf8")) as Envelope;
    } catch {
      return;
    }
    if ("reply" in envelope) {
      const settle = this.#pending.get(envelope.id);
      this.#pending.delete(envelope.id);
      settle?.(envelope.reply);
      return;
    }
    const { id, from, request } = envelope;
    this.#handler(request, from).then(
      (reply) => this.#send(from, { id, reply: reply ?? null }),
      (error: unknown) => {
        console.error(`a request from server ${from} failed:`, (error as Error)?.message);
        this.#send(from, { id, reply: null });
      },
    );
  }

  /** Fails every request still waiting (the server stops). */
  close(): void {
    for (const settle of this.#pending.values()) settle(null);
    this.#pending.clear();
  }
}
