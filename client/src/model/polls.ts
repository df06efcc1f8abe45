import { hasVoted, voterKeyOf } from "../../../shared/domain/polls.ts";
import type { AgendaItem, CurrentSpeech, Participant, Poll } from "../../../shared/state.ts";
import type { Me } from "../../../shared/view.ts";

/** How many have voted out of how many may. */
export interface Turnout {
  cast: number;
  eligible: number;
  /** 0..1; 0 when nobody is eligible. */
  ratio: number;
}

export function turnout(poll: Poll): Turnout {
  const eligible = poll.eligible ?? poll.eligibleKeys.length;
  const cast = poll.votesCast;
  return { cast, eligible, ratio: eligible > 0 ? Math.min(1, cast / eligible) : 0 };
}

/** One bar of a result. */
export interface ResultRow {
  optionId: string;
  label: string;
  count: number;
  /** Share of the votes cast, 0..1. */
  share: number;
  winner: boolean;
}

/** A closed poll's tally as bars, in the poll's option order. Empty while the poll is not closed. */
export function resultRows(poll: Poll): ResultRow[] {
  if (!poll.tally) return [];
  const total = Object.values(poll.tally).reduce((a, b) => a + b, 0);
  return poll.options.map((o) => {
    const count = poll.tally?.[o.id] ?? 0;
    return {
      optionId: o.id,
      label: o.label,
      count,
      share: total > 0 ? count / total : 0,
      winner: poll.kind === "election" ? poll.winnerOptionId === o.id : poll.outcome === "adopted" && o.id === "yes",
    };
  });
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * The outcome in words, e.g. "Adopted: 41 for, 3 against, 2 abstain". `t` is the translator of the
 * `common` namespace and `formatNumber` the locale's number format; null while the poll is not closed.
 */
export function outcomeSentence(poll: Poll, t: Translate, formatNumber: (n: number) => string): string | null {
  if (poll.status !== "closed" || !poll.tally || !poll.outcome) return null;
  if (poll.kind === "motion") {
    const values = {
      yes: formatNumber(poll.tally.yes ?? 0),
      no: formatNumber(poll.tally.no ?? 0),
      abstain: formatNumber(poll.tally.abstain ?? 0),
    };
    return t(poll.outcome === "adopted" ? "poll.outcome.adopted" : "poll.outcome.rejected", values);
  }
  const winner = poll.options.find((o) => o.id === poll.winnerOptionId);
  if (poll.outcome === "elected" && winner) {
    const votes = poll.tally[winner.id] ?? 0;
    return t("poll.outcome.elected", { name: winner.label, votes: formatNumber(votes), count: votes });
  }
  return t("poll.outcome.none");
}

/** Whether `me` (or my organisation) was entitled to vote when the poll opened. */
export function isEligible(poll: Poll, me: Pick<Me, "id" | "organisationId">): boolean {
  return poll.eligibleKeys.includes(voterKeyOf(poll.weighting, me));
}

/** The open poll `me` should vote in now: voting role, entitled, not voted yet. */
export function pendingBallot(polls: readonly Poll[], me: Me): Poll | null {
  if (!me.voting) return null;
  return polls.find((p) => p.status === "open" && isEligible(p, me) && !hasVoted(p, me)) ?? null;
}

/** An eligible voter who has not voted yet: a person, or an organisation with its members. */
export interface MissingVoter {
  key: string;
  /** The participant for a per-person key. */
  participant: Participant | null;
  /** The organisation's name (as its members show it), for a per-organisation key. */
  organisation: string | null;
}

/** Eligible voters (or organisations) that have not voted yet. */
export function missingVoters(poll: Poll, participants: readonly Participant[]): MissingVoter[] {
  const voted = new Set(poll.voters);
  const byKey = new Map<string, Participant>();
  for (const p of participants) {
    const key = voterKeyOf(poll.weighting, p);
    if (!byKey.has(key)) byKey.set(key, p);
  }
  return poll.eligibleKeys
    .filter((k) => !voted.has(k))
    .map((key) => {
      const p = byKey.get(key) ?? null;
      return key.startsWith("org:")
        ? { key, participant: null, organisation: p?.organisation ?? key.slice(4) }
        : { key, participant: p, organisation: null };
    });
}

/** A named ballot with the voter and the choice resolved. */
export interface NamedVote {
  participant: Participant | null;
  participantId: string;
  optionLabel: string;
  optionId: string;
}

/** Who voted how (named polls, once closed), in the poll's option order then by name. */
export function namedVotes(poll: Poll, participants: readonly Participant[], locale: string): NamedVote[] {
  if (poll.secret || !poll.ballots) return [];
  const people = new Map(participants.map((p) => [p.id, p]));
  const order = new Map(poll.options.map((o, i) => [o.id, i]));
  const collator = new Intl.Collator(locale);
  return poll.ballots
    .map((b) => ({
      participant: people.get(b.participantId) ?? null,
      participantId: b.participantId,
      optionId: b.optionId,
      optionLabel: poll.options.find((o) => o.id === b.optionId)?.label ?? b.optionId,
    }))
    .sort(
      (a, b) =>
        (order.get(a.optionId) ?? 0) - (order.get(b.optionId) ?? 0) ||
        collator.compare(a.participant?.name ?? "", b.participant?.name ?? ""),
    );
}


/** How long a result stays on the hall's screen when nothing else happens after it. */
export const RESULT_ON_SCREEN_MS = 10 * 60_000;

export type ProjectorFocus =
  | { kind: "poll_open"; poll: Poll }
  | { kind: "poll_result"; poll: Poll }
  | { kind: "floor" };

/**
 * What the hall's screen puts in the middle: an open poll; else the latest result, until someone
 * takes the floor or an item starts after it (or it has been up for a while); else the floor.
 */
export function projectorFocus(
  polls: readonly Poll[],
  current: CurrentSpeech | null,
  currentItem: AgendaItem | null,
  now: number,
): ProjectorFocus {
  const open = polls.filter((p) => p.status === "open");
  if (open.length > 0) {
    const latest = open.reduce((a, b) => ((b.openedAt ?? 0) > (a.openedAt ?? 0) ? b : a));
    return { kind: "poll_open", poll: latest };
  }
  const closed = polls.filter((p) => p.status === "closed" && p.closedAt !== null);
  if (closed.length === 0) return { kind: "floor" };
  const last = closed.reduce((a, b) => ((b.closedAt ?? 0) > (a.closedAt ?? 0) ? b : a));
  const closedAt = last.closedAt ?? 0;
  const supersededBy = Math.max(current?.startedAt ?? 0, currentItem?.startedAt ?? 0);
  if (supersededBy > closedAt || now - closedAt > RESULT_ON_SCREEN_MS) return { kind: "floor" };
  return { kind: "poll_result", poll: last };
}
