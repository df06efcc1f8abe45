import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const LOCALES = join(import.meta.dirname, "../../shared/i18n");
const LANGUAGES = ["vi", "en"];
/** i18next plural and ordinal suffixes: languages differ in which forms they need. */
const PLURAL = /_(ordinal_)?(zero|one|two|few|many|other)$/;

/** Every leaf key of a translation file, dotted. */
function leafKeys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

function load(language: string, file: string): string[] {
  return leafKeys(JSON.parse(readFileSync(join(LOCALES, language, file), "utf8"))).filter((k) => k !== "");
}

const namespaces = [...new Set(LANGUAGES.flatMap((l) => readdirSync(join(LOCALES, l)).filter((f) => f.endsWith(".json"))))];

describe("translations", () => {
  it("has a common namespace in every language", () => {
    expect(namespaces).toContain("common.json");
  });

  for (const file of namespaces) {
    describe(file, () => {
      it("exists in every language", () => {
        for (const language of LANGUAGES) expect(readdirSync(join(LOCALES, language)), `${language}/${file}`).toContain(file);
      });

      it("has the same keys in every language (plural forms aside)", () => {
        const [first, ...rest] = LANGUAGES.map((l) => new Set(load(l, file).map((k) => k.replace(PLURAL, ""))));
        for (const [i, other] of rest.entries()) {
          const missingInOther = [...first!].filter((k) => !other.has(k));
          const missingInFirst = [...other].filter((k) => !first!.has(k));
          expect(missingInOther, `keys of ${LANGUAGES[0]}/${file} missing in ${LANGUAGES[i + 1]}`).toEqual([]);
          expect(missingInFirst, `keys of ${LANGUAGES[i + 1]}/${file} missing in ${LANGUAGES[0]}`).toEqual([]);
        }
      });

      it("gives every plural key its `other` form in every language", () => {
        for (const language of LANGUAGES) {
          const keys = load(language, file);
          const plural = new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")));
          for (const base of plural) {
            const ordinal = keys.some((k) => k.startsWith(`${base}_ordinal_`));
            const other = ordinal ? `${base}_ordinal_other` : `${base}_other`;
            expect(keys, `${language}/${file}`).toContain(other);
          }
        }
      });

      it("has no empty strings", () => {
        for (const language of LANGUAGES) {
          const json = JSON.parse(readFileSync(join(LOCALES, language, file), "utf8"));
          const empty = leafKeys(json).filter((k) => k && k.split(".").reduce((o: any, p) => o?.[p], json) === "");
          expect(empty, `${language}/${file}`).toEqual([]);
        }
      });
    });
  }
});
