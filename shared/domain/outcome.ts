import type { ElectionOutcome, Majority, MotionOutcome, PollOption } from "../state.ts";

/** The fixed options of a motion; labels follow the conference's language. */
export const MOTION_OPTION_IDS = ["yes", "no", "abstain"] as const;

/**
 * A motion's outcome, with Y, N, A the yes, no and abstain counts (hall counts included) and
 * `eligible` the poll's base (v1.1: the voters present when it opened, or every registered one):
 * `simple` Y > N; `absolute` Y > eligible / 2; `two_thirds` Y ≥ 2/3 × eligible (v1.1: the
 * two-thirds rule counts on the base, as "trên 2/3 đại biểu có mặt tán thành" does). No rule adopts
 * a motion that nobody voted for: with a base of 0, 0 ≥ 0 would otherwise hold.
 */
export function motionOutcome(
  majority: Majority,
  counts: { yes: number; no: number; abstain: number },
  eligible: number,
): MotionOutcome {
  const { yes: y, no: n, abstain: a } = counts;
  let adopted: boolean;
  switch (majority) {
    case "simple":
      adopted = y > n;
      break;
    case "absolute":
      adopted = 2 * y > eligible;
      break;
    case "two_thirds":
      adopted = y > 0 && 3 * y >= 2 * eligible;
      break;
  }
  return adopted ? "adopted" : "rejected";
}

/**
 * The option of a single-candidate election (a vote of confidence, *tín nhiệm*) that says no: never
 * a winner. The candidate is elected when their votes beat it and meet the rule.
 */
export const AGAINST_OPTION_ID = "no";

/**
 * An election's outcome, for `seats` seats (issue 16: several cluster heads at once). Candidates are
 * ranked by votes; the first `seats` are elected when they have votes, meet the rule (`simple`: the
 * rank alone; `absolute`: V > eligible / 2; `two_thirds`: V ≥ 2/3 × eligible, on the base as for
 * motions) and are not tied with the first candidate left out (a tie at the last seat elects none
 * of the tied). With one candidate and an against option, the candidate must also beat it.
 * Nobody is elected with no votes. `winnerOptionId` is the first of `winnerOptionIds`.
 */
export function electionOutcome(
  majority: Majority,
  options: PollOption[],
  tally: Record<string, number>,
  eligible: number,
  seats = 1,
): { outcome: ElectionOutcome; winnerOptionId: string | null; winnerOptionIds: string[] } {
  const against = tally[AGAINST_OPTION_ID] ?? 0;
  const ranked = options
    .filter((o) => o.id !== AGAINST_OPTION_ID)
    .map((o) => ({ id: o.id, votes: tally[o.id] ?? 0 }))
    .sort((x, y) => y.votes - x.votes);
  const confidence = options.some((o) => o.id === AGAINST_OPTION_ID);
  const cutoff = ranked[seats]?.votes ?? -1;
  const meets = (v: number) => (majority === "simple" ? true : majority === "absolute" ? 2 * v > eligible : 3 * v >= 2 * eligible);
  const winners = ranked
    .slice(0, seats)
    .filter((c) => c.votes > 0 && c.votes > cutoff && meets(c.votes) && (!confidence || c.votes > against))
    .map((c) => c.id);
  return winners.length > 0
    ? { outcome: "elected", winnerOptionId: winners[0]!, winnerOptionIds: winners }
    : { outcome: "none", winnerOptionId: null, winnerOptionIds: [] };
}
