import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.ts";
import { LanguageToggle } from "./LanguageToggle.tsx";

/** The plain header of the pages outside a conference: brand and the language switch. */
export function PlainTopBar({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="topbar topbar--plain">
      <a className="brand" href="/">
        {t("app.name")}
      </a>
      {children}
      <LanguageToggle />
    </header>
  );
}
