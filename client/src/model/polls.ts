import { organisationKey, representativeOf, votes } from "../../../shared/domain/organisations.ts";
import { entitlement, sumCounts, voterKeyOf } from "../../../shared/domain/polls.ts";
import type { AgendaItem, ConferenceState, CurrentSpeech, Majority, Organisation, Participant, Poll } from "../../../shared/state.ts";
import type { Me } from "../../../shared/view.ts";

/** How many have voted out of how many may: device votes and the hall's raised hands. */
export interface Turnout {
  cast: number;
  eligible: number;
  /** 0..1; 0 when nobody is eligible. */
  ratio: number;
}

export function turnout(poll: Poll): Turnout {
  const eligible = poll.eligible ?? poll.eligibleKeys.length;
  const cast = poll.votesCast + sumCounts(poll.hallCounts);
  return { cast, eligible, ratio: eligible > 0 ? Math.min(1, cast / eligible) : 0 };
}

/** The sum of a record of counts: the rules' own (shared/domain/polls.ts). */
export { sumCounts };

/**
 * An open poll's room for show-of-hands counts: the votes cast on devices (and recorded by the
 * chair), the hall counts entered (`hall`, or the ones a form is about to send), and what is left
 * of the base. `remaining` below 0 means the server will refuse the counts (`conflict`). A secret
 * poll's device votes lag by the votes still pooled, so the server may find less room than this.
 */
export interface HallRoom {
  eligible: number;
  device: number;
  hall: number;
  remaining: number;
}

export function hallRoom(poll: Poll, hall: Readonly<Record<string, number>> | null = poll.hallCounts): HallRoom {
  const eligible = poll.eligible ?? poll.eligibleKeys.length;
  const device = poll.votesCast;
  const raised = sumCounts(hall);
  return { eligible, device, hall: raised, remaining: eligible - device - raised };
}

/**
 * The least number of votes for an option (yes, or the leading candidate) that meets the poll's
 * rule on a base of `eligible`, as `shared/domain/outcome.ts` decides: `absolute` more than half,
 * `two_thirds` at least two thirds (never 0: no rule adopts with no vote). Null for `simple`, which
 * compares options with each other rather than with the base.
 */
export function votesNeeded(majority: Majority, eligible: number): number | null {
  switch (majority) {
    case "simple":
      return null;
    case "absolute":
      return Math.floor(eligible / 2) + 1;
    case "two_thirds":
      return Math.max(1, Math.ceil((2 * eligible) / 3));
  }
}

/**
 * The base a draft poll would have if it opened now (`entitlement`, as the server fixes it), and
 * the base with every registered voter, for "41 delegates present of 60". Counts voter keys:
 * organisations under organisation weighting.
 */
export function basePreview(
  state: ConferenceState,
  poll: Pick<Poll, "weighting" | "base" | "cluster">,
): { eligible: number; registered: number } {
  return {
    eligible: entitlement(state, poll).eligibleKeys.length,
    registered: entitlement(state, { ...poll, base: "registered" }).eligibleKeys.length,
  };
}

/** The clusters of the roster's organisations, one per name (as `organisationKey` compares), sorted. */
export function rosterClusters(organisations: readonly Organisation[], locale: string): string[] {
  const byKey = new Map<string, string>();
  for (const o of organisations) {
    if (o.cluster && !byKey.has(organisationKey(o.cluster))) byKey.set(organisationKey(o.cluster), o.cluster);
  }
  return [...byKey.values()].sort(new Intl.Collator(locale).compare);
}

/** One bar of a result. */
export interface ResultRow {
  optionId: string;
  label: string;
  count: number;
  /**
   * Share of the poll's base (`eligible`), 0..1, as the result sentence counts it ("41/60 … (68,3 %)");
   * of the votes cast when the base is unknown or 0.
   */
  share: number;
  winner: boolean;
}

/** A closed poll's tally as bars, in the poll's option order. Empty while the poll is not closed. */
export function resultRows(poll: Poll): ResultRow[] {
  if (!poll.tally) return [];
  const cast = sumCounts(poll.tally);
  const total = poll.eligible && poll.eligible > 0 ? Math.max(poll.eligible, cast) : cast;
  return poll.options.map((o) => {
    const count = poll.tally?.[o.id] ?? 0;
    return {
      optionId: o.id,
      label: o.label,
      count,
      share: total > 0 ? count / total : 0,
      winner:
        poll.kind === "election"
          ? (poll.winnerOptionIds ?? (poll.winnerOptionId ? [poll.winnerOptionId] : [])).includes(o.id)
          : poll.outcome === "adopted" && o.id === "yes",
    };
  });
}

/** Whether `me` (or my organisation) was entitled to vote when the poll opened. */
export function isEligible(poll: Poll, me: Pick<Me, "id" | "organisationId">): boolean {
  return poll.eligibleKeys.includes(voterKeyOf(poll.weighting, me));
}

/**
 * Under organisation weighting, the member who casts this voter's organisation's vote when it is
 * not the voter: its representative (trưởng đoàn). Null when the voter may cast it (they are the
 * representative, the organisation has none, or votes are per person).
 */
export function organisationCaster(
  state: Pick<ConferenceState, "participants">,
  poll: Pick<Poll, "weighting">,
  voter: Pick<Participant, "id" | "organisationId">,
): Participant | null {
  if (poll.weighting !== "organisation" || !voter.organisationId) return null;
  const representative = representativeOf(state, voter.organisationId);
  return representative && representative.id !== voter.id ? representative : null;
}

/** A ballot someone may cast: their own, or the vote of someone whose proxy they hold in the poll. */
export interface BallotFor {
  poll: Poll;
  /** The giver whose vote this is (a proxy); null: my own. */
  onBehalfOf: Participant | null;
  voterKey: string;
}

/** Where a ballot's vote under way is kept (`sentVotes`): the poll, and the giver for a proxy's. */
export function ballotKey(pollId: string, onBehalfOf?: string | null): string {
  return onBehalfOf ? `${pollId}:${onBehalfOf}` : pollId;
}

/**
 * The ballots of a poll that I may cast: my own, then one for each giver whose proxy I hold in it
 * (`poll.proxies`, fixed at opening), each entitled (in the base), not cast yet, and not the
 * vote of an organisation whose representative is someone else. Two ballots for one voter key (a
 * proxy from my own organisation, votes per organisation) are one.
 */
export function ballotsOf(state: Pick<ConferenceState, "participants">, poll: Poll, me: Pick<Me, "id" | "organisationId" | "voting">): BallotFor[] {
  if (!me.voting || poll.status !== "open") return [];
  const ballots: BallotFor[] = [];
  const add = (voter: Pick<Participant, "id" | "organisationId">, onBehalfOf: Participant | null) => {
    const voterKey = voterKeyOf(poll.weighting, voter);
    if (!poll.eligibleKeys.includes(voterKey) || poll.voters.includes(voterKey)) return;
    if (organisationCaster(state, poll, voter) || ballots.some((b) => b.voterKey === voterKey)) return;
    ballots.push({ poll, onBehalfOf, voterKey });
  };
  add(me, null);
  for (const giver of proxyGivers(state, poll, me.id)) add(giver, giver);
  return ballots;
}

/** Whose votes I cast in this poll besides my own: the givers whose proxy I hold (removed ones aside). */
export function proxyGivers(state: Pick<ConferenceState, "participants">, poll: Pick<Poll, "proxies">, holderId: string): Participant[] {
  return Object.entries(poll.proxies)
    .filter(([, holder]) => holder === holderId)
    .map(([giverId]) => state.participants.find((p) => p.id === giverId && p.removedAt == null))
    .filter((p): p is Participant => p !== undefined);
}

/**
 * The first ballot that should take over my screen: of the open polls, my own before my proxies',
 * skipping those whose vote is under way (`skip`, by `ballotKey`).
 */
export function pendingBallot(state: Pick<ConferenceState, "participants" | "polls">, me: Me, skip: ReadonlySet<string> = new Set()): BallotFor | null {
  for (const poll of state.polls) {
    const ballot = ballotsOf(state, poll, me).find((b) => !skip.has(ballotKey(poll.id, b.onBehalfOf?.id)));
    if (ballot) return ballot;
  }
  return null;
}

/**
 * Why someone with a voting role has no ballot of their own in an open poll, or null when they
 * have one (or have cast it): their organisation's representative casts its vote; the poll is a
 * cluster's and they are not in it; or they were not in its base when it opened (they came later).
 */
export type NoBallot = { kind: "representative"; representative: Participant; proxy: Participant | null } | { kind: "cluster"; cluster: string } | { kind: "late" };

export function noBallotReason(state: Pick<ConferenceState, "participants" | "organisations">, poll: Poll, me: Pick<Me, "id" | "organisationId">): NoBallot | null {
  if (!isEligible(poll, me)) {
    const cluster = state.organisations.find((o) => o.id === me.organisationId)?.cluster;
    const outside = poll.cluster !== null && (!cluster || organisationKey(cluster) !== organisationKey(poll.cluster));
    return outside ? { kind: "cluster", cluster: poll.cluster! } : { kind: "late" };
  }
  const representative = organisationCaster(state, poll, me);
  if (!representative) return null;
  const holder = poll.proxies[representative.id];
  return { kind: "representative", representative, proxy: state.participants.find((p) => p.id === holder) ?? null };
}

/**
 * Whom the chair may record a hall vote for (`polls.voteFor`, named polls): for each entitled voter
 * key not cast yet, the person: the voter, or for an organisation its representative or else each
 * voting member. Removed participants and non-voters are not offered.
 */
export function hallVoteCandidates(state: Pick<ConferenceState, "participants">, poll: Poll, locale: string): Participant[] {
  if (poll.secret || poll.status !== "open") return [];
  const missing = new Set(poll.eligibleKeys.filter((k) => !poll.voters.includes(k)));
  const collator = new Intl.Collator(locale);
  return state.participants
    .filter((p) => p.removedAt == null && votes(p) && missing.has(voterKeyOf(poll.weighting, p)) && !organisationCaster(state, poll, p))
    .sort((a, b) => collator.compare(a.name, b.name));
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
  /** Who cast it for them (their proxy, or the chair recording a hall vote); null: themselves. */
  castBy: Participant | null;
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
      castBy: b.castBy !== undefined ? (people.get(b.castBy) ?? null) : null,
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
