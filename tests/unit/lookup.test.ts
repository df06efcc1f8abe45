import { describe, expect, it } from "vitest";
import { appendKeys, byId, includesKey } from "../../shared/domain/lookup.ts";

/** `n` distinct keys with a prefix: `p0`, `p1`, … */
const keys = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);

/** Every key a test asks about: those in any of the arrays, and some in none. */
const probes = (...arrays: (readonly string[])[]) => [...new Set([...arrays.flat(), "absent", "k-1", "", "x999"])];

/** includesKey answers exactly as `includes` for every probe, asked twice (the second from the cached index). */
function expectLikeIncludes(array: readonly string[], all: readonly string[], label: string) {
  for (let round = 0; round < 2; round++) {
    for (const key of all) expect(includesKey(array, key), `${label} (${array.length} keys) ∋ ${JSON.stringify(key)}, round ${round}`).toBe(array.includes(key));
  }
}

describe("byId", () => {
  for (const n of [0, 1, 5, 31, 32, 33, 100, 1_000]) {
    it(`agrees with find on ${n} items, including a missing id and repeated ids`, () => {
      const items = Array.from({ length: n }, (_, i) => ({ id: `id${i}`, n: i }));
      // a repeated id later in the array: the first one wins, as with find
      if (n > 2) items.push({ id: "id1", n: -1 }, { id: `id${n - 1}`, n: -2 });
      for (let round = 0; round < 2; round++) {
        for (const id of [...items.map((i) => i.id), "missing", "id-1", `id${n}`]) {
          expect(byId(items, id)).toBe(items.find((i) => i.id === id));
        }
      }
      if (n > 2) expect(byId(items, "id1")!.n).toBe(1);
    });
  }

  it("answers for the array it is given, not another array with the same length", () => {
    const a = Array.from({ length: 40 }, (_, i) => ({ id: `a${i}` }));
    const b = Array.from({ length: 40 }, (_, i) => ({ id: `b${i}` }));
    expect(byId(a, "a3")).toBe(a[3]);
    expect(byId(b, "a3")).toBeUndefined();
    expect(byId(b, "b3")).toBe(b[3]);
    expect(byId(a, "b3")).toBeUndefined();
  });
});

describe("includesKey", () => {
  for (const n of [0, 1, 31, 32, 33, 64, 500]) {
    it(`agrees with includes on ${n} keys`, () => {
      const array = keys("k", n);
      expectLikeIncludes(array, probes(array, keys("k", 3, n)), "array");
    });
  }

  it("agrees with includes when an array holds duplicates", () => {
    for (const n of [10, 40]) {
      const array = [...keys("k", n), "k0", "k3", "k3", `k${n - 1}`];
      expect(array.length).toBe(n + 4);
      expectLikeIncludes(array, probes(array), "with duplicates");
    }
  });
});

describe("appendKeys", () => {
  it("answers [...keys, ...added]", () => {
    const a = keys("k", 40);
    expect(appendKeys(a, ["x", "y"])).toEqual([...a, "x", "y"]);
    expect(appendKeys([], [])).toEqual([]);
    // a new array, never the one given
    const b = appendKeys(a, []);
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
  });

  // The index is shared along a line only when the older array has been looked up first (it is
  // built by includesKey); both orders are covered.
  for (const lookFirst of [true, false]) {
    it(`a line a → b → c: each answers for its own keys only, never those added later (${lookFirst ? "indexed before appending" : "indexed after"})`, () => {
      const a = keys("a", 40);
      if (lookFirst) expect(includesKey(a, "a0")).toBe(true);
      const b = appendKeys(a, keys("b", 10));
      if (lookFirst) expect(includesKey(b, "b0")).toBe(true);
      const c = appendKeys(b, keys("c", 10));
      const all = probes(a, b, c);
      // the newest first, then the older ones: an older array must not see the later keys
      expectLikeIncludes(c, all, "c");
      expectLikeIncludes(b, all, "b");
      expectLikeIncludes(a, all, "a");
      // and after the line grows further
      const d = appendKeys(c, ["d0"]);
      expectLikeIncludes(d, probes(d), "d");
      expectLikeIncludes(a, probes(d), "a after d");
      expectLikeIncludes(b, probes(d), "b after d");
      expectLikeIncludes(c, probes(d), "c after d");
    });
  }

  it("a line that crosses the scan threshold (short arrays grow long one key at a time)", () => {
    let line: string[] = [];
    const arrays: string[][] = [line];
    for (let i = 0; i < 70; i++) {
      line = appendKeys(line, [`v${i}`]);
      arrays.push(line);
      // every step looked up, as the rules do on each vote
      expect(includesKey(line, `v${i}`)).toBe(true);
      expect(includesKey(line, `v${i + 1}`)).toBe(false);
    }
    const all = probes(line);
    arrays.forEach((array, i) => expectLikeIncludes(array, all, `step ${i}`));
  });

  for (const lookFirst of [true, false]) {
    it(`a fork: two arrays appended to the same one each answer for their own keys (${lookFirst ? "indexed before" : "not indexed"})`, () => {
      const a = keys("a", 40);
      if (lookFirst) includesKey(a, "a0");
      const left = appendKeys(a, keys("l", 5));
      const right = appendKeys(a, keys("r", 5));
      const all = probes(a, left, right);
      expectLikeIncludes(left, all, "left");
      expectLikeIncludes(right, all, "right");
      expectLikeIncludes(a, all, "a");
      // each branch grows on
      const left2 = appendKeys(left, ["l-next"]);
      const right2 = appendKeys(right, ["r-next"]);
      const more = probes(a, left2, right2);
      for (const [array, label] of [[left2, "left2"], [right2, "right2"], [left, "left"], [right, "right"], [a, "a"]] as const) {
        expectLikeIncludes(array, more, label);
      }
    });
  }

  it("a fork where the first branch was looked up before the second was made", () => {
    const a = keys("a", 40);
    includesKey(a, "a0");
    const left = appendKeys(a, ["L"]);
    expect(includesKey(left, "L")).toBe(true);
    const right = appendKeys(a, ["R"]);
    const all = probes(a, left, right);
    expectLikeIncludes(right, all, "right");
    expectLikeIncludes(left, all, "left");
    expectLikeIncludes(a, all, "a");
  });

  it("a fork from an appended array with nothing added", () => {
    const a = keys("a", 40);
    includesKey(a, "a0");
    const same = appendKeys(a, []);
    const other = appendKeys(a, ["z"]);
    const all = probes(a, same, other);
    expectLikeIncludes(same, all, "same");
    expectLikeIncludes(other, all, "other");
    expectLikeIncludes(a, all, "a");
  });

  it("forks on both sides of an append that added nothing", () => {
    const a = keys("a", 40);
    includesKey(a, "a0");
    const same = appendKeys(a, []);
    const fromSame = appendKeys(same, ["z"]);
    const fromA = appendKeys(a, ["w"]);
    const fromSameAgain = appendKeys(same, ["v"]);
    const all = probes(a, same, fromSame, fromA, fromSameAgain);
    for (const [array, label] of [[fromSameAgain, "fromSameAgain"], [fromA, "fromA"], [fromSame, "fromSame"], [same, "same"], [a, "a"]] as const) {
      expectLikeIncludes(array, all, label);
    }
  });

  it("duplicates added: keys already in the array, and repeated within what is added", () => {
    const a = keys("a", 40);
    includesKey(a, "a0");
    const b = appendKeys(a, ["a0", "a39", "n", "n"]);
    expect(b.length).toBe(44);
    const c = appendKeys(b, ["a5", "m"]);
    const all = probes(a, b, c);
    expectLikeIncludes(c, all, "c");
    expectLikeIncludes(b, all, "b");
    expectLikeIncludes(a, all, "a");
  });

  it("an array holding duplicates from the start, then a line from it", () => {
    const a = [...keys("a", 40), "a1", "a2"];
    includesKey(a, "a0");
    const b = appendKeys(a, ["b"]);
    const c = appendKeys(b, ["c"]);
    const all = probes(a, b, c);
    for (const [array, label] of [[c, "c"], [b, "b"], [a, "a"]] as const) expectLikeIncludes(array, all, label);
  });

  it("a fork where the first branch added only keys already present", () => {
    // The first branch adds no new key, so the shared index keeps exactly as many keys as the
    // array it was built for: the second branch then extends the same index.
    const a = keys("a", 40);
    includesKey(a, "a0");
    const dupOnly = appendKeys(a, ["a0"]);
    const fresh = appendKeys(a, ["NEW"]);
    const all = probes(a, dupOnly, fresh);
    expectLikeIncludes(fresh, all, "fresh");
    expectLikeIncludes(a, all, "a");
    expectLikeIncludes(dupOnly, all, "dupOnly");
  });
});
