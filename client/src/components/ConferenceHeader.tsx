import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { AttendanceSummary } from "../people/AttendanceSummary.tsx";
import { ConnectionBanner } from "./ConnectionBanner.tsx";
import { LanguageToggle } from "./LanguageToggle.tsx";

/**
 * The conference's title bar: title, status, who I am, the attendance counts (the quorum at a
 * glance; not on the compact phone bar), extra tools, the language switch.
 */
export function ConferenceHeader({ children, compact = false }: { children?: ReactNode; compact?: boolean }) {
  const { t } = useI18n();
  const { state, me, status } = useConference();
  const { conference } = state;
  return (
    <>
      <ConnectionBanner status={status} />
      <header className={`topbar ${compact ? "topbar--compact" : ""}`}>
        <div className="topbar__title">
          <p className="topbar__conf">{conference.title}</p>
          <p className="topbar__sub">
            <span className={`status status--conf-${conference.status}`}>{t(`conference.status.${conference.status}`)}</span>
            {!compact && [conference.organisation, conference.venue].filter(Boolean).map((s) => <span key={s}> · {s}</span>)}
            <span className="topbar__me">
              {" · "}
              {me.name} ({t(`role.${me.role}`)})
            </span>
          </p>
        </div>
        <div className="topbar__tools">
          {!compact && <AttendanceSummary variant="header" />}
          {children}
          <LanguageToggle />
        </div>
      </header>
    </>
  );
}
