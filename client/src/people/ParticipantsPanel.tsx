import { isPresent } from "../../../shared/domain/participants.ts";
import { useState, type FormEvent } from "react";
import { ROLES, type Attendance, type Role } from "../../../shared/roles.ts";
import { addParticipant } from "../api.ts";
import { CopyField } from "../components/CopyField.tsx";
import { Icon } from "../components/Icon.tsx";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { presenceSummary, sortedAttendees } from "../model/participants.ts";
import { PersonName } from "./PersonName.tsx";

/** Who is present, in the hall and online; the chair adds people (walk-ins too) and hands out links. */
export function ParticipantsPanel({ canAdd }: { canAdd: boolean }) {
  const { t, fmt } = useI18n();
  const { state, me } = useConference();
  const command = useCommand();
  // Someone in the hall without a phone never connects: the chair or a secretary checks them in.
  const canCheckIn = me.role === "chair" || me.role === "secretary";
  const summary = presenceSummary(state.participants);
  const people = sortedAttendees(state.participants, fmt.locale);
  const absent = people.filter((p) => !isPresent(p)).length;

  const hall = people.filter((p) => p.attendance === "hall");
  const online = people.filter((p) => p.attendance === "online");
  return (
    <div className="people">
      <p className="people__summary">
        <span>
          <Icon name="hall" /> 
          {t("people.inHall", { count: summary.hall, n: fmt.number(summary.hall) })}
        </span>
        <span>
          <Icon name="online" /> 
          {t("people.online", { count: summary.online, n: fmt.number(summary.online) })}
        </span>
        <span>
          <span className="dot dot--on" aria-hidden="true" /> {t("people.connected", { n: fmt.number(summary.connected) })}
        </span>
        {absent > 0 && <span>{t("people.absentCount", { n: fmt.number(absent) })}</span>}
      </p>
      {canAdd && <AddParticipantForm />}
      {[
        { id: "hall", label: t("attendance.hall"), list: hall },
        { id: "online", label: t("attendance.online"), list: online },
      ].map((group) => (
        <section key={group.id} aria-label={group.label}>
          <h3 className="people__h">
            {group.label} <span className="count">{group.list.length}</span>
          </h3>
          <ul className="people__list">
            {group.list.map((p) => (
              <li key={p.id}>
                <PersonName participant={p} showConnection />
                {p.role !== "delegate" && <span className="role-tag">{t(`role.${p.role}`)}</span>}
                {!isPresent(p) && <span className="role-tag role-tag--absent">{t("people.absent")}</span>}
                {!isPresent(p) && canCheckIn && (
                  <button
                    type="button"
                    className="btn btn--small"
                    aria-label={t("people.checkInOf", { name: p.name })}
                    onClick={() => void command({ type: "participants.checkIn", participantId: p.id })}
                  >
                    {t("people.checkIn")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function AddParticipantForm() {
  const { t } = useI18n();
  const { conferenceId, token } = useSession();
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [role, setRole] = useState<Role>("delegate");
  const [attendance, setAttendance] = useState<Attendance>("hall");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<{ name: string; url: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await addParticipant(conferenceId, token, {
      name: name.trim(),
      organisation: organisation.trim() || undefined,
      role,
      attendance,
    });
    setBusy(false);
    if (!result.ok) return setError(errorKey(result.code));
    setAdded({ name: name.trim(), url: result.value.url });
    setName("");
  };

  return (
    <details className="add-person">
      <summary><Icon name="plus" /> {t("people.add")}</summary>
      <form className="form" onSubmit={submit}>
        <p className="hint">{t("people.addHint")}</p>
        <label className="field">
          <span>{t("join.name")} *</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <label className="field">
          <span>{t("join.organisation")}</span>
          <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} />
        </label>
        <div className="field-row">
          <label className="field">
            <span>{t("people.role")}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("join.where")}</span>
            <select value={attendance} onChange={(e) => setAttendance(e.target.value as Attendance)}>
              <option value="hall">{t("attendance.hall")}</option>
              <option value="online">{t("attendance.online")}</option>
            </select>
          </label>
        </div>
        {error && (
          <p className="form__error" role="alert">
            {t(error)}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !name.trim()}>
          {t("people.addSubmit")}
        </button>
        {added && (
          <div className="added" role="status">
            <p>{t("people.added", { name: added.name })}</p>
            <CopyField label={t("people.personalLink")} value={added.url} />
          </div>
        )}
      </form>
    </details>
  );
}
