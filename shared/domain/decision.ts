import type { AnyCommandResult } from "../commands.ts";
import type { ErrorBody, ErrorCode } from "../errors.ts";
import type { DomainEvent } from "../events.ts";

/** A result as a rule answered it (typed by `accept`), readable by name like an `Ack`'s fields. */
export type DecidedResult = AnyCommandResult & Record<string, unknown>;

/** What a pure rule answers: the events a command causes, or why it is refused. */
export type Decision =
  | { ok: true; events: DomainEvent[]; result?: DecidedResult }
  | { ok: false; error: ErrorBody };

/** What a rule may not compute itself: the clock and fresh ids. */
export interface DecideContext {
  now: number;
  newId(): string;
}

/** Accepts a command: its events, and what its ack carries (one of shared/commands.ts `CommandResults`). */
export function accept(events: DomainEvent[], result?: AnyCommandResult): Decision {
  return result ? { ok: true, events, result } : { ok: true, events };
}

/** Refuses a command with an error code and an English message. */
export function refuse(code: ErrorCode, message: string): Decision {
  return { ok: false, error: { code, message } };
}

/** Compile-time exhaustiveness for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
