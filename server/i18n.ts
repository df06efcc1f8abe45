import i18next from "i18next";
// The one set of words, the client's and the server's: the translation files in shared/i18n, which
// the translation test keeps complete in both languages.
import enCommon from "../shared/i18n/en/common.json";
import enMinutes from "../shared/i18n/en/minutes.json";
import viCommon from "../shared/i18n/vi/common.json";
import viMinutes from "../shared/i18n/vi/minutes.json";
import type { Translate } from "../shared/minutesFacts.ts";
import type { Language } from "../shared/state.ts";

const i18n = i18next.createInstance();
void i18n.init({
  resources: { vi: { common: viCommon, minutes: viMinutes }, en: { common: enCommon, minutes: enMinutes } },
  lng: "vi",
  fallbackLng: "vi",
  ns: ["common", "minutes"],
  defaultNS: "common",
  // Nothing the server words is HTML: a DOCX makes its text safe for XML where it enters the
  // document (textRuns), and JSON answers are data.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

/** The words of one namespace in a conference's language (Vietnamese for a conference without one). */
export function wordsFor(language: Language | undefined, namespace: "common" | "minutes"): Translate {
  return i18n.getFixedT(language === "en" ? "en" : "vi", namespace) as unknown as Translate;
}
