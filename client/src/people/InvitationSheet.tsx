import { QRCodeSVG } from "qrcode.react";
import { useEffect, useState } from "react";
import { ROLES, type Role } from "../../../shared/roles.ts";
import type { Participant } from "../../../shared/state.ts";
import { reissueTokens } from "../api.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { ConnectionBanner } from "../components/ConnectionBanner.tsx";
import { Icon } from "../components/Icon.tsx";
import { LanguageToggle } from "../components/LanguageToggle.tsx";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { useSession } from "../live/Session.ts";
import { useConference, useConferenceI18n } from "../live/useConference.ts";
import { usePublicBase } from "../live/usePublicBase.ts";
import { rosterView } from "../model/roster.ts";
import { conferencePath } from "../model/routes.ts";
import { formatOffset, zoneOffsetMs } from "../model/time.ts";
import { navigate } from "../navigation.ts";
import { rememberLinks, useKnownLinks } from "./knownLinks.ts";

/** Cards on one A4 sheet: two across, four down (95 × 69 mm each). */
export const CARDS_PER_PAGE = 8;

/** `items` in runs of `size` (the sheets of cards). */
export function pagesOf<T>(items: readonly T[], size = CARDS_PER_PAGE): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}

/**
 * `/c/:id/invitations` (chair): a printable A4 sheet of invitation cards, each with the person's
 * name, organisation and role, the QR code of their personal link, and the join code with the
 * join address. Only links this page knows can be printed (links are never stored); for the
 * others the chair may issue new links, which ends their old ones.
 */
export function InvitationSheet() {
  const { t, fmt } = useConferenceI18n();
  const { state, me, status } = useConference();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  const known = useKnownLinks(conferenceId);
  const base = usePublicBase();
  const [role, setRole] = useState<Role | "all">("all");
  const [busy, setBusy] = useState(false);
  const { conference } = state;

  useEffect(() => {
    document.title = `${t("cards.title")} – ${conference.title}`;
  }, [t, conference.title]);

  const people = rosterView(state.participants, { text: "", status: "all", sort: "organisation" }, fmt.locale).rows.filter(
    (p) => role === "all" || p.role === role,
  );
  const linkOf = (p: Participant) => (p.id === me.id ? `${base}${conferencePath(conferenceId)}#t=${token}` : known.get(p.id));
  const withLink = people.filter((p) => linkOf(p) !== undefined);
  const without = people.filter((p) => linkOf(p) === undefined);
  const roles = ROLES.filter((r) => r !== "projector" && state.participants.some((p) => p.role === r && p.removedAt == null));

  const issue = async () => {
    setBusy(true);
    const answer = await reissueTokens(conferenceId, token, without.map((p) => p.id));
    setBusy(false);
    if (!answer.ok) return notice.show(errorKey(answer.code));
    rememberLinks(conferenceId, answer.value.tokens);
    if (answer.value.refused.length > 0) notice.show("cards.someRefused");
  };

  const joinAddress = `${base}/join`;
  const startsAt = conference.startsAt;
  const when = startsAt === null ? "" : `${fmt.shortDateTime(startsAt)} (${formatOffset(zoneOffsetMs(conference.timeZone, startsAt))})`;

  return (
    <div className="sheet">
      <ConnectionBanner status={status} />
      <header className="sheet__bar no-print">
        <button type="button" className="btn btn--small" onClick={() => navigate(conferencePath(conferenceId))}>
          <Icon name="back" /> {t("cards.back")}
        </button>
        <h1 className="sheet__title">{t("cards.title")}</h1>
        <label className="field field--inline sheet__who">
          <span>{t("cards.who")}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role | "all")}>
            <option value="all">{t("cards.everyone")}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn--primary" disabled={withLink.length === 0} onClick={() => window.print()}>
          <Icon name="print" /> {t("cards.print", { count: withLink.length, n: fmt.number(withLink.length) })}
        </button>
        <LanguageToggle />
      </header>
      <div className="sheet__notes no-print">
        <p className="hint">{t("cards.hint")}</p>
        {without.length > 0 && (
          <div className="sheet__missing" role="note">
            <p>
              <strong>{t("cards.missing", { count: without.length, n: fmt.number(without.length) })}</strong> {t("cards.missingWhy")}
            </p>
            <p className="sheet__missing-names">{without.map((p) => p.name).join(", ")}</p>
            <ConfirmButton className="btn btn--small" disabled={busy} question={t("cards.issueQ", { count: without.length, n: fmt.number(without.length) })} onConfirm={() => void issue()}>
              <Icon name="link" /> {t("cards.issue", { count: without.length, n: fmt.number(without.length) })}
            </ConfirmButton>
          </div>
        )}
      </div>
      <main className="sheet__pages" id="main">
        {withLink.length === 0 && <p className="sheet__empty no-print">{t("cards.none")}</p>}
        {pagesOf(withLink).map((page, i) => (
          <section key={i} className="sheet-page" aria-label={t("cards.page", { n: i + 1 })}>
            {page.map((p) => (
              <article key={p.id} className="invitation">
                <header className="invitation__head">
                  {conference.organisation && <p className="invitation__issuer">{conference.organisation}</p>}
                  <p className="invitation__conf">{conference.title}</p>
                  {(when || conference.venue) && <p className="invitation__when">{[when, conference.venue].filter(Boolean).join(" · ")}</p>}
                </header>
                <div className="invitation__body">
                  <div className="invitation__who">
                    <p className="invitation__eyebrow">{t("cards.invite")}</p>
                    <p className="invitation__name">{p.name}</p>
                    {p.organisation && <p className="invitation__org">{p.organisation}</p>}
                    <p className="invitation__role">
                      {t(`role.${p.role}`)}
                      {p.representative && ` · ${t("people.representative")}`}
                    </p>
                  </div>
                  <div className="invitation__qr">
                    <QRCodeSVG value={linkOf(p)!} size={132} marginSize={1} title={t("cards.qrOf", { name: p.name })} />
                    <p>{t("cards.scan")}</p>
                  </div>
                </div>
                <footer className="invitation__foot">
                  {t("cards.orJoin", { address: joinAddress })} <strong className="mono">{conference.joinCode}</strong>
                  <span className="invitation__private">{t("cards.private")}</span>
                </footer>
              </article>
            ))}
          </section>
        ))}
      </main>
    </div>
  );
}
