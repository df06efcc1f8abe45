import type { CommandOf } from "../commands.ts";
import type { CastBallot, DomainEvent } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { Actor, ConferenceState, Language, Participant, Poll, PollOption, Weighting } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { appendKeys, includesKey } from "./lookup.ts";
import { AGAINST_OPTION_ID, electionOutcome, MOTION_OPTION_IDS, motionOutcome } from "./outcome.ts";
import { findMember, isPresent, isRemoved } from "./participants.ts";
import { findOrganisation, organisationKey, representativeOf, votes } from "./organisations.ts";

type PollsCommand = CommandOf<"polls.create" | "polls.delete" | "polls.open" | "polls.close" | "polls.vote" | "polls.voteFor" | "polls.recordHall">;

/** The event that carries votes, whether one just decided or a batch being stored. */
export type VotesCast = Extract<DomainEvent, { type: "poll.votes_cast" }>;

/**
 * K, the fewest votes of a secret poll that are ever stored together. The server keeps a secret
 * poll's decided votes in memory (the poll's `pool`) and writes them only in batches: once the pool
 * holds 2K votes, all but the newest K go to the file in one write, and on closing whatever is left
 * goes with the close. So every batch has at least K voters, and once a batch is stored at least K
 * are left for the close. Someone who copies the data files after every write learns, per batch,
 * a set of at least K voters and their combined counts, never who chose what. Acks of pooled votes
 * wait for their batch. See "Secret polls" in docs/protocol.md.
 */
export const SECRET_BATCH = 5;

const MOTION_LABELS: Record<Language, Record<(typeof MOTION_OPTION_IDS)[number], string>> = {
  vi: { yes: "Tán thành", no: "Không tán thành", abstain: "Không biểu quyết" },
  en: { yes: "Yes", no: "No", abstain: "Abstain" },
};

/** The against option of a single-candidate election (a vote of confidence, tín nhiệm). */
const AGAINST_LABELS: Record<Language, string> = { vi: "Không đồng ý", en: "Against" };

/**
 * Whose vote a participant casts: their own, or their organisation's (by its id on the roster). A
 * voter on no organisation votes for themselves even when votes are weighted by organisation.
 */
export function voterKeyOf(weighting: Weighting, participant: Pick<Participant, "id" | "organisationId">): string {
  return weighting === "organisation" && participant.organisationId ? `org:${participant.organisationId}` : `person:${participant.id}`;
}

/**
 * Whether this participant (or their organisation) has voted in the poll, as stored: a secret
 * vote still waiting in the server's pool does not count yet.
 */
export function hasVoted(poll: Poll, participant: Pick<Participant, "id" | "organisationId">): boolean {
  return includesKey(poll.voters, voterKeyOf(poll.weighting, participant));
}

/** Whether a vote under this key is stored or waiting in the pool: a second one is a double vote. */
function hasCast(poll: Poll, voterKey: string): boolean {
  return includesKey(poll.voters, voterKey) || (poll.pool?.some((b) => b.voterKey === voterKey) ?? false);
}

/** Orders voter keys by the keys alone (code units), so that no order of arrival survives. */
function byVoterKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the poll's votes are pooled before they are stored: open secret polls. */
export function poolsVotes(state: ConferenceState, pollId: string): boolean {
  const poll = state.polls.find((p) => p.id === pollId);
  return poll !== undefined && poll.secret && poll.status === "open";
}

/**
 * Puts the votes of a decided `polls.vote` in the poll's pool instead of folding them: the server's
 * memory only. They reach the poll's voters and counts when `releasePool` lets them out.
 */
export function poolVotes(state: ConferenceState, event: VotesCast): ConferenceState {
  return mapPoll(state, event.data.pollId, (p) => ({ ...p, pool: [...(p.pool ?? []), ...event.data.ballots] }));
}

/**
 * The event that stores pooled votes, or null when none are due. `due`: once the pool holds 2K
 * votes, all but the newest K, so that the batch has at least K votes and at least K stay for
 * the close; `all`: everything, for the close. Ballots are sorted by voter key, never in the
 * order they came.
 */
export function releasePool(poll: Poll, mode: "due" | "all"): VotesCast | null {
  const pool = poll.pool ?? [];
  let count: number;
  switch (mode) {
    case "due":
      count = pool.length >= 2 * SECRET_BATCH ? pool.length - SECRET_BATCH : 0;
      break;
    case "all":
      count = pool.length;
      break;
  }
  if (count === 0) return null;
  const ballots = pool.slice(0, count).sort((a, b) => byVoterKey(a.voterKey, b.voterKey));
  return { type: "poll.votes_cast", data: { pollId: poll.id, ballots } };
}

/**
 * A secret poll's batch of votes as it may be stored: the voter keys, sorted, and the choices summed
 * per option, so that no record links a voter to a choice. Folds to the same state as the batch.
 */
export function countedVotes(data: VotesCast["data"]): VotesCast["data"] {
  const counts: Record<string, number> = { ...data.counts };
  for (const b of data.ballots) if (b.optionId !== undefined) counts[b.optionId] = (counts[b.optionId] ?? 0) + 1;
  const ballots = data.ballots.map((b) => ({ voterKey: b.voterKey })).sort((a, b) => byVoterKey(a.voterKey, b.voterKey));
  return { pollId: data.pollId, ballots, counts };
}

/** The state without the secret polls' pools: what may be stored, or read by anything but the rules. */
export function withoutPools(state: ConferenceState): ConferenceState {
  if (!state.polls.some((p) => p.pool !== undefined)) return state;
  return { ...state, polls: state.polls.map(({ pool: _pool, ...poll }) => poll) };
}

/**
 * The rules of polls. A vote answers `poll.votes_cast` with its one ballot; for a secret poll the
 * server pools it (`poolVotes`) rather than folding it, and a second vote under the same key is a
 * double vote whether the first is stored or still pooled. Closing a secret poll stores what is
 * left in its pool in the same write.
 */
export function decidePolls(state: ConferenceState, command: PollsCommand, actor: Actor, ctx: DecideContext): Decision {
  const poll = "pollId" in command ? state.polls.find((p) => p.id === command.pollId) : undefined;
  if ("pollId" in command && !poll) return refuse("not_found", "no such poll");
  switch (command.type) {
    case "polls.create":
      return createPoll(state, command, ctx);
    case "polls.delete":
      if (poll!.status !== "draft") return refuse("conflict", "only a draft poll can be deleted");
      return accept([{ type: "poll.deleted", data: { pollId: poll!.id } }]);
    case "polls.open": {
      if (poll!.status !== "draft") return refuse("conflict", `the poll is ${poll!.status}`);
      if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
      const { eligibleKeys, proxies } = entitlement(state, poll!);
      return accept([{ type: "poll.opened", data: { pollId: poll!.id, at: ctx.now, eligibleKeys, proxies } }]);
    }
    case "polls.close": {
      if (poll!.status !== "open") return refuse("conflict", `the poll is ${poll!.status}`);
      // A secret poll's last pooled votes are stored by the same write as the close.
      const release = releasePool(poll!, "all");
      const closing = release ? evolvePolls(state, release).polls.find((p) => p.id === poll!.id)! : poll!;
      return accept([
        ...(release ? [release] : []),
        { type: "poll.closed", data: { pollId: poll!.id, at: ctx.now, ...result(closing) } },
      ]);
    }
    case "polls.vote":
    case "polls.voteFor":
      return castVote(state, poll!, command, actor);
    case "polls.recordHall": {
      if (poll!.status !== "open") return refuse("conflict", "hall counts are entered while the poll is open");
      const unknown = Object.keys(command.counts).find((optionId) => !poll!.options.some((o) => o.id === optionId));
      if (unknown !== undefined) return refuse("not_found", `no such option: ${unknown}`);
      const counts = Object.fromEntries(poll!.options.map((o) => [o.id, command.counts[o.id] ?? 0]));
      const hall = sumCounts(counts);
      const electronic = electronicVotes(poll!);
      if (electronic + hall > (poll!.eligible ?? 0)) {
        return refuse("conflict", `${electronic} electronic votes and ${hall} in the hall would exceed the base of ${poll!.eligible}`);
      }
      return accept([{ type: "poll.hall_recorded", data: { pollId: poll!.id, counts } }]);
    }
  }
}

/** The sum of a record of counts (a tally, hall counts); 0 for none. */
export function sumCounts(counts: Readonly<Record<string, number>> | null | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}

/** Votes cast on devices (and by the chair for hall voters), stored or still pooled. */
function electronicVotes(poll: Poll): number {
  return poll.voters.length + (poll.pool?.length ?? 0);
}

/** Whether a participant belongs to the poll's cluster (every participant when the poll has none). */
function inCluster(state: ConferenceState, poll: Pick<Poll, "cluster">, participant: Participant): boolean {
  if (poll.cluster === null) return true;
  const organisation = participant.organisationId ? findOrganisation(state, participant.organisationId) : undefined;
  return organisation?.cluster != null && organisationKey(organisation.cluster) === organisationKey(poll.cluster);
}

/**
 * Who is entitled when a poll opens (v1.1): the members who vote, of its cluster if it has one;
 * with base `present`, those present and those absent whose proxy holder is present (their vote is
 * cast by the holder). `proxies`: the proxies in force for this poll, holder a voting member.
 */
export function entitlement(state: ConferenceState, poll: Pick<Poll, "weighting" | "base" | "cluster">) {
  const entitled = state.participants.filter((p) => votes(p) && !isRemoved(p) && inCluster(state, poll, p));
  const proxies: Record<string, string> = {};
  for (const p of entitled) {
    const holder = p.proxyId ? findMember(state, p.proxyId) : undefined;
    if (holder && votes(holder)) proxies[p.id] = holder.id;
  }
  const counted =
    poll.base === "registered"
      ? entitled
      : entitled.filter((p) => isPresent(p) || (proxies[p.id] !== undefined && isPresent(findMember(state, proxies[p.id]!)!)));
  const eligibleKeys = [...new Set(counted.map((p) => voterKeyOf(poll.weighting, p)))];
  return { eligibleKeys, proxies };
}

/**
 * A vote: the caller's own, or (`onBehalfOf`) the vote of someone whose proxy they hold in this
 * poll, or (`polls.voteFor`, named polls) the chair's record of a hall voter's choice. Under
 * organisation weighting, an organisation with a representative has its vote cast by them (or their
 * proxy) only. Electronic votes and hall counts together never exceed the base.
 */
function castVote(state: ConferenceState, poll: Poll, command: CommandOf<"polls.vote" | "polls.voteFor">, actor: Actor): Decision {
  if (poll.status !== "open") return refuse("conflict", "the poll is not open");
  if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
  if (!poll.options.some((o) => o.id === command.optionId)) return refuse("not_found", "no such option");
  const caster = findMember(state, actor.participantId);
  if (!caster) return refuse("not_found", "unknown participant");
  let voter = caster;
  if (command.type === "polls.voteFor") {
    if (poll.secret) return refuse("conflict", "a secret poll takes no vote recorded for someone else");
    const whose = findMember(state, command.participantId);
    if (!whose) return refuse("not_found", "no such participant");
    voter = whose;
  } else if (command.onBehalfOf !== undefined && command.onBehalfOf !== caster.id) {
    if (poll.proxies[command.onBehalfOf] !== caster.id) return refuse("forbidden", "you hold no proxy for this participant in this poll");
    voter = findMember(state, command.onBehalfOf) ?? voter;
    if (voter === caster) return refuse("not_found", "no such participant");
  }
  const voterKey = voterKeyOf(poll.weighting, voter);
  if (!includesKey(poll.eligibleKeys, voterKey)) {
    return refuse("forbidden", "not entitled to vote in this poll (not in its base when it opened)");
  }
  if (poll.weighting === "organisation" && voter.organisationId) {
    const representative = representativeOf(state, voter.organisationId);
    if (representative && representative.id !== voter.id) {
      return refuse("forbidden", `${representative.name} casts this organisation's vote`);
    }
  }
  if (hasCast(poll, voterKey)) {
    return refuse("conflict", poll.weighting === "organisation" ? "your organisation has already voted" : "you have already voted");
  }
  if (electronicVotes(poll) + sumCounts(poll.hallCounts) >= (poll.eligible ?? 0)) {
    return refuse("conflict", "the base is full: with the hall counts, every entitled vote is cast");
  }
  const ballot: CastBallot = { voterKey, participantId: voter.id, optionId: command.optionId, ...(caster.id !== voter.id && { castBy: caster.id }) };
  return accept([{ type: "poll.votes_cast", data: { pollId: poll.id, ballots: [ballot] } }]);
}

function createPoll(state: ConferenceState, command: CommandOf<"polls.create">, ctx: DecideContext): Decision {
  if (state.polls.length >= LIMITS.polls) return refuse("conflict", `a conference holds at most ${LIMITS.polls} polls`);
  const kind = command.kind ?? "motion";
  let options: PollOption[];
  if (kind === "motion") {
    if (command.options !== undefined) return refuse("invalid", "a motion's options are fixed: yes, no, abstain");
    const labels = MOTION_LABELS[state.conference.language];
    options = MOTION_OPTION_IDS.map((id) => ({ id, label: labels[id] }));
  } else {
    const labels = command.options ?? [];
    if (labels.length === 0) return refuse("invalid", "an election needs at least one candidate");
    if (new Set(labels.map((l) => l.toLocaleLowerCase("vi"))).size !== labels.length) {
      return refuse("invalid", "candidates must be distinct");
    }
    options = labels.map((label) => ({ id: ctx.newId(), label }));
    // One candidate: a vote of confidence, for or against (the candidate must beat "against").
    if (labels.length === 1) options.push({ id: AGAINST_OPTION_ID, label: AGAINST_LABELS[state.conference.language] });
  }
  const seats = command.seats ?? 1;
  if (command.seats !== undefined && kind !== "election") return refuse("invalid", "only an election has seats");
  if (kind === "election" && seats > (command.options ?? []).length) return refuse("invalid", "more seats than candidates");
  let cluster: string | null = null;
  if (command.cluster !== undefined) {
    const organisation = state.organisations.find((o) => o.cluster != null && organisationKey(o.cluster) === organisationKey(command.cluster!));
    if (!organisation) return refuse("invalid", "no organisation on the roster is in this cluster");
    cluster = organisation.cluster;
  }
  let itemId = command.itemId === undefined ? state.currentItemId : command.itemId;
  if (itemId !== null && !state.agenda.some((i) => i.id === itemId)) return refuse("not_found", "no such agenda item");
  const poll: Poll = {
    id: ctx.newId(),
    itemId,
    kind,
    question: command.question,
    options,
    status: "draft",
    secret: command.secret ?? false,
    weighting: command.weighting ?? "person",
    majority: command.majority ?? "simple",
    ...(kind === "election" && seats > 1 && { seats }),
    base: command.base ?? "present",
    cluster,
    proxies: {},
    hallCounts: null,
    createdAt: ctx.now,
    openedAt: null,
    closedAt: null,
    eligible: null,
    eligibleKeys: [],
    voters: [],
    votesCast: 0,
    tally: null,
    outcome: null,
    winnerOptionId: null,
    ballots: null,
    counts: Object.fromEntries(options.map((o) => [o.id, 0])),
  };
  return accept([{ type: "poll.created", data: { poll } }], { id: poll.id });
}

/** Tally (device votes and hall counts) and outcome of a poll as it stands; computed from the server's private counts. */
function result(poll: Poll) {
  const tally = Object.fromEntries(poll.options.map((o) => [o.id, (poll.counts?.[o.id] ?? 0) + (poll.hallCounts?.[o.id] ?? 0)]));
  const eligible = poll.eligible ?? 0;
  const decided =
    poll.kind === "motion"
      ? {
          outcome: motionOutcome(poll.majority, { yes: tally.yes ?? 0, no: tally.no ?? 0, abstain: tally.abstain ?? 0 }, eligible),
          winnerOptionId: null,
        }
      : electionOutcome(poll.majority, poll.options, tally, eligible, poll.seats ?? 1);
  return { tally, ...decided, ballots: poll.secret ? null : (poll.ballots ?? []) };
}

function mapPoll(state: ConferenceState, pollId: string, change: (poll: Poll) => Poll): ConferenceState {
  return { ...state, polls: state.polls.map((p) => (p.id === pollId ? change(p) : p)) };
}

/** Folds a poll event; `poll.votes_cast` also takes the stored votes out of the pool. */
export function evolvePolls(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `poll.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "poll.created":
      return { ...state, polls: [...state.polls, event.data.poll] };
    case "poll.deleted":
      return { ...state, polls: state.polls.filter((p) => p.id !== event.data.pollId) };
    case "poll.opened":
      return mapPoll(state, event.data.pollId, (p) => ({
        ...p,
        status: "open",
        openedAt: event.data.at,
        eligibleKeys: event.data.eligibleKeys,
        eligible: event.data.eligible ?? event.data.eligibleKeys.length,
        proxies: event.data.proxies ?? {},
      }));
    case "poll.hall_recorded":
      return mapPoll(state, event.data.pollId, (p) => ({ ...p, hallCounts: event.data.counts }));
    case "poll.votes_cast":
      return mapPoll(state, event.data.pollId, (p) => {
        const counts = p.counts && { ...p.counts };
        // A stored secret batch carries its choices summed (`countedVotes`).
        if (counts && event.data.counts) for (const [optionId, n] of Object.entries(event.data.counts)) counts[optionId] = (counts[optionId] ?? 0) + n;
        const ballots = p.secret ? null : [...(p.ballots ?? [])];
        for (const b of event.data.ballots) {
          // Clients receive ballots without a choice: only the server keeps counts.
          if (counts && b.optionId !== undefined) counts[b.optionId] = (counts[b.optionId] ?? 0) + 1;
          if (ballots && b.optionId !== undefined && b.participantId !== undefined) {
            ballots.push({ voterKey: b.voterKey, participantId: b.participantId, optionId: b.optionId, ...(b.castBy !== undefined && { castBy: b.castBy }) });
          }
        }
        const keys = event.data.ballots.map((b) => b.voterKey);
        // A secret poll's voters are kept sorted: the stored list carries no order of arrival.
        const voters = p.secret ? [...p.voters, ...keys].sort(byVoterKey) : appendKeys(p.voters, keys);
        const stored = new Set(keys);
        const pool = p.pool?.filter((b) => !stored.has(b.voterKey));
        return {
          ...p,
          counts,
          ballots: p.secret ? null : ballots,
          voters,
          votesCast: event.data.votesCast ?? voters.length,
          ...(pool ? { pool } : {}),
        };
      });
    case "poll.closed":
      return mapPoll(state, event.data.pollId, (p) => {
        const { counts: _counts, pool: _pool, ...rest } = p;
        return {
          ...rest,
          status: "closed",
          closedAt: event.data.at,
          tally: event.data.tally,
          outcome: event.data.outcome,
          winnerOptionId: event.data.winnerOptionId,
          ...(event.data.winnerOptionIds !== undefined && { winnerOptionIds: event.data.winnerOptionIds }),
          ballots: event.data.ballots,
        };
      });
  }
}
