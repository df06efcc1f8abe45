import { describe, expect, it } from "vitest";
import { foldForSearch, matchesQuery, presenceSummary, sortedAttendees } from "../../client/src/model/participants.ts";
import {
  isEligible,
  missingVoters,
  namedVotes,
  pendingBallot,
  projectorFocus,
  RESULT_ON_SCREEN_MS,
  resultRows,
  turnout,
} from "../../client/src/model/polls.ts";
import { availableKinds, myRequests, upcoming } from "../../client/src/model/queue.ts";
import { joinPath, matchRoute } from "../../client/src/model/routes.ts";
import { agendaClock, countdownText, formatDuration, speechClock } from "../../client/src/model/time.ts";
import type { Poll, SpeakerRequest } from "../../shared/state.ts";
import { item, motion, person, T0 } from "../support/fixtures.ts";

describe("routes", () => {
  it("matches the three pages and nothing else", () => {
    expect(matchRoute("/")).toEqual({ page: "landing" });
    expect(matchRoute("/c/abc_D-1/join")).toEqual({ page: "join", conferenceId: "abc_D-1" });
    expect(matchRoute("/c/abc/")).toEqual({ page: "conference", conferenceId: "abc", view: "console" });
    expect(matchRoute("/c/abc/invitations")).toEqual({ page: "conference", conferenceId: "abc", view: "invitations" });
    expect(matchRoute("/c/abc/other")).toEqual({ page: "not_found" });
    expect(matchRoute("/c/<script>")).toEqual({ page: "not_found" });
    expect(joinPath("abc", "XY 12")).toBe("/c/abc/join?code=XY%2012");
  });
});

describe("clocks", () => {
  it("formats durations as mm:ss and h:mm:ss", () => {
    expect(formatDuration(0)).toBe("00:00");
    expect(formatDuration(61_999)).toBe("01:01");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
  });

  it("shows an agenda item's time against its plan, and the overrun", () => {
    const running = item("a", { status: "active", startedAt: T0, spentMs: 60_000, plannedMinutes: 10 });
    expect(agendaClock(running, T0 + 5 * 60_000)).toMatchObject({ elapsedMs: 6 * 60_000, overrun: false });
    const over = agendaClock(running, T0 + 11 * 60_000);
    expect(over).toMatchObject({ overrun: true, overrunMs: 2 * 60_000 });
  });

  it("counts a speech down and then up past the limit", () => {
    const current = { requestId: "r", participantId: "p", kind: "speech" as const, startedAt: T0, limitSeconds: 120, itemId: null };
    expect(countdownText(speechClock(current, T0))).toBe("02:00");
    expect(countdownText(speechClock(current, T0 + 30_500))).toBe("01:30");
    expect(countdownText(speechClock(current, T0 + 135_000))).toBe("+00:15");
    expect(countdownText(speechClock({ ...current, limitSeconds: 0 }, T0 + 75_000))).toBe("01:15");
  });
});

const request = (requestId: string, participantId: string, kind: SpeakerRequest["kind"] = "speech"): SpeakerRequest => ({
  requestId,
  participantId,
  kind,
  note: "",
  requestedAt: T0,
  requestedBy: participantId,
});

describe("queue", () => {
  const queue = [request("r1", "a", "point_of_order"), request("r2", "b"), request("r3", "me"), request("r4", "me", "question")];
  it("finds my requests and their places", () => {
    expect(myRequests(queue, "me").map((m) => [m.request.requestId, m.position])).toEqual([
      ["r3", 3],
      ["r4", 4],
    ]);
    expect(myRequests(queue, "nobody")).toEqual([]);
  });
  it("offers only the kinds I have not asked for", () => {
    expect(availableKinds(queue, "me", ["speech", "question", "point_of_order"])).toEqual(["point_of_order"]);
  });
  it("lists the next speakers", () => {
    expect(upcoming(queue, 2).map((r) => r.requestId)).toEqual(["r1", "r2"]);
  });
});

describe("participants", () => {
  const people = [
    person("1", "Bình", { attendance: "online", online: false }),
    person("2", "An"),
    person("3", "Screen", { role: "projector" }),
    person("4", "Chi", { attendance: "online" }),
  ];
  it("counts who is in the hall and online, screens aside", () => {
    expect(presenceSummary(people)).toEqual({ hall: 1, online: 2, connected: 2, total: 3 });
  });
  it("sorts the hall first, then by name", () => {
    expect(sortedAttendees(people, "vi-VN").map((p) => p.name)).toEqual(["An", "Bình", "Chi"]);
  });
});

describe("polls", () => {
  const me = { id: "me", name: "Me", organisation: "Hội A", organisationId: "org-a", representative: false, role: "delegate" as const, voting: true };
  const open = motion({ status: "open", openedAt: T0, eligible: 4, eligibleKeys: ["person:me", "person:b", "person:c", "person:d"], voters: ["person:b"], votesCast: 1 });

  it("computes turnout", () => {
    expect(turnout(open)).toEqual({ cast: 1, eligible: 4, ratio: 0.25 });
    expect(turnout(motion()).ratio).toBe(0);
  });

  it("hands me a ballot only while I may still vote", () => {
    const at = (...polls: Poll[]) => ({ participants: [person("me", "Me", { organisationId: "org-a" })], polls });
    expect(pendingBallot(at(open), me)?.poll.id).toBe("poll1");
    expect(pendingBallot(at({ ...open, voters: ["person:me"] }), me)).toBeNull();
    expect(pendingBallot(at(open), { ...me, voting: false })).toBeNull();
    expect(pendingBallot(at({ ...open, eligibleKeys: ["person:b"] }), me)).toBeNull();
    expect(pendingBallot(at(open), me, new Set(["poll1"]))).toBeNull();
    const byOrg = { ...open, weighting: "organisation" as const, eligibleKeys: ["org:org-a"], voters: [] };
    expect(isEligible(byOrg, me)).toBe(true);
    expect(pendingBallot(at({ ...byOrg, voters: ["org:org-a"] }), me)).toBeNull();
  });

  it("lists who has not voted yet", () => {
    const people = [person("me", "Me"), person("b", "B"), person("c", "C")];
    const missing = missingVoters(open, people);
    expect(missing.map((m) => m.participant?.name ?? m.key)).toEqual(["Me", "C", "person:d"]);
    const byOrg = { ...open, weighting: "organisation" as const, eligibleKeys: ["org:org-a"], voters: [] };
    expect(missingVoters(byOrg, [person("x", "X", { organisation: "Hội A", organisationId: "org-a" })])).toEqual([
      { key: "org:org-a", participant: null, organisation: "Hội A" },
    ]);
  });

  const closed = motion({ status: "closed", closedAt: T0 + 1000, eligible: 50, votesCast: 46, tally: { yes: 41, no: 3, abstain: 2 }, outcome: "adopted" });

  it("turns a result into bars", () => {
    const rows = resultRows(closed);
    expect(rows.map((r) => [r.optionId, r.count, r.winner])).toEqual([
      ["yes", 41, true],
      ["no", 3, false],
      ["abstain", 2, false],
    ]);
    // Of the base, as the sentence says it (41/50), not of the votes cast.
    expect(rows[0]!.share).toBeCloseTo(41 / 50);
    expect(resultRows({ ...closed, eligible: 0 })[0]!.share).toBeCloseTo(41 / 46);
    expect(resultRows(open)).toEqual([]);
  });

  it("shows named votes, never secret ones", () => {
    const named = { ...closed, ballots: [{ voterKey: "person:b", participantId: "b", optionId: "no" }, { voterKey: "person:a", participantId: "a", optionId: "yes" }] };
    const people = [person("a", "A"), person("b", "B")];
    expect(namedVotes(named, people, "vi-VN").map((v) => [v.participant?.name, v.optionId])).toEqual([
      ["A", "yes"],
      ["B", "no"],
    ]);
    expect(namedVotes({ ...named, secret: true }, people, "vi-VN")).toEqual([]);
  });

  it("puts an open poll, then a fresh result, then the floor on the hall's screen", () => {
    expect(projectorFocus([open], null, null, T0).kind).toBe("poll_open");
    expect(projectorFocus([closed], null, null, T0 + 2000).kind).toBe("poll_result");
    const speech = { requestId: "r", participantId: "p", kind: "speech" as const, startedAt: T0 + 5000, limitSeconds: 0, itemId: null };
    expect(projectorFocus([closed], speech, null, T0 + 6000).kind).toBe("floor");
    expect(projectorFocus([closed], null, null, T0 + 1000 + RESULT_ON_SCREEN_MS + 1).kind).toBe("floor");
    expect(projectorFocus([], null, null, T0).kind).toBe("floor");
  });
});

describe("finding a delegate by part of a name or organisation", () => {
  const duc = { name: "Nguyễn Văn Đức", organisation: "Liên hiệp Hội tỉnh Nghệ An" };
  it("ignores case and diacritics, and needs every word", () => {
    expect(matchesQuery(duc, "duc")).toBe(true);
    expect(matchesQuery(duc, "NGHE an")).toBe(true);
    expect(matchesQuery(duc, "đức nghệ")).toBe(true);
    expect(matchesQuery(duc, "duc ha tinh")).toBe(false);
    expect(matchesQuery(duc, "")).toBe(true);
  });
  it("folds Vietnamese text", () => {
    expect(foldForSearch("Đồng Tháp")).toBe("dong thap");
  });
});

describe("the /join route", () => {
  it("is the code-only join page, with or without a trailing slash", async () => {
    const { matchRoute } = await import("../../client/src/model/routes.ts");
    expect(matchRoute("/join")).toEqual({ page: "join_code" });
    expect(matchRoute("/join/")).toEqual({ page: "join_code" });
    expect(matchRoute("/join/x")).toEqual({ page: "not_found" });
  });
});

describe("an election of several seats in the result rows", () => {
  it("marks every candidate elected, and only them", () => {
    const options = [{ id: "a", label: "A" }, { id: "b", label: "B" }, { id: "c", label: "C" }];
    const rows = resultRows(motion({ kind: "election", options, status: "closed", eligible: 10, seats: 2, tally: { a: 6, b: 5, c: 1 }, outcome: "elected", winnerOptionId: "a", winnerOptionIds: ["a", "b"] }));
    expect(rows.map((r) => [r.optionId, r.winner])).toEqual([["a", true], ["b", true], ["c", false]]);
  });
});
