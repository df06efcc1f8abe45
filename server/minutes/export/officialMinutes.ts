import type { Millis, Participant, Poll } from "../../../shared/state.ts";
import type { DateParts, MinutesLabels } from "./labels.ts";

import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import { pollFacts } from "../../../shared/minutesFacts.ts";

/** Day and time of `at` in `timeZone`. */
export function datePartsOf(at: Millis, timeZone = DEFAULT_TIME_ZONE): DateParts {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { day: get("day"), month: get("month"), year: get("year"), hour: get("hour"), minute: get("minute") };
}

/** The place for the "place, date" line: the venue up to its first comma or bracket. */
export function placeOf(venue: string): string {
  return venue.split(/[,(;]/)[0]!.trim();
}

/** "Name (Organisation)" for the chair and secretary lines. */
export function nameWithOrganisation(p: Participant): string {
  return p.organisation.trim() ? `${p.name} (${p.organisation.trim()})` : p.name;
}

/** What the minutes print about one closed poll. */
export interface PollSummary {
  question: string;
  counts: { label: string; count: number }[];
  details: string;
  outcome: string;
}

/** A closed poll's counts per option and its outcome ({@link pollFacts}), in the conference's words. */
export function summarisePoll(poll: Poll, labels: MinutesLabels): PollSummary {
  const facts = pollFacts(poll);
  const { t, word } = labels;
  const rule = [t(`official.majority.${facts.majority}`), facts.secret ? word("secret") : null].filter(Boolean).join(", ");
  const eligible = t("record.poll.cast", { eligible: facts.eligible ?? t("record.poll.eligibleUnknown"), cast: facts.cast });
  const outcome =
    facts.winner !== null
      ? t("official.elected", { name: facts.winner })
      : facts.outcome
        ? t(`official.outcome.${facts.outcome}`)
        : word("placeholder");
  return { question: facts.question, counts: facts.counts, details: `${eligible} (${rule}).`, outcome };
}

/** The file name of the export: `bien-ban-2021-11-15.docx`. */
export function exportFileName(stem: string, at: Millis, timeZone = DEFAULT_TIME_ZONE): string {
  const d = datePartsOf(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${d.year}-${pad(d.month)}-${pad(d.day)}.docx`;
}
