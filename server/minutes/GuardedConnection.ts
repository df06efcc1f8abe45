import { EventEmitter } from "node:events";
import { WebSocket, type RawData } from "ws";
import { acceptsFromClient, classifyMessage, sendsToClient } from "./messages.ts";

/** Holds a message until what it may carry is on disk (MinutesStore.afterDurable). */
export type DurabilityBarrier = (deliver: () => void) => void;

type SendCallback = (error?: Error | null) => void;

/**
 * What `setupWSConnection` of @y/websocket-server sees instead of the real socket: the same
 * small surface (`on`, `send`, `ping`, `close`, `readyState`, `binaryType`), with two guards.
 * Incoming: a reader's sync step 2, updates and awareness never reach the document.
 * Outgoing: every message waits for the durability barrier, and readers get no awareness.
 */
export class GuardedConnection extends EventEmitter {
  readonly #socket: WebSocket;
  readonly #canWrite: boolean;
  readonly #barrier: DurabilityBarrier;
  /** Messages from a reader that were dropped, for tests and logs. */
  dropped = 0;

  constructor(socket: WebSocket, canWrite: boolean, barrier: DurabilityBarrier) {
    super();
    this.#socket = socket;
    this.#canWrite = canWrite;
    this.#barrier = barrier;
    socket.binaryType = "arraybuffer";
    socket.on("message", (data: RawData, isBinary: boolean) => this.#receive(data, isBinary));
    socket.on("close", (code: number, reason: Buffer) => this.emit("close", code, reason));
    socket.on("pong", (data: Buffer) => this.emit("pong", data));
    socket.on("error", () => socket.terminate());
  }

  get readyState(): number {
    return this.#socket.readyState;
  }

  /** The library sets this; the real socket already delivers ArrayBuffers. */
  set binaryType(_value: string) {}

  get binaryType(): string {
    return "arraybuffer";
  }

  send(message: Uint8Array, _options?: unknown, callback?: SendCallback): void {
    if (!sendsToClient(classifyMessage(message), this.#canWrite)) {
      callback?.(null);
      return;
    }
    this.#barrier(() => {
      if (this.#socket.readyState !== WebSocket.OPEN) return callback?.(new Error("the socket is closed"));
      this.#socket.send(message, { binary: true }, callback);
    });
  }

  ping(): void {
    this.#socket.ping();
  }

  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  #receive(data: RawData, isBinary: boolean): void {
    if (!isBinary) return;
    const buffer = toArrayBuffer(data);
    if (!acceptsFromClient(classifyMessage(new Uint8Array(buffer)), this.#canWrite)) {
      this.dropped++;
      return;
    }
    this.emit("message", buffer);
  }
}

function toArrayBuffer(data: RawData): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
