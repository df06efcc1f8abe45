import { useState, type FormEvent } from "react";
import { LIMITS } from "../../../shared/limits.ts";
import type { Attendance, Role } from "../../../shared/roles.ts";
import { addParticipant } from "../api.ts";
import { Icon } from "../components/Icon.tsx";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useConference } from "../live/useConference.ts";
import { rememberLinks } from "./knownLinks.ts";
import { LinkPanel } from "./LinkPanel.tsx";
import { OrganisationField } from "./OrganisationField.tsx";
import { mayRepresent, PersonFields } from "./PersonFields.tsx";

/** The chair adds someone (a walk-in, a secretary, a screen); answers their personal link and QR code. */
export function AddParticipantForm() {
  const { t } = useI18n();
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [role, setRole] = useState<Role>("delegate");
  const [attendance, setAttendance] = useState<Attendance>("hall");
  const [representative, setRepresentative] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<{ name: string; url: string } | null>(null);
  const canRepresent = mayRepresent(role, organisation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await addParticipant(conferenceId, token, {
      name: name.trim(),
      organisation: organisation.trim() || undefined,
      role,
      attendance,
      representative: canRepresent && representative ? true : undefined,
    });
    setBusy(false);
    if (!result.ok) return setError(errorKey(result.code));
    rememberLinks(conferenceId, [{ id: result.value.id, url: result.value.url }]);
    setAdded({ name: name.trim(), url: result.value.url });
    setName("");
    setRepresentative(false);
  };

  return (
    <details className="add-person">
      <summary>
        <Icon name="plus" /> {t("people.add")}
      </summary>
      <form className="form" onSubmit={submit} aria-label={t("people.add")}>
        <p className="hint">{t("people.addHint")}</p>
        <label className="field">
          <span>{t("join.name")} *</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={LIMITS.name} />
        </label>
        <OrganisationField value={organisation} onChange={setOrganisation} organisations={state.organisations} />
        <PersonFields
          role={role}
          onRole={setRole}
          attendance={attendance}
          onAttendance={setAttendance}
          representative={representative}
          onRepresentative={setRepresentative}
          canRepresent={canRepresent}
        />
        {error && (
          <p className="form__error" role="alert">
            {t(error)}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !name.trim()}>
          {t("people.addSubmit")}
        </button>
        {added && <LinkPanel title={t("people.added", { name: added.name })} url={added.url} onClose={() => setAdded(null)} />}
      </form>
    </details>
  );
}
