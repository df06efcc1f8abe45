import { describe, expect, it } from "vitest";
import { ballotKey, ballotsOf, basePreview, hallRoom, hallVoteCandidates, noBallotReason, pendingBallot, rosterClusters, sumCounts, turnout, votesNeeded } from "../../client/src/model/polls.ts";
import { mayGiveProxy, proxiesHeldBy, proxyCandidates, proxyHolder } from "../../client/src/people/proxies.ts";
import { motionOutcome } from "../../shared/domain/outcome.ts";
import type { Organisation } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { conference, motion, person, T0 } from "../support/fixtures.ts";

const organisations: Organisation[] = [
  { id: "na", name: "Liên hiệp Hội tỉnh Nghệ An", shortName: "", cluster: "Bắc Trung Bộ", source: "roster" },
  { id: "ht", name: "Liên hiệp Hội tỉnh Hà Tĩnh", shortName: "", cluster: "bắc trung  bộ", source: "roster" },
  { id: "hcm", name: "Liên hiệp Hội TP. Hồ Chí Minh", shortName: "", cluster: "Nam Bộ", source: "roster" },
  { id: "xd", name: "Tổng hội Xây dựng Việt Nam", shortName: "", cluster: null, source: "roster" },
];
const member = (id: string, name: string, organisationId: string | null, extra: Parameters<typeof person>[2] = {}) =>
  person(id, name, { organisationId, organisation: organisations.find((o) => o.id === organisationId)?.name ?? "", ...extra });
const meOf = (id: string, organisationId: string | null, extra: Partial<Me> = {}): Me => ({ id, name: id, organisation: "", organisationId, representative: false, role: "delegate", voting: true, ...extra });

describe("the hall's show of hands", () => {
  const open = motion({ status: "open", openedAt: T0, eligible: 10, eligibleKeys: [], voters: ["a", "b", "c"], votesCast: 3 });

  it("counts the room left: eligible − device − hall", () => {
    expect(hallRoom(open)).toEqual({ eligible: 10, device: 3, hall: 0, remaining: 7 });
    expect(hallRoom({ ...open, hallCounts: { yes: 4, no: 1, abstain: 0 } })).toEqual({ eligible: 10, device: 3, hall: 5, remaining: 2 });
    // What a form is about to send replaces what was recorded.
    expect(hallRoom({ ...open, hallCounts: { yes: 4, no: 1, abstain: 0 } }, { yes: 8, no: 0, abstain: 0 }).remaining).toBe(-1);
    expect(sumCounts(null)).toBe(0);
  });

  it("puts the hands into the turnout", () => {
    expect(turnout({ ...open, hallCounts: { yes: 2, no: 0, abstain: 0 } })).toEqual({ cast: 5, eligible: 10, ratio: 0.5 });
  });
});

describe("what a rule takes", () => {
  it("agrees with the outcome rules on every small base", () => {
    for (let eligible = 0; eligible <= 30; eligible++) {
      for (const majority of ["absolute", "two_thirds"] as const) {
        const needed = votesNeeded(majority, eligible)!;
        expect(motionOutcome(majority, { yes: needed, no: 0, abstain: 0 }, eligible), `${majority} of ${eligible}`).toBe("adopted");
        expect(motionOutcome(majority, { yes: needed - 1, no: 0, abstain: 0 }, eligible), `${majority} of ${eligible}`).toBe("rejected");
      }
    }
    expect(votesNeeded("two_thirds", 60)).toBe(40);
    expect(votesNeeded("absolute", 60)).toBe(31);
    expect(votesNeeded("simple", 60)).toBeNull();
  });
});

describe("the base before opening", () => {
  const participants = [
    member("an", "An", "na", { representative: true }),
    member("bich", "Bích", "na", { checkedInAt: null }),
    member("cuong", "Cường", "ht", { checkedInAt: null, proxyId: "an" }),
    member("duc", "Đức", "hcm", { leftAt: T0 + 1 }),
    member("sec", "Thư ký", "xd", { role: "secretary" }),
    member("guest", "Khách", null, { guest: true }),
    member("gone", "Đã xóa", "xd", { removedAt: T0 }),
  ];
  const state = conference({ participants, organisations });

  it("counts the voters present and the absent ones whose proxy is present, of every registered voter", () => {
    expect(basePreview(state, { weighting: "person", base: "present", cluster: null })).toEqual({ eligible: 2, registered: 4 });
    expect(basePreview(state, { weighting: "person", base: "registered", cluster: null })).toEqual({ eligible: 4, registered: 4 });
    expect(basePreview(state, { weighting: "organisation", base: "present", cluster: null })).toEqual({ eligible: 2, registered: 3 });
    expect(basePreview(state, { weighting: "person", base: "present", cluster: "Nam Bộ" })).toEqual({ eligible: 0, registered: 1 });
  });

  it("offers each cluster once, whatever its spelling", () => {
    expect(rosterClusters(organisations, "vi-VN")).toEqual(["Bắc Trung Bộ", "Nam Bộ"]);
    expect(rosterClusters([], "vi-VN")).toEqual([]);
  });
});

describe("which ballots I cast", () => {
  const participants = [
    member("me", "Tôi", "na"),
    member("giver", "Người ủy quyền", "ht", { checkedInAt: null, proxyId: "me" }),
    member("mate", "Đồng đoàn", "na", { checkedInAt: null, proxyId: "me" }),
    member("rep", "Trưởng đoàn", "hcm", { representative: true }),
    member("other", "Thành viên", "hcm"),
  ];
  const state = conference({ participants, organisations });
  const proxies = { giver: "me", mate: "me" };
  const perPerson = motion({
    status: "open",
    openedAt: T0,
    proxies,
    eligibleKeys: ["person:me", "person:giver", "person:mate", "person:rep", "person:other"],
    eligible: 5,
  });
  const me = meOf("me", "na");

  it("gives me my own, then one for each giver whose proxy I hold", () => {
    const ballots = ballotsOf(state, perPerson, me);
    expect(ballots.map((b) => [b.onBehalfOf?.id ?? null, b.voterKey])).toEqual([
      [null, "person:me"],
      ["giver", "person:giver"],
      ["mate", "person:mate"],
    ]);
    expect(ballotsOf(state, { ...perPerson, voters: ["person:me", "person:mate"] }, me).map((b) => b.onBehalfOf?.id)).toEqual(["giver"]);
    // A giver outside the base (absent, their holder absent too, when it opened) gives no ballot.
    expect(ballotsOf(state, { ...perPerson, eligibleKeys: ["person:me"] }, me).map((b) => b.voterKey)).toEqual(["person:me"]);
    expect(ballotsOf(state, { ...perPerson, status: "closed" }, me)).toEqual([]);
    expect(ballotsOf(state, perPerson, { ...me, voting: false })).toEqual([]);
  });

  it("takes over my screen with my own ballot first, then each proxy's", () => {
    const polls = [perPerson];
    expect(pendingBallot({ ...state, polls }, me)?.onBehalfOf).toBeNull();
    expect(pendingBallot({ ...state, polls }, me, new Set([ballotKey("poll1")]))?.onBehalfOf?.id).toBe("giver");
    expect(pendingBallot({ ...state, polls }, me, new Set(["poll1", ballotKey("poll1", "giver"), ballotKey("poll1", "mate")]))).toBeNull();
    expect(ballotKey("poll1", "giver")).not.toBe(ballotKey("poll1"));
  });

  it("under organisation weighting: one vote per organisation, cast by its representative", () => {
    const byOrg = { ...perPerson, weighting: "organisation" as const, eligibleKeys: ["org:na", "org:ht", "org:hcm"], eligible: 3 };
    // My own organisation's vote and my team-mate's proxy are one vote.
    expect(ballotsOf(state, byOrg, me).map((b) => [b.onBehalfOf?.id ?? null, b.voterKey])).toEqual([
      [null, "org:na"],
      ["giver", "org:ht"],
    ]);
    const other = meOf("other", "hcm");
    expect(ballotsOf(state, byOrg, other)).toEqual([]);
    expect(noBallotReason(state, byOrg, other)).toMatchObject({ kind: "representative", representative: { id: "rep" }, proxy: null });
    // The representative's proxy is named beside them.
    const repProxy = { ...byOrg, proxies: { rep: "me" } };
    expect(noBallotReason(state, repProxy, other)).toMatchObject({ kind: "representative", proxy: { id: "me" } });
    expect(ballotsOf(state, repProxy, me).map((b) => b.voterKey)).toEqual(["org:na", "org:hcm"]);
    expect(ballotsOf(state, byOrg, meOf("rep", "hcm", { representative: true })).map((b) => b.voterKey)).toEqual(["org:hcm"]);
    expect(noBallotReason(state, byOrg, me)).toBeNull();
  });

  it("says why someone has no ballot: came after opening, or not of the cluster", () => {
    expect(noBallotReason(state, { ...perPerson, eligibleKeys: ["person:rep"] }, me)).toEqual({ kind: "late" });
    const cluster = { ...perPerson, cluster: "Nam Bộ", eligibleKeys: ["person:rep", "person:other"] };
    expect(noBallotReason(state, cluster, me)).toEqual({ kind: "cluster", cluster: "Nam Bộ" });
    expect(noBallotReason(state, { ...cluster, cluster: "Bắc Trung Bộ", eligibleKeys: [] }, me)).toEqual({ kind: "late" });
  });

  it("offers the chair the entitled people who have not voted, for a hall vote", () => {
    const named = { ...perPerson, voters: ["person:me"] };
    expect(hallVoteCandidates(state, named, "vi-VN").map((p) => p.id)).toEqual(["mate", "giver", "other", "rep"]); // by name: Đồng đoàn, Người ủy quyền, …
    expect(hallVoteCandidates(state, { ...named, secret: true }, "vi-VN")).toEqual([]);
    const byOrg = { ...perPerson, weighting: "organisation" as const, eligibleKeys: ["org:na", "org:hcm"], voters: ["org:na"] };
    expect(hallVoteCandidates(state, byOrg, "vi-VN").map((p) => p.id)).toEqual(["rep"]);
  });
});

describe("proxies on the roster", () => {
  const participants = [
    person("a", "An"),
    person("b", "Bình", { proxyId: "a" }),
    person("c", "Chi"),
    person("d", "Dũng", { proxyId: "c" }),
    person("s", "Thư ký", { role: "secretary" }),
    person("g", "Khách", { guest: true }),
    person("x", "Xóa", { removedAt: T0, proxyId: "c" }),
  ];

  it("names the holder and the givers, removed ones aside", () => {
    expect(proxyHolder(participants, participants[1]!)?.name).toBe("An");
    expect(proxyHolder(participants, participants[0]!)).toBeUndefined();
    expect(proxiesHeldBy(participants, "c", "vi-VN").map((p) => p.id)).toEqual(["d"]);
  });

  it("offers no chains, no self, no non-voters", () => {
    expect(mayGiveProxy(participants, participants[0]!)).toBe(false); // holds Bình's
    expect(mayGiveProxy(participants, participants[1]!)).toBe(true);
    expect(mayGiveProxy(participants, participants[4]!)).toBe(false);
    expect(mayGiveProxy(participants, participants[5]!)).toBe(false);
    expect(proxyCandidates(participants, participants[0]!, "vi-VN").map((p) => p.id)).toEqual(["c"]);
    expect(proxyCandidates(participants, participants[2]!, "vi-VN").map((p) => p.id)).toEqual(["a"]);
  });
});
