import { useSyncExternalStore } from "react";

/**
 * A vote this page has sent and the server has not shown as stored yet. `sent`: waiting for its
 * ack, which for a secret poll comes only once the vote is stored with others (in a batch, or with
 * the close). `held`: the server refused a second try as already voted while the poll does not list
 * us yet, so it holds our first vote in its pool.
 */
export interface SentVote {
  optionId: string;
  status: "sent" | "held";
}

let votes: ReadonlyMap<string, SentVote> = new Map();
const listeners = new Set<() => void>();

function publish(next: Map<string, SentVote>) {
  votes = next;
  for (const listener of listeners) listener();
}

/**
 * Notes (or forgets, with null) the vote under way on a ballot, by its `ballotKey` (the poll, and
 * for a proxy's ballot the giver). Kept outside the ballot so that the pending state survives the
 * ballot moving to another open poll, and the page can skip a ballot whose vote is under way.
 */
export function setSentVote(key: string, vote: SentVote | null): void {
  const next = new Map(votes);
  if (vote) next.set(key, vote);
  else next.delete(key);
  publish(next);
}

/** The vote under way on a ballot (by `ballotKey`), as of now (outside rendering). */
export function sentVote(key: string): SentVote | undefined {
  return votes.get(key);
}

/**
 * The votes under way, by `ballotKey`; re-renders when they change. A vote stays here once acked:
 * by then the poll lists the voter (its event follows the ack), which is what views check first.
 */
export function useSentVotes(): ReadonlyMap<string, SentVote> {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => votes,
  );
}
