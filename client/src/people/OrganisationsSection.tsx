import { useId, useState, type FormEvent, type ReactNode } from "react";
import { registrationIsOpen } from "../../../shared/domain/organisations.ts";
import { LIMITS } from "../../../shared/limits.ts";
import type { Organisation } from "../../../shared/state.ts";
import { addOrganisation, updateOrganisation } from "../api.ts";
import { Icon } from "../components/Icon.tsx";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { organisationRows } from "../model/roster.ts";

/**
 * The roster's organisations, compact: each with its cluster and members present; the chair adds
 * and renames them. `children`: what goes first inside (the open-registration switch).
 */
export function OrganisationsSection({ children }: { children?: ReactNode }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const [editing, setEditing] = useState<string | null>(null);
  const rows = organisationRows(state.organisations, state.participants, fmt.locale);
  const clustersId = useId();
  const clusters = [...new Set(state.organisations.map((o) => o.cluster).filter((c): c is string => c !== null))].sort(new Intl.Collator(fmt.locale).compare);

  return (
    <details className="add-person orgs">
      <summary>
        <Icon name="building" /> {t("orgs.title")} <span className="count">{fmt.number(rows.length)}</span>
        {registrationIsOpen(state) && <span className="orgs__open">{t("orgs.openBadge")}</span>}
      </summary>
      {children}
      <datalist id={clustersId}>
        {clusters.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {rows.length === 0 ? (
        <p className="muted">{t("orgs.empty")}</p>
      ) : (
        <table className="table orgs__table">
          <thead>
            <tr>
              <th scope="col">{t("orgs.name")}</th>
              <th scope="col">{t("roster.columns.cluster")}</th>
              <th scope="col" className="num">{t("orgs.present")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("roster.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ organisation: o, members, present, representative }) =>
              editing === o.id ? (
                <tr key={o.id}>
                  <td colSpan={4}>
                    <OrganisationForm organisation={o} clustersId={clustersId} onDone={() => setEditing(null)} />
                  </td>
                </tr>
              ) : (
                <tr key={o.id}>
                  <td>
                    <span className="orgs__name">{o.name}</span>
                    {o.shortName && <span className="muted"> ({o.shortName})</span>}
                    {o.source === "join" && (
                      <span className="role-tag role-tag--guest" title={t("orgs.selfRegisteredHint")}>
                        {t("orgs.selfRegistered")}
                      </span>
                    )}
                    {representative && (
                      <span className="orgs__rep">
                        <Icon name="star" /> {representative.name}
                      </span>
                    )}
                  </td>
                  <td>{o.cluster ?? <span className="muted">—</span>}</td>
                  <td className="num">
                    {fmt.number(present)}/{fmt.number(members)}
                  </td>
                  <td className="roster__actions">
                    <button type="button" className="btn btn--small btn--ghost" aria-label={t("orgs.editOf", { name: o.name })} onClick={() => setEditing(o.id)}>
                      <Icon name="edit" />
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      <OrganisationForm organisation={null} clustersId={clustersId} onDone={() => undefined} />
    </details>
  );
}

/** Adds an organisation (organisation = null) or changes one's name, short name and cluster. */
function OrganisationForm({ organisation, clustersId, onDone }: { organisation: Organisation | null; clustersId: string; onDone: () => void }) {
  const { t } = useI18n();
  const { conferenceId, token } = useSession();
  const [name, setName] = useState(organisation?.name ?? "");
  const [shortName, setShortName] = useState(organisation?.shortName ?? "");
  const [cluster, setCluster] = useState(organisation?.cluster ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), shortName: shortName.trim(), cluster: cluster.trim() || null };
    const answer = organisation ? await updateOrganisation(conferenceId, token, organisation.id, body) : await addOrganisation(conferenceId, token, body);
    setBusy(false);
    if (!answer.ok) return setError(answer.code === "conflict" ? "orgs.exists" : errorKey(answer.code));
    if (!organisation) {
      setName("");
      setShortName("");
    }
    onDone();
  };

  return (
    <form className={`form orgs__form ${organisation ? "orgs__form--edit" : ""}`} onSubmit={submit} aria-label={organisation ? t("orgs.editOf", { name: organisation.name }) : t("orgs.add")}>
      {!organisation && <h3 className="agenda-form__h">{t("orgs.add")}</h3>}
      <label className="field">
        <span>{t("orgs.name")} *</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={LIMITS.organisation} />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t("orgs.shortName")}</span>
          <input value={shortName} onChange={(e) => setShortName(e.target.value)} maxLength={LIMITS.shortName} />
        </label>
        <label className="field">
          <span>{t("roster.columns.cluster")}</span>
          <input value={cluster} onChange={(e) => setCluster(e.target.value)} maxLength={LIMITS.cluster} list={clustersId} />
        </label>
      </div>
      {error && (
        <p className="form__error" role="alert">
          {t(error)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !name.trim()}>
          {organisation ? t("action.save") : t("orgs.addSubmit")}
        </button>
        {organisation && (
          <button type="button" className="btn btn--small" onClick={onDone}>
            {t("action.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
