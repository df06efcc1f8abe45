/**
 * Every translation key the code names is in every language: a key written in `t("…")` (or in
 * either branch of a `t(a ? "…" : "…")`) that neither `common.json` nor `minutes.json` holds
 * would show the key itself on screen. Keys built at run time (`t(\`kind.${k}\`)`) are not seen
 * here; tests/client/i18n.test.ts keeps the languages' key sets equal.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const LANGUAGES = ["vi", "en"];
const NAMESPACES = ["common.json", "minutes.json"];
const PLURAL = /_(ordinal_)?(zero|one|two|few|many|other)$/;

function leafKeys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** The keys of a language, plural suffixes taken off (i18next picks the form). */
function keysOf(language: string): Set<string> {
  const keys = new Set<string>();
  for (const file of NAMESPACES) {
    const json = JSON.parse(readFileSync(join(ROOT, "shared/i18n", language, file), "utf8"));
    for (const key of leafKeys(json)) keys.add(key.replace(PLURAL, ""));
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist" || name === "i18n") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The first argument of each `t(…)` call, as written (strings kept whole, nested parentheses matched). */
export function firstArguments(source: string): string[] {
  const found: string[] = [];
  const call = /(?<![\w$.])t\(/g;
  for (let match = call.exec(source); match; match = call.exec(source)) {
    let depth = 0;
    let i = match.index + 2;
    const start = i;
    for (; i < source.length; i++) {
      const c = source[i]!;
      if (c === '"' || c === "'" || c === "`") {
        const quote = c;
        for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === "\\") i++;
        continue;
      }
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
    }
    found.push(source.slice(start, i));
  }
  return found;
}

/** The dotted string literals of an argument: the keys it may name ("agenda.title"). */
export function literalKeys(argument: string): string[] {
  return [...argument.matchAll(/"([A-Za-z][\w]*(?:\.[\w]+)+)"/g)].map((m) => m[1]!);
}

describe("translation keys named in the code", () => {
  it("finds the keys of a call, either branch of a condition included", () => {
    const args = firstArguments(`t("a.b", { n: f(1) }); x.t("no.pe"); t(on ? "c.d" : kind === "x" ? "e.f" : "g.h"); t(\`k.\${v}\`)`);
    expect(args.flatMap(literalKeys)).toEqual(["a.b", "c.d", "e.f", "g.h"]);
  });

  const files = ["client/src", "shared", "server"].flatMap((dir) => sourceFiles(join(ROOT, dir)));

  it("sees the code's keys (the scan itself works)", () => {
    const named = new Set(files.flatMap((file) => firstArguments(readFileSync(file, "utf8")).flatMap(literalKeys)));
    expect(named.size).toBeGreaterThan(300);
    expect(named).toContain("floor.acknowledge");
  });

  for (const language of LANGUAGES) {
    it(`are all in ${language}`, () => {
      const keys = keysOf(language);
      const missing = files.flatMap((file) =>
        firstArguments(readFileSync(file, "utf8"))
          .flatMap(literalKeys)
          .filter((key) => !keys.has(key))
          .map((key) => `${relative(ROOT, file)}: ${key}`),
      );
      expect([...new Set(missing)]).toEqual([]);
    });
  }
});
