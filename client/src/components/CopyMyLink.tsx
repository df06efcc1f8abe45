import { useId, useState } from "react";
import { getServerInfo } from "../api.ts";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { conferencePath } from "../model/routes.ts";
import { Icon } from "./Icon.tsx";
import { useNotice } from "./Notices.tsx";

/** This page's personal link: the conference's page with my token in the fragment (never sent to a server). */
export function personalLink(base: string, conferenceId: string, token: string): string {
  return `${base}${conferencePath(conferenceId)}#t=${encodeURIComponent(token)}`;
}

let base: Promise<string> | null = null;

/**
 * The base of links for other devices: the server's public address (the hall laptop's address on
 * the local network when the console was opened as localhost), asked once, when first needed.
 */
function publicBase(): Promise<string> {
  base ??= getServerInfo().then(
    (answer) => (answer.ok && answer.value.publicUrl ? answer.value.publicUrl : window.location.origin),
    () => window.location.origin,
  );
  return base;
}

/**
 * "Copy my link": the link this page is signed in with, to open the same seat on another device
 * (the chair's laptop and phone). Where the browser refuses the clipboard (a page served over
 * plain http on the hall's network), the link is shown selected, to copy by hand.
 */
export function CopyMyLink({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  const [url, setUrl] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const id = useId();
  const copy = async () => {
    const link = personalLink(await publicBase(), conferenceId, token);
    setUrl(link);
    try {
      await navigator.clipboard.writeText(link);
      setShown(false);
      notice.show("header.linkCopied", "info");
    } catch {
      setShown(true);
    }
  };
  return (
    <span className="my-link">
      <button
        type="button"
        className={`btn btn--ghost btn--small my-link__button ${compact ? "my-link__button--icon" : ""}`}
        onClick={() => void copy()}
        aria-label={t("header.copyLink")}
        title={t("header.copyLinkHint")}
      >
        <Icon name="link" />
        {/* The words are hidden on a phone's bar (the icon stays, with its accessible name). */}
        {!compact && <span className="my-link__text">{t("header.copyLink")}</span>}
      </button>
      {shown && url && (
        <span className="my-link__manual" role="group" aria-labelledby={`${id}-l`}>
          <label id={`${id}-l`} htmlFor={id}>
            {t("header.copyLinkManual")}
          </label>
          <input id={id} readOnly value={url} className="mono" autoFocus onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn btn--small" onClick={() => setShown(false)}>
            {t("action.close")}
          </button>
        </span>
      )}
    </span>
  );
}
