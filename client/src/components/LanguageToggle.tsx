import { LANGUAGES, setLanguage, useI18n } from "../i18n/index.ts";

/** The VI / EN switch shown on every page. */
export function LanguageToggle() {
  const { t, language } = useI18n();
  return (
    <div className="lang-toggle" role="group" aria-label={t("language.label")}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={language === l}
          aria-label={t(`language.${l}`)}
          onClick={() => setLanguage(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
