import { QRCodeSVG } from "qrcode.react";
import { CopyField } from "../components/CopyField.tsx";
import { useI18n } from "../i18n/index.ts";
import { usePublicBase } from "../live/usePublicBase.ts";
import { joinPath } from "../model/routes.ts";

/** The join link as a QR code with the join code, for the chair's screen and the projector. */
export function joinUrl(base: string, conferenceId: string, joinCode: string): string {
  return `${base}${joinPath(conferenceId, joinCode)}`;
}

export function InviteCard({ conferenceId, joinCode }: { conferenceId: string; joinCode: string | undefined }) {
  const { t } = useI18n();
  const base = usePublicBase();
  if (!joinCode) return null;
  const url = joinUrl(base, conferenceId, joinCode);
  return (
    <div className="invite">
      <div className="invite__qr">
        <QRCodeSVG value={url} size={200} marginSize={2} title={t("invite.qrTitle")} />
      </div>
      <div className="invite__text">
        <p className="eyebrow">{t("invite.code")}</p>
        <p className="invite__code mono">{joinCode}</p>
        <p className="hint">{t("invite.hint")}</p>
        <CopyField label={t("invite.link")} value={url} />
      </div>
    </div>
  );
}
