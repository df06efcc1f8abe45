import { useSyncExternalStore } from "react";

/**
 * The questions this page has sent, by id (from the ack), with the text as sent. The server never
 * tells a delegate which anonymous question is theirs, nor the text of their own question while it
 * waits for approval; this page remembers both, in memory only (a reload forgets them, and nothing
 * about an anonymous question is written on the device).
 */
let asked: ReadonlyMap<string, string> = new Map();
const listeners = new Set<() => void>();

/** Notes a question this page sent. */
export function rememberAsked(id: string, text: string): void {
  const next = new Map(asked);
  next.set(id, text);
  asked = next;
  for (const listener of listeners) listener();
}

/** Forgets every question this page sent (tests; leaving a conference). */
export function forgetAsked(): void {
  asked = new Map();
  for (const listener of listeners) listener();
}

/** The questions this page has sent (id → text); re-renders when one is added. */
export function useAskedQuestions(): ReadonlyMap<string, string> {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => asked,
  );
}
