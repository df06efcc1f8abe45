// The one set of the minutes' words, the editor's one-click records and this export alike; the
// phrases of the frame (dates, the closing line, …) are shared/officialMinutes.ts's.
import type vi from "../../../shared/i18n/vi/minutes.json";
import { wordsFor } from "../../i18n.ts";
import type { Translate } from "../../../shared/minutesFacts.ts";
import type { Language } from "../../../shared/state.ts";

/** A plain word of the official minutes: a string under `official` in minutes.json. */
export type OfficialWord = {
  [K in keyof typeof vi.official]: (typeof vi.official)[K] extends string ? K : never;
}[keyof typeof vi.official];

/** The words of the official minutes (biên bản) in one conference language. */
export interface MinutesLabels {
  /** Any key of the `minutes` namespace, in the conference's language. */
  t: Translate;
  /** `official.<key>`, checked against the translation file at compile time. */
  word(key: OfficialWord): string;
  /** File name stem: `bien-ban` / `minutes`. */
  fileStem: string;
}

/** The words of the official minutes in `language` (Vietnamese for a conference without one). */
export function labelsFor(language: Language | undefined): MinutesLabels {
  const t = wordsFor(language === "en" ? "en" : "vi", "minutes");
  const word = (key: OfficialWord) => t(`official.${key}`);
  return { t, word, fileStem: word("fileStem") };
}
