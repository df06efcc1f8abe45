import { useTranslation } from "react-i18next";
import "./minutes.css";

/**
 * "The minutes have not been shared yet", in place of the text. Its own small module: a reader's
 * page shows it without loading the viewer (Yjs, y-websocket) until there is something to read.
 */
export function NotShared() {
  const { t } = useTranslation("common");
  return (
    <div className="minutes minutes--read">
      <div className="minutes-locked" role="status">
        <p className="minutes-locked__title">{t("minutesFlow.notShared")}</p>
        <p className="minutes-muted">{t("minutesFlow.notSharedHint")}</p>
      </div>
    </div>
  );
}
