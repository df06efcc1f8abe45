import type { ConferenceConnection, LiveState } from "../../client/src/live/ConferenceConnection.ts";
import type { Command } from "../../shared/commands.ts";
import type { ConferenceState, Millis } from "../../shared/state.ts";
import { T0 } from "./fixtures.ts";

/** What the fake answers a command: an ack (with a result such as `id`) or a refusal. */
export type FakeAnswer = { ok: true; seq: number; id?: string } | { ok: false; error: { code: string; message: string } };

/**
 * A conference connection without a server, for the views' tests: it holds a live state the test
 * changes (`set`, `setConference`), notes every command the view sends (`sent`) and answers each
 * with `answer` (default: accepted). `now` is the server's clock the views read.
 */
export function fakeConnection(initial: LiveState, options: { now?: Millis; answer?: (command: Command) => FakeAnswer } = {}) {
  let state = initial;
  const listeners = new Set<() => void>();
  const sent: Command[] = [];
  const notify = () => {
    for (const l of listeners) l();
  };
  const connection = {
    subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    getState: () => state,
    serverNow: () => options.now ?? T0,
    send: async (command: Command) => {
      sent.push(command);
      return options.answer ? options.answer(command) : { ok: true as const, seq: 1 };
    },
    renewToken: async () => null,
  };
  return {
    connection: connection as unknown as ConferenceConnection,
    sent,
    /** Replaces parts of the live state (status, me, the whole conference). */
    set(change: Partial<LiveState>) {
      state = { ...state, ...change };
      notify();
    },
    /** Changes parts of the conference's state. */
    setConference(change: Partial<ConferenceState>) {
      state = { ...state, conference: { ...state.conference!, ...change } };
      notify();
    },
  };
}
