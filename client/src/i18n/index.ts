import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import type { Language } from "../../../shared/state.ts";
import { formatters, INTL_LOCALE, type Formatters } from "../model/format.ts";
import enCommon from "../../../shared/i18n/en/common.json";
import enMinutes from "../../../shared/i18n/en/minutes.json";
import viCommon from "../../../shared/i18n/vi/common.json";
import viMinutes from "../../../shared/i18n/vi/minutes.json";

export const LANGUAGES: readonly Language[] = ["vi", "en"];
const STORAGE_KEY = "giaoban.lang";

/** Every translation, by language and namespace (`common` is ours, `minutes` the editor's). */
export const resources = {
  vi: { common: viCommon, minutes: viMinutes },
  en: { common: enCommon, minutes: enMinutes },
} as const;

function storedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === "en" || stored === "vi" ? stored : "vi";
  } catch {
    return "vi";
  }
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: "vi",
  supportedLngs: [...LANGUAGES],
  ns: ["common", "minutes"],
  defaultNS: "common",
  interpolation: { escapeValue: false }, // React escapes what it renders
  initAsync: false,
  returnNull: false,
});

function reflect(language: string) {
  if (typeof document !== "undefined") document.documentElement.lang = language;
}
reflect(i18n.language);
i18n.on("languageChanged", reflect);

/** The interface language now. */
export function currentLanguage(): Language {
  return i18n.language === "en" ? "en" : "vi";
}

/** Switches the interface language and remembers it on this device. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  void i18n.changeLanguage(language);
}

/**
 * Translations plus the locale's number and date formats, re-rendering on a language switch.
 * `timeZone`: the conference's, so that times read as the meeting's (`useConferenceI18n` passes it).
 */
export function useI18n(timeZone?: string): { t: ReturnType<typeof useTranslation>["t"]; language: Language; fmt: Formatters } {
  const { t, i18n: instance } = useTranslation("common");
  const language: Language = instance.language === "en" ? "en" : "vi";
  return { t, language, fmt: formatters(INTL_LOCALE[language], timeZone) };
}
