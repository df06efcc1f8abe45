import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { officialFrame, type FrameSignature } from "../../../shared/officialMinutes.ts";
import type { Translate } from "../../../shared/minutesFacts.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { formatters } from "../model/format.ts";
import { conferencePath } from "../model/routes.ts";
import { INTL_LOCALES } from "./records.ts";
import { useMinutesContent } from "./renderMinutes.tsx";
import { useMinutesDocument } from "./useMinutesDocument.ts";
import "./minutes.css";
import "./minutesPrint.css";

/**
 * `/c/:id/minutes/print` (chair, secretary): the minutes in the official frame of the DOCX
 * (shared/officialMinutes.ts, Decree 30/2020 form 1.9) around the secretaries' whole text, laid
 * out for A4 from the browser: margins 20/20/30/15 mm, Times New Roman 14 pt, page numbers from
 * the second page. On screen it shows as the sheet it prints as, under a bar with the Print
 * button. The frame is worded in the conference's language, as the DOCX is.
 */
export default function MinutesPrint() {
  const { t, i18n } = useTranslation("common");
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const now = useServerNow();
  const { session, synced, status } = useMinutesDocument(conferenceId, token, false);
  const { blocks, text } = useMinutesContent(session, { headingOffset: 2 });
  const { conference } = state;
  const language = conference.language;

  // The frame changes with the minute at most (the date of a meeting without one); not every second.
  const minute = Math.floor(now / 60_000) * 60_000;
  const frame = useMemo(() => {
    const locale = INTL_LOCALES[language];
    const fmt = formatters(locale, conference.timeZone);
    return officialFrame({
      state,
      text,
      now: minute,
      t: i18n.getFixedT(language, "minutes") as unknown as Translate,
      format: { number: fmt.number, percent: fmt.sharePercent },
    });
  }, [state, text, minute, language, conference.timeZone, i18n]);
  const tDoc = i18n.getFixedT(language, "common");
  const tMinutes = i18n.getFixedT(language, "minutes");

  useEffect(() => {
    const before = document.title;
    document.title = `${frame.documentTitle} – ${conference.title}`;
    return () => {
      document.title = before;
    };
  }, [frame.documentTitle, conference.title]);

  return (
    <div className="mp">
      <div className="mp-bar no-print" role="toolbar" aria-label={t("minutesFlow.printView.label")}>
        <button type="button" className="btn btn--primary" disabled={!synced} onClick={() => window.print()}>
          {t("minutesFlow.printView.print")}
        </button>
        <a className="btn" href={conferencePath(conferenceId)}>
          {t("minutesFlow.printView.back")}
        </a>
        <span className="mp-bar__state" role="status" aria-live="polite">
          {status === "offline" ? t("minutesFlow.printView.offline") : synced ? t("minutesFlow.printView.ready") : t("minutesFlow.printView.loading")}
        </span>
        <span className="mp-bar__hint">{t("minutesFlow.printView.hint")}</span>
      </div>
      <article className="mp-sheet" lang={language} aria-label={frame.documentTitle} data-synced={synced ? "true" : "false"}>
        {state.minutes.status === "draft" && <p className="mp-draft">{tDoc("minutesFlow.printView.draftMark")}</p>}
        <table className="mp-heading">
          <tbody>
            <tr>
              <td className="mp-heading__left">
                {frame.parentBody && <p>{frame.parentBody}</p>}
                <p className="mp-b">{frame.issuingBody}</p>
                <p className="mp-rule" aria-hidden="true" />
                <p>{frame.numberLine}</p>
              </td>
              <td className="mp-heading__right">
                {frame.nationalHeading && (
                  <>
                    <p className="mp-b mp-country">{frame.nationalHeading.country}</p>
                    <p className="mp-b mp-motto">{frame.nationalHeading.motto}</p>
                  </>
                )}
                <p className="mp-i mp-place">{frame.placeDate}</p>
              </td>
            </tr>
          </tbody>
        </table>
        <h1 className="mp-doc-title">{frame.documentTitle}</h1>
        <p className="mp-title">{frame.title}</p>
        {frame.fields.map((field) => (
          <p key={field.label} className="mp-field">
            <strong>{field.label}:</strong> {field.value}
          </p>
        ))}
        <p className="mp-field">
          <strong>{frame.attendanceTitle}:</strong> {frame.attendanceSummary}
        </p>
        {frame.attendance.map((group) => (
          <div key={group.title} className="mp-group">
            <p>
              <em>
                {group.title} ({group.count}):
              </em>{" "}
              {group.organisations.length === 0 && tMinutes("official.nobody")}
            </p>
            {group.organisations.map((o) => (
              <p key={o.name} className="mp-org">
                <strong>– {o.name}:</strong> {o.names}
              </p>
            ))}
          </div>
        ))}
        <h2 className="mp-section">{frame.proceedingsTitle}</h2>
        <div className="mp-text minutes-print-text">
          {blocks.length > 0 ? (
            blocks
          ) : (
            <p>
              <em>{frame.noText}</em>
            </p>
          )}
        </div>
        {frame.votes.length > 0 && (
          <>
            <h2 className="mp-section">{frame.votesTitle}</h2>
            {frame.votes.map((vote) => (
              <div key={vote.title} className="mp-vote">
                <p>
                  <strong>{vote.title}</strong>
                </p>
                {vote.lines.map((line) => (
                  <p key={line} className="mp-vote__line">
                    {line}
                  </p>
                ))}
              </div>
            ))}
          </>
        )}
        {frame.closing !== null && <p className="mp-closing">{frame.closing}</p>}
        <table className="mp-signatures">
          <tbody>
            <tr>
              <Signature signature={frame.secretary} />
              <Signature signature={frame.chair} />
            </tr>
          </tbody>
        </table>
        <div className="mp-recipients">
          <p>
            <strong>
              <em>{frame.recipientsTitle}</em>
            </strong>
          </p>
          {frame.recipients.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      </article>
    </div>
  );
}

function Signature({ signature }: { signature: FrameSignature }) {
  return (
    <td className="mp-signature">
      <p className="mp-b">{signature.title}</p>
      <p className="mp-i mp-signature__hint">{signature.hint}</p>
      <p className="mp-signature__room" aria-hidden="true" />
      <p className="mp-b">{signature.name}</p>
    </td>
  );
}
