import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.ts";
import type { ConnectionStatus } from "../live/ConferenceConnection.ts";
import { useConference, useConferenceI18n } from "../live/useConference.ts";
import { deviceDiffersFrom, zoneLabel } from "../model/time.ts";
import { AttendanceSummary } from "../people/AttendanceSummary.tsx";
import { ConnectionBanner } from "./ConnectionBanner.tsx";
import { CopyMyLink } from "./CopyMyLink.tsx";
import { LanguageToggle } from "./LanguageToggle.tsx";

/**
 * The conference's title bar: the title (the page's one h1), status, when the meeting is (in the
 * conference's time zone, named when this device is in another), whether this page is live, who I
 * am, the attendance counts (the quorum at a glance; not on the compact phone bar), extra tools,
 * "copy my link", the language switch.
 */
export function ConferenceHeader({ children, compact = false }: { children?: ReactNode; compact?: boolean }) {
  const { t } = useI18n();
  const { state, me, status } = useConference();
  const { conference } = state;
  const at = conference.startsAt ?? conference.startedAt;
  return (
    <>
      <ConnectionBanner status={status} />
      <header className={`topbar ${compact ? "topbar--compact" : ""}`}>
        <div className="topbar__title">
          <h1 className="topbar__conf">{conference.title}</h1>
          <p className="topbar__sub">
            <span className={`status status--conf-${conference.status}`}>{t(`conference.status.${conference.status}`)}</span>
            {at !== null && (
              <>
                {" · "}
                <MeetingTime at={at} compact={compact} />
              </>
            )}
            {!compact &&
              [conference.organisation, conference.venue].filter(Boolean).map((s) => (
                <span key={s} className="topbar__place">
                  {" · "}
                  {s}
                </span>
              ))}
            <span className="topbar__me">
              {" · "}
              {me.name} ({t(`role.${me.role}`)})
            </span>
            {" · "}
            <LiveState status={status} />
          </p>
        </div>
        <div className="topbar__tools">
          {!compact && <AttendanceSummary variant="header" />}
          {children}
          <CopyMyLink compact={compact} />
          <LanguageToggle />
        </div>
      </header>
    </>
  );
}

/**
 * When the meeting is: its planned start (or, without one, when it started), in the conference's
 * time zone; the zone is named when this device's clock is in another one.
 */
export function MeetingTime({ at, compact = false }: { at: number; compact?: boolean }) {
  const { t, fmt } = useConferenceI18n();
  const { state } = useConference();
  const zone = state.conference.timeZone;
  const time = compact ? fmt.shortDateTime(at) : fmt.dateTime(at);
  return (
    <time className="topbar__when" dateTime={new Date(at).toISOString()}>
      {deviceDiffersFrom(zone, at) ? t("header.whenZone", { time, zone: zoneLabel(zone, at) }) : time}
    </time>
  );
}

/** "Online" once the live link is up, "Connecting…" until then: two words, never the same one. */
function LiveState({ status }: { status: ConnectionStatus }) {
  const { t } = useI18n();
  const online = status === "online";
  return (
    <span className={`live-state ${online ? "live-state--on" : "live-state--off"}`}>
      <span className={`dot ${online ? "dot--on" : "dot--off"}`} aria-hidden="true" /> {t(online ? "connection.online" : status === "offline" ? "connection.offlineShort" : "connection.connecting")}
    </span>
  );
}
