import { QRCodeSVG } from "qrcode.react";
import { CopyField } from "../components/CopyField.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";

/** A personal link just handed out: what to do with it, the link to copy and its QR code. */
export function LinkPanel({ title, hint, url, onClose }: { title: string; hint?: string; url: string; onClose?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="added link-panel" role="status">
      <div className="link-panel__head">
        <p className="link-panel__title">{title}</p>
        {onClose && (
          <button type="button" className="btn btn--small btn--ghost" onClick={onClose} aria-label={t("action.close")}>
            <Icon name="close" />
          </button>
        )}
      </div>
      {hint && <p className="hint">{hint}</p>}
      <div className="link-panel__body">
        <div className="invite__qr">
          <QRCodeSVG value={url} size={120} marginSize={2} title={t("people.linkQr")} />
        </div>
        <div className="link-panel__copy">
          <CopyField label={t("people.personalLink")} value={url} />
        </div>
      </div>
    </div>
  );
}
