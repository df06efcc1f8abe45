import { useState } from "react";
import { registrationIsOpen } from "../../../shared/domain/organisations.ts";
import { downloadRosterCsv, updateConference } from "../api.ts";
import { Icon } from "../components/Icon.tsx";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { DEFAULT_ROSTER_QUERY, ROSTER_SORTS, rosterView, STATUS_FILTERS, statusCounts, type RosterQuery, type RosterSort, type StatusFilter } from "../model/roster.ts";
import { invitationsPath } from "../model/routes.ts";
import { navigate } from "../navigation.ts";
import { AddParticipantForm } from "./AddParticipantForm.tsx";
import { AttendanceSummary } from "./AttendanceSummary.tsx";
import { ImportRoster } from "./ImportRoster.tsx";
import { OrganisationsSection } from "./OrganisationsSection.tsx";
import { RosterTable } from "./RosterTable.tsx";

/**
 * The roster: everyone with their status (invited, present in the hall or online, left), their
 * organisation and role. The chair manages it (adds people, imports a file, edits, re-issues
 * links, removes, keeps the organisations); a secretary checks people in and marks them gone.
 */
export function ParticipantsPanel({ canManage }: { canManage: boolean }) {
  const { t, fmt } = useI18n();
  const { state, me } = useConference();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  // Someone in the hall without a phone never connects: the chair or a secretary checks them in.
  const canCheckIn = me.role === "chair" || me.role === "secretary";
  const [query, setQuery] = useState<RosterQuery>(DEFAULT_ROSTER_QUERY);
  const view = rosterView(state.participants, query, fmt.locale);
  const counts = statusCounts(state.participants);

  const exportCsv = async () => {
    const result = await downloadRosterCsv(conferenceId, token);
    if (!result.ok) notice.show(result.status === null ? "errors.unavailable" : result.status === 401 ? "errors.unauthorized" : "errors.internal");
  };

  return (
    <div className="people">
      <AttendanceSummary variant="panel" />
      {canManage && (
        <div className="people__tools">
          <AddParticipantForm />
          <ImportRoster />
          <OrganisationsSection>
            <OpenRegistration />
          </OrganisationsSection>
        </div>
      )}
      <div className="people__bar">
        <button type="button" className="btn btn--small" onClick={() => void exportCsv()}>
          <Icon name="download" /> {t("people.exportCsv")}
        </button>
        {canManage && (
          <button type="button" className="btn btn--small" onClick={() => navigate(invitationsPath(conferenceId))}>
            <Icon name="print" /> {t("cards.open")}
          </button>
        )}
      </div>
      <div className="people__filter" role="search">
        <label className="field">
          <span className="visually-hidden">{t("people.search")}</span>
          <input
            type="search"
            value={query.text}
            placeholder={t("people.searchPlaceholder")}
            aria-label={t("people.search")}
            onChange={(e) => setQuery({ ...query, text: e.target.value })}
          />
        </label>
        <div className="field-row">
          <label className="field">
            <span>{t("people.show")}</span>
            <select value={query.status} onChange={(e) => setQuery({ ...query, status: e.target.value as StatusFilter })}>
              {STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {t(`people.filter.${s}`, { n: fmt.number(counts[s]) })}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("people.sort")}</span>
            <select value={query.sort} onChange={(e) => setQuery({ ...query, sort: e.target.value as RosterSort })}>
              {ROSTER_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`people.sortBy.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {view.rows.length > 0 ? (
        <RosterTable rows={view.rows} canManage={canManage} canCheckIn={canCheckIn} />
      ) : (
        <p className="muted">{view.total === 0 ? t("people.empty") : t("people.noMatch")}</p>
      )}
      {view.rows.length > 0 && view.rows.length < view.total && (
        <p className="hint">{t("people.shown", { n: fmt.number(view.rows.length), total: fmt.number(view.total) })}</p>
      )}
      {view.screens.length > 0 && (
        <section aria-labelledby="people-screens">
          <h3 className="people__h" id="people-screens">
            {t("role.projector")} <span className="count">{view.screens.length}</span>
          </h3>
          <RosterTable rows={view.screens} canManage={canManage} canCheckIn={false} />
        </section>
      )}
      {view.removed.length > 0 && (
        <details className="people__removed">
          <summary>
            {t("people.removedTitle")} <span className="count">{view.removed.length}</span>
          </summary>
          <p className="hint">{t("people.removedHint")}</p>
          <ul className="people__list">
            {view.removed.map((p) => (
              <li key={p.id}>
                <span className="person">
                  <span className="person__name">{p.name}</span>
                  {p.organisation && <span className="person__org">{p.organisation}</span>}
                </span>
                <span className={`role-tag role-tag--${p.role}`}>{t(`role.${p.role}`)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Whether people of organisations not on the roster may register themselves when they join. */
function OpenRegistration() {
  const { t } = useI18n();
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  const [busy, setBusy] = useState(false);
  const open = state.conference.openRegistration;
  const noRoster = state.organisations.length === 0;

  const toggle = async (openRegistration: boolean) => {
    setBusy(true);
    const answer = await updateConference(conferenceId, token, { openRegistration });
    setBusy(false);
    if (!answer.ok) notice.show(errorKey(answer.code));
  };

  return (
    <div className="open-reg">
      <label className="check">
        <input type="checkbox" checked={open} disabled={busy} onChange={(e) => void toggle(e.target.checked)} />
        <span>{t("people.openRegistration")}</span>
      </label>
      <p className="hint">
        {noRoster
          ? t("people.openRegistrationNoRoster")
          : registrationIsOpen(state)
            ? t("people.openRegistrationOn")
            : t("people.openRegistrationOff")}
      </p>
    </div>
  );
}
