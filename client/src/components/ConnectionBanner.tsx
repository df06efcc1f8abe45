import { useI18n } from "../i18n/index.ts";
import type { ConnectionStatus } from "../live/ConferenceConnection.ts";

/** A clear banner while the live link is down; it goes away by itself once reconnected. */
export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  const { t } = useI18n();
  const down = status === "offline" || status === "connecting";
  return (
    <div role="status" aria-live="assertive" className={down ? "conn-banner" : "visually-hidden"}>
      {status === "offline" ? t("connection.offline") : status === "connecting" ? t("connection.connecting") : ""}
    </div>
  );
}
