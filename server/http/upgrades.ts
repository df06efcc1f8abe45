import type { Duplex } from "node:stream";
import { httpStatusOf, type ErrorCode } from "../../shared/errors.ts";

const REASONS: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

/**
 * Answers a websocket upgrade that is not taken with a plain HTTP error and closes the socket,
 * so no refused upgrade holds a descriptor.
 */
export function refuseUpgrade(socket: Duplex, code: ErrorCode, message: string): void {
  const status = httpStatusOf[code];
  const body = JSON.stringify({ error: { code, message } });
  socket.once("finish", () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\n` +
      "Connection: close\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A peer that never reads must not keep the socket open either.
  setTimeout(() => socket.destroy(), 2_000).unref();
}

/** Live connections per key (a token, an address), for caps such as LIMITS.connectionsPerToken. */
export class ConnectionCounter {
  readonly #counts = new Map<string, number>();

  /** Counts one more for `key` unless it already holds `max`; answers whether it was counted. */
  tryOpen(key: string, max: number): boolean {
    const count = this.#counts.get(key) ?? 0;
    if (count >= max) return false;
    this.#counts.set(key, count + 1);
    return true;
  }

  close(key: string): void {
    const count = this.#counts.get(key) ?? 0;
    if (count <= 1) this.#counts.delete(key);
    else this.#counts.set(key, count - 1);
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
}
