import type { ErrorBody, ErrorCode } from "../errors.ts";
import type { DomainEvent } from "../events.ts";

/** What a pure rule answers: the events a command causes, or why it is refused. */
export type Decision =
  | { ok: true; events: DomainEvent[]; result?: Record<string, unknown> }
  | { ok: false; error: ErrorBody };

/** What a rule may not compute itself: the clock and fresh ids. */
export interface DecideContext {
  now: number;
  newId(): string;
}

export function accept(events: DomainEvent[], result?: Record<string, unknown>): Decision {
  return result ? { ok: true, events, result } : { ok: true, events };
}

export function refuse(code: ErrorCode, message: string): Decision {
  return { ok: false, error: { code, message } };
}

/** Compile-time exhaustiveness for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
