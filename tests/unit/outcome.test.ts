import { describe, expect, it } from "vitest";
import { AGAINST_OPTION_ID, electionOutcome, motionOutcome } from "../../shared/domain/index.ts";
import type { Majority } from "../../shared/state.ts";

const m = (majority: Majority, yes: number, no: number, abstain: number, eligible = yes + no + abstain) =>
  motionOutcome(majority, { yes, no, abstain }, eligible);

describe("motion outcome", () => {
  it("simple: adopted when Y > N; a tie is rejected; abstentions do not count", () => {
    expect(m("simple", 3, 2, 0)).toBe("adopted");
    expect(m("simple", 2, 2, 0)).toBe("rejected");
    expect(m("simple", 2, 3, 0)).toBe("rejected");
    expect(m("simple", 1, 0, 10)).toBe("adopted");
    expect(m("simple", 0, 0, 5)).toBe("rejected");
    expect(m("simple", 0, 0, 0, 10)).toBe("rejected");
  });

  it("absolute: Y > eligible / 2, exactly at the boundary, with eligible even and odd", () => {
    // eligible even: 10 → 5 is not a majority, 6 is
    expect(m("absolute", 5, 0, 0, 10)).toBe("rejected");
    expect(m("absolute", 6, 0, 0, 10)).toBe("adopted");
    // eligible odd: 9 → 4 is not, 5 is
    expect(m("absolute", 4, 0, 0, 9)).toBe("rejected");
    expect(m("absolute", 5, 0, 0, 9)).toBe("adopted");
    // it counts the eligible, not the cast: 3 yes of 3 cast but 10 eligible
    expect(m("absolute", 3, 0, 0, 10)).toBe("rejected");
    // no votes against needed either way: 6 yes, 4 no of 10
    expect(m("absolute", 6, 4, 0, 10)).toBe("adopted");
    expect(m("absolute", 0, 0, 0, 0)).toBe("rejected");
    expect(m("absolute", 1, 0, 0, 1)).toBe("adopted");
  });

  it("two thirds: Y ≥ 2/3 × (Y + N + A), at the boundary", () => {
    expect(m("two_thirds", 2, 1, 0)).toBe("adopted"); // exactly 2/3
    expect(m("two_thirds", 4, 1, 1)).toBe("adopted"); // exactly 2/3 with an abstention
    expect(m("two_thirds", 4, 2, 1)).toBe("rejected"); // 4/7 < 2/3
    expect(m("two_thirds", 199, 100, 0)).toBe("rejected"); // 0.6655…
    expect(m("two_thirds", 200, 100, 0)).toBe("adopted");
    expect(m("two_thirds", 1, 0, 0)).toBe("adopted");
    // abstentions count against: 2 yes, 0 no, 2 abstain
    expect(m("two_thirds", 2, 0, 2)).toBe("rejected");
    // v1.1: two thirds of the base, not of the votes cast: those present who do not vote count against
    expect(m("two_thirds", 2, 1, 0, 100)).toBe("rejected");
    expect(m("two_thirds", 40, 0, 0, 60)).toBe("adopted"); // exactly 2/3 of 60 present
    expect(m("two_thirds", 39, 0, 0, 60)).toBe("rejected");
    expect(m("two_thirds", 41, 10, 9, 60)).toBe("adopted"); // "41/60 đại biểu có mặt tán thành (68,3 %)"
  });

  it("no rule adopts a motion nobody voted yes for (the project's documented choice)", () => {
    for (const majority of ["simple", "absolute", "two_thirds"] as const) {
      expect(m(majority, 0, 0, 0, 0), majority).toBe("rejected");
      expect(m(majority, 0, 0, 0, 10), majority).toBe("rejected");
      expect(m(majority, 0, 0, 7), `${majority}: everyone abstaining`).toBe("rejected");
      expect(m(majority, 0, 3, 0), majority).toBe("rejected");
    }
  });
});

describe("election outcome", () => {
  const options = [
    { id: "a", label: "A" },
    { id: "b", label: "B" },
    { id: "c", label: "C" },
  ];
  const e = (majority: Majority, tally: Record<string, number>, eligible?: number) => {
    const cast = Object.values(tally).reduce((s, n) => s + n, 0);
    const { outcome, winnerOptionId } = electionOutcome(majority, options, tally, eligible ?? cast);
    return { outcome, winnerOptionId };
  };
  const none = { outcome: "none", winnerOptionId: null };

  it("simple: the candidate with the most votes, unless tied for first", () => {
    expect(e("simple", { a: 1, b: 3, c: 2 })).toEqual({ outcome: "elected", winnerOptionId: "b" });
    expect(e("simple", { a: 3, b: 3, c: 1 })).toEqual(none);
    expect(e("simple", { a: 2, b: 2, c: 2 })).toEqual(none);
    // a tie for second place does not matter
    expect(e("simple", { a: 1, b: 1, c: 5 })).toEqual({ outcome: "elected", winnerOptionId: "c" });
    // a plurality is enough
    expect(e("simple", { a: 4, b: 3, c: 3 })).toEqual({ outcome: "elected", winnerOptionId: "a" });
  });

  it("nobody voting elects nobody, whatever the rule", () => {
    for (const majority of ["simple", "absolute", "two_thirds"] as const) {
      expect(e(majority, {}, 10), majority).toEqual(none);
      expect(e(majority, { a: 0, b: 0, c: 0 }, 0), majority).toEqual(none);
    }
    expect(electionOutcome("simple", [{ id: "a", label: "A" }], { a: 0 }, 5)).toMatchObject(none);
    expect(electionOutcome("simple", [{ id: "a", label: "A" }], { a: 1 }, 5)).toMatchObject({
      outcome: "elected",
      winnerOptionId: "a",
    });
  });

  it("absolute: V > eligible / 2", () => {
    expect(e("absolute", { a: 5, b: 1, c: 0 }, 10)).toEqual(none); // 5 of 10 eligible
    expect(e("absolute", { a: 6, b: 1, c: 0 }, 10)).toEqual({ outcome: "elected", winnerOptionId: "a" });
    expect(e("absolute", { a: 4, b: 1, c: 0 }, 9)).toEqual(none);
    expect(e("absolute", { a: 5, b: 1, c: 0 }, 9)).toEqual({ outcome: "elected", winnerOptionId: "a" });
    expect(e("absolute", { a: 3, b: 3, c: 0 }, 4)).toEqual(none); // tie, even above the threshold
  });

  it("two thirds: V ≥ 2/3 × eligible (v1.1: of the base)", () => {
    expect(e("two_thirds", { a: 4, b: 1, c: 1 })).toEqual({ outcome: "elected", winnerOptionId: "a" }); // exactly 2/3
    expect(e("two_thirds", { a: 3, b: 1, c: 1 })).toEqual(none); // 3/5 < 2/3
    expect(e("two_thirds", { a: 2, b: 1, c: 1 })).toEqual(none); // 2/4
    expect(e("two_thirds", { a: 10, b: 5, c: 0 }, 15)).toEqual({ outcome: "elected", winnerOptionId: "a" }); // 10/15
    expect(e("two_thirds", { a: 10, b: 5, c: 0 }, 100)).toEqual(none); // 10 of a base of 100
  });
});

describe("elections of several seats, and a vote of confidence (issue 16)", () => {
  const candidates = ["a", "b", "c", "d"].map((id) => ({ id, label: id.toUpperCase() }));
  it("elects the first N who meet the rule; a tie at the last seat elects none of the tied", () => {
    expect(electionOutcome("simple", candidates, { a: 9, b: 7, c: 5, d: 1 }, 12, 2)).toEqual({ outcome: "elected", winnerOptionId: "a", winnerOptionIds: ["a", "b"] });
    expect(electionOutcome("simple", candidates, { a: 9, b: 5, c: 5, d: 1 }, 12, 2)).toEqual({ outcome: "elected", winnerOptionId: "a", winnerOptionIds: ["a"] });
    expect(electionOutcome("absolute", candidates, { a: 9, b: 7, c: 5, d: 1 }, 15, 3)).toEqual({ outcome: "elected", winnerOptionId: "a", winnerOptionIds: ["a"] });
    expect(electionOutcome("absolute", candidates, { a: 4, b: 4, c: 4, d: 4 }, 16, 2)).toMatchObject({ outcome: "none", winnerOptionIds: [] });
  });
  it("a single candidate must beat 'against' and meet the rule", () => {
    const options = [{ id: "x", label: "Nguyễn Văn X" }, { id: AGAINST_OPTION_ID, label: "Không đồng ý" }];
    expect(electionOutcome("absolute", options, { x: 6, no: 3 }, 10).outcome).toBe("elected");
    expect(electionOutcome("absolute", options, { x: 5, no: 1 }, 10).outcome).toBe("none");
    expect(electionOutcome("simple", options, { x: 3, no: 3 }, 10).outcome).toBe("none");
    expect(electionOutcome("simple", options, { x: 0, no: 5 }, 10)).toMatchObject({ outcome: "none", winnerOptionId: null });
  });
});
