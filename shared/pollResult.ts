import type { Translate } from "./minutesFacts.ts";
import { sumCounts } from "./domain/polls.ts";
import type { Poll } from "./state.ts";

/**
 * A closed poll's result in words, the one sentence the projector, the phones, the one-click
 * records and the DOCX all say: the outcome, the count against the base (who the base is: the
 * delegates present, every registered one, or organisations), the share of the base, and whether
 * the rule was met: "Thông qua: 41/60 đại biểu có mặt tán thành (68,3 %), đạt từ 2/3 trở lên".
 * Words from minutes.json `record.result`; numbers and percentages formatted by the caller's locale.
 */
export interface ResultFormat {
  number(n: number): string;
  /** A ratio (0.683) as a percentage in the reader's locale ("68,3 %"). */
  percent(ratio: number): string;
}

export interface PollResultWords {
  /** The outcome against the base, prefixed with the cluster for a cluster's poll. */
  sentence: string;
  /** A motion's counts per option ("Tán thành 41, không tán thành 10, …"); null for an election. */
  counts: string | null;
  /** The show-of-hands part of the tally, when there is one. */
  hall: string | null;
  /** How many of a named poll's votes were cast by proxies, when any were. */
  proxies: string | null;
}

/** The title of a poll's record ("Kết quả biểu quyết: …", an election's "Kết quả bầu: …"): the one the minutes' text is searched for. */
export function pollRecordTitle(poll: Pick<Poll, "kind" | "question">, t: Translate): string {
  return t(poll.kind === "election" ? "record.poll.titleElection" : "record.poll.title", { question: poll.question });
}

/** "Hình thức: bỏ phiếu kín, mỗi đơn vị một phiếu". */
export function pollFormWords(poll: Pick<Poll, "secret" | "weighting">, t: Translate): string {
  return t("record.poll.form", { secrecy: t(poll.secret ? "record.poll.secret" : "record.poll.named"), weighting: t(`record.poll.weighting.${poll.weighting}`) });
}

/** The base's words: the delegates present, every registered delegate, or organisations. */
function baseWord(poll: Poll, t: Translate): string {
  const key = poll.weighting === "organisation" ? `${poll.base}Organisation` : poll.base;
  return t(`record.result.base.${key}`);
}

/** The words of a closed poll's result; null while it has none. */
export function pollResultWords(poll: Poll, t: Translate, format: ResultFormat): PollResultWords | null {
  if (poll.status !== "closed" || !poll.tally || !poll.outcome) return null;
  const tally = poll.tally;
  const eligible = poll.eligible ?? 0;
  const share = (n: number) => format.percent(eligible > 0 ? n / eligible : 0);
  const base = baseWord(poll, t);
  const common = { eligible: format.number(eligible), base };
  let sentence: string;
  let counts: string | null = null;
  if (poll.kind === "motion") {
    const yes = tally.yes ?? 0;
    const adopted = poll.outcome === "adopted";
    const rule = t(`record.result.${adopted ? "met" : "notMet"}.${poll.majority}`);
    sentence = t(`record.result.${adopted ? "adopted" : "rejected"}`, { ...common, yes: format.number(yes), percent: share(yes), rule });
    counts = t("record.result.counts", { yes: format.number(yes), no: format.number(tally.no ?? 0), abstain: format.number(tally.abstain ?? 0) });
  } else {
    const ranked = poll.options.map((o) => ({ label: o.label, votes: tally[o.id] ?? 0 })).sort((a, b) => b.votes - a.votes);
    const first = ranked[0];
    const winner = poll.options.find((o) => o.id === poll.winnerOptionId);
    const elected = (poll.winnerOptionIds ?? []).map((id) => poll.options.find((o) => o.id === id)).filter((o) => o !== undefined);
    if (poll.outcome === "elected" && (poll.seats ?? 1) > 1 && elected.length > 0) {
      const names = elected
        .map((o) => t("record.result.seatLine", { ...common, name: o.label, votes: format.number(tally[o.id] ?? 0), percent: share(tally[o.id] ?? 0) }))
        .join("; ");
      sentence = t("record.result.electedSeats", { count: format.number(elected.length), seats: format.number(poll.seats ?? 1), names });
    } else if (poll.outcome === "elected" && winner) {
      const votes = tally[winner.id] ?? 0;
      sentence = t("record.result.elected", { ...common, name: winner.label, votes: format.number(votes), percent: share(votes), rule: t(`record.result.electedMet.${poll.majority}`) });
    } else if (!first || first.votes === 0) {
      sentence = t("record.result.noneNobody");
    } else {
      const tied = ranked.filter((r) => r.votes === first.votes);
      sentence =
        tied.length > 1
          ? t("record.result.noneTie", { ...common, names: tied.map((r) => r.label).join(", "), votes: format.number(first.votes) })
          : t("record.result.none", { ...common, name: first.label, votes: format.number(first.votes), percent: share(first.votes), rule: t(`record.result.notMet.${poll.majority}`) });
    }
  }
  if (poll.cluster) sentence = t("record.result.cluster", { cluster: poll.cluster, result: sentence });
  const hallVotes = sumCounts(poll.hallCounts);
  const byProxy = (poll.ballots ?? []).filter((b) => b.castBy !== undefined && poll.proxies[b.participantId] === b.castBy).length;
  return {
    sentence,
    counts,
    hall: hallVotes > 0 ? t("record.result.hall", { count: format.number(hallVotes) }) : null,
    proxies: byProxy > 0 ? t("record.result.proxies", { count: format.number(byProxy) }) : null,
  };
}
