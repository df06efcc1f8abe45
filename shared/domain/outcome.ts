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
 * An election's outcome: the candidate with the most votes, V, and no tie for first place;
 * `simple` elects when V beats every other candidate, `absolute` when V > eligible / 2,
 * `two_thirds` when V ≥ 2/3 × eligible (v1.1: on the base, as for motions). Nobody is elected with no votes.
 */
export function electionOutcome(
  majority: Majority,
  options: PollOption[],
  tally: Record<string, number>,
  eligible: number,
): { outcome: ElectionOutcome; winnerOptionId: string | null } {
  const ranked = options
    .map((o) => ({ id: o.id, votes: tally[o.id] ?? 0 }))
    .sort((x, y) => y.votes - x.votes);
  const first = ranked[0];
  const second = ranked[1];
  const none = { outcome: "none" as const, winnerOptionId: null };
  if (!first || first.votes === 0) return none;
  if (second && second.votes === first.votes) return none;
  const v = first.votes;
  const elected =
    majority === "simple" ? true : majority === "absolute" ? 2 * v > eligible : 3 * v >= 2 * eligible;
  return elected ? { outcome: "elected", winnerOptionId: first.id } : none;
}
