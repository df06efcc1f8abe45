import { useSyncExternalStore } from "react";

/**
 * The personal links this page has been handed (an import, someone added, a new link issued), for
 * the invitation cards. In memory only, never stored: a link is a password, and a page reload
 * forgets them (the cards then offer to issue new ones).
 */
type Links = ReadonlyMap<string, string>;

const EMPTY: Links = new Map();
const byConference = new Map<string, Links>();
const listeners = new Set<() => void>();

/** Remembers participants' links (`url` as the server answers it, `<base>/c/<id>#t=<token>`). */
export function rememberLinks(conferenceId: string, links: readonly { id: string; url: string }[]): void {
  if (links.length === 0) return;
  const next = new Map(byConference.get(conferenceId) ?? EMPTY);
  for (const { id, url } of links) next.set(id, url);
  byConference.set(conferenceId, next);
  for (const listener of listeners) listener();
}

/** Forgets a participant's link (they were removed: it no longer works). */
export function forgetLink(conferenceId: string, participantId: string): void {
  const known = byConference.get(conferenceId);
  if (!known?.has(participantId)) return;
  const next = new Map(known);
  next.delete(participantId);
  byConference.set(conferenceId, next);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The links known in this page, by participant id; re-renders when one is added. */
export function useKnownLinks(conferenceId: string): Links {
  const get = () => byConference.get(conferenceId) ?? EMPTY;
  return useSyncExternalStore(subscribe, get, get);
}
