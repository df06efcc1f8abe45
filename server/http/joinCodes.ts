import type { Router } from "express";
import { joinCodeLookupBody, type JoinCodeLookup } from "../../shared/commands.ts";
import { describeIssues } from "../../shared/validation.ts";
import type { ConferenceRegistry } from "../conferences/ConferenceRegistry.ts";
import { HttpError } from "./errors.ts";
import type { Budget } from "./limits.ts";

/** The key of the budget that wrong lookups from every address share. */
const LOOKUP_KEY = "join-code lookups";

/**
 * `POST /api/join-codes` (extension): which conference a typed join code opens, for the `/join`
 * page where a delegate types only the code (Slido's habit). The right code is never refused for
 * rate reasons; a wrong one uses up the same per-address budget as a wrong code at `…/join`, and
 * one budget shared by every address (a conference's budget, for lookups as a whole).
 */
export function joinCodeRoutes(registry: ConferenceRegistry, joinFailureLimit: Budget, lookupFailureLimit: Budget) {
  return (router: Router) => {
    router.post("/join-codes", async (req, res) => {
      const parsed = joinCodeLookupBody.safeParse(req.body);
      if (!parsed.success) throw new HttpError("invalid", describeIssues(parsed.error));
      // Looked up in the stores' index (the normalised code as key), loaded or not: a wrong code
      // takes the same path as a right one up to the answer.
      const found = await registry.findJoinCode(parsed.data.joinCode);
      if (found === null) {
        // A guess here may hit any conference, so wrong lookups from all addresses share one budget too.
        const addressAllowed = await joinFailureLimit.take(req.ip ?? "");
        const everyoneAllowed = await lookupFailureLimit.take(LOOKUP_KEY);
        if (!addressAllowed || !everyoneAllowed) throw new HttpError("rate_limited", "too many wrong join codes; try again in a minute");
        throw new HttpError("forbidden", "wrong join code");
      }
      const answer: JoinCodeLookup = { conferenceId: found };
      res.json(answer);
    });
  };
}
