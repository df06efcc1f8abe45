import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";

/**
 * The address to open for a meeting link, or null: only an absolute http(s) URL is ever put in an
 * href (the server checks it too; a `javascript:` address must never reach a link).
 */
export function meetingHref(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** "Join the video meeting": the conference's meeting link (Zoom, Jitsi, Teams…) in a new tab; nothing when it has none. */
export function MeetingLink({ className = "btn btn--primary btn--block" }: { className?: string }) {
  const { t } = useI18n();
  const { state } = useConference();
  const href = meetingHref(state.conference.meetingUrl ?? "");
  if (!href) return null;
  return (
    <a className={`meeting-link ${className}`} href={href} target="_blank" rel="noopener noreferrer">
      <Icon name="online" /> {t("meeting.join")}
      <span className="visually-hidden"> ({t("meeting.newTab")})</span>
    </a>
  );
}
