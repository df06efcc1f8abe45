/**
 * The one rule for single-line human text (names, titles, organisations, venues, notes, questions,
 * option labels), and the one repair for text on its way into XML (the DOCX export).
 *
 * The rule is checked at the edge, by every schema's `text()` (shared/commands.ts), on the trimmed,
 * NFC-normalised value; so a stray newline or tab at either end is trimmed away as before, and
 * anything of the following left inside is refused:
 *
 * - control characters: C0 (U+0000–U+001F, tab, line feed and carriage return included), DEL
 *   (U+007F), C1 (U+0080–U+009F, NEL U+0085 included), and the line and paragraph separators
 *   U+2028/U+2029, which are line breaks too;
 * - unpaired surrogates (a UTF-16 half of a character, which is no character at all);
 * - noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF,
 *   U+1FFFE, U+1FFFF, … U+10FFFF);
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make
 *   text read in another order than it is stored ("Trojan source" names);
 * - text that is nothing but invisible characters: white space, format characters (category Cf:
 *   zero-width space, ZWNJ/ZWJ, word joiner, BOM, LRM/RLM, soft hyphen…), default-ignorable code
 *   points (Hangul fillers, variation selectors, tags…) and the blank braille pattern. Such a
 *   character inside visible text is fine: the ZWJ of 👩‍💻, the LRM of mixed Arabic and Latin.
 *
 * Empty text is not this rule's business: each field says whether it may be empty (`text(max, 1)`).
 * Vietnamese passes in either normal form; `text()` stores it as NFC.
 */

/** Why text is refused, in the words of the `invalid` error's message. */
export const TEXT_REFUSALS = {
  control: "control characters are not allowed",
  surrogate: "unpaired surrogates are not allowed",
  noncharacter: "noncharacters are not allowed",
  bidi: "bidirectional control characters are not allowed",
  invisible: "invisible characters only",
} as const;

/** One of {@link TEXT_REFUSALS}' messages. */
export type TextRefusal = (typeof TEXT_REFUSALS)[keyof typeof TEXT_REFUSALS];

/** A character that shows nothing on its own. */
const INVISIBLE = /^[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]$/u;

/**
 * Why `value` is not acceptable single-line human text, or `null` if it is (the rule above). Checks
 * the value as given: callers trim and normalise first. The empty string is acceptable here.
 */
export function singleLineTextProblem(value: string): TextRefusal | null {
  let visible = false;
  // for…of walks code points; an unpaired surrogate comes out alone.
  for (const char of value) {
    const cp = char.codePointAt(0)!;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) return TEXT_REFUSALS.control;
    if (cp >= 0xd800 && cp <= 0xdfff) return TEXT_REFUSALS.surrogate;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return TEXT_REFUSALS.noncharacter;
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return TEXT_REFUSALS.bidi;
    if (!visible && !INVISIBLE.test(char)) visible = true;
  }
  return value.length > 0 && !visible ? TEXT_REFUSALS.invisible : null;
}

/**
 * What XML 1.0 forbids in a document (its `Char` production): C0 controls but tab, line feed and
 * carriage return; U+FFFE and U+FFFF; and unpaired surrogates, which cannot be encoded at all.
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` made safe for XML 1.0 character data and attribute values (escaping `<`, `&`… remains the
 * writer's job): forbidden controls and U+FFFE/U+FFFF are dropped, unpaired surrogates become
 * U+FFFD, as any UTF-8 encoder would make them. Everything else, discouraged characters included,
 * is kept. For text that was never through {@link singleLineTextProblem}: the minutes, which writers
 * type into a shared document no schema checks, and records stored before the rule.
 */
export function xmlSafe(value: string): string {
  return value.replace(XML_FORBIDDEN, (char) => (char >= "\uD800" && char <= "\uDFFF" ? "\uFFFD" : ""));
}
