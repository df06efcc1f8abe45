import { useState, type FormEvent } from "react";
import { LIMITS } from "../../../shared/limits.ts";
import type { Attendance, Role } from "../../../shared/roles.ts";
import { rosterStatus, type RosterStatus } from "../../../shared/domain/participants.ts";
import type { Participant } from "../../../shared/state.ts";
import { addOrganisation, reissueToken, removeParticipant, updateParticipant } from "../api.ts";
import { ConfirmPrompt } from "../components/ConfirmButton.tsx";
import { Icon } from "../components/Icon.tsx";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { useRenewToken } from "../live/useLive.ts";
import { forgetLink, rememberLinks } from "./knownLinks.ts";
import { LinkPanel } from "./LinkPanel.tsx";
import { OrganisationField, organisationIdFor } from "./OrganisationField.tsx";
import { AttendanceIcon } from "./PersonName.tsx";
import { mayRepresent, PersonFields } from "./PersonFields.tsx";
import { mayGiveProxy } from "./proxies.ts";
import { ProxyForm, ProxyIcon, ProxyTags } from "./ProxyControls.tsx";

interface Rights {
  /** Edit, new link, remove (chair). */
  canManage: boolean;
  /** Check in, mark as gone (chair, secretary). */
  canCheckIn: boolean;
}

/**
 * A roster status as a short pill: invited, present (with the hall or online icon), left; the
 * full words ("Present in the hall") for screen readers and as its tooltip.
 */
export function StatusBadge({ status }: { status: RosterStatus }) {
  const { t } = useI18n();
  const words = t(`roster.status.${status}`);
  const present = status === "hall" || status === "online";
  return (
    <span className={`status status--roster-${status}`} title={words}>
      <span aria-hidden="true">
        {present && <Icon name={status} />} {t(`roster.badge.${present ? "present" : status}`)}
      </span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

/** The chair's (and secretaries') roster: one row a person, with what each may do to it. */
export function RosterTable({ rows, ...rights }: { rows: readonly Participant[] } & Rights) {
  const { t } = useI18n();
  return (
    <table className="table roster">
      <thead>
        <tr>
          <th scope="col">{t("roster.person")}</th>
          <th scope="col">{t("roster.columns.status")}</th>
          {(rights.canManage || rights.canCheckIn) && (
            <th scope="col">
              <span className="visually-hidden">{t("roster.actions")}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <RosterRow key={p.id} participant={p} {...rights} />
        ))}
      </tbody>
    </table>
  );
}

type Mode =
  | { kind: "view" }
  | { kind: "edit" }
  /** Giving or taking back this participant's proxy (chair). */
  | { kind: "proxy" }
  /** Asking, in a row of its own, before a new link (the old one dies) or a removal. */
  | { kind: "confirm"; action: "link" | "remove" }
  | { kind: "link"; url: string; mine: boolean };

function RosterRow({ participant: p, canManage, canCheckIn }: { participant: Participant } & Rights) {
  const { t } = useI18n();
  const { state, me } = useConference();
  const { conferenceId, token, adoptToken } = useSession();
  const command = useCommand();
  const notice = useNotice();
  const renew = useRenewToken();
  const [mode, setMode] = useState<Mode>({ kind: "view" });
  const status = rosterStatus(p);
  const mine = p.id === me.id;
  const present = status === "hall" || status === "online";
  const columns = canManage || canCheckIn ? 3 : 2;

  const newLink = async () => {
    if (mine) {
      // My own link: the old token stops working at once, so this page moves to the new one.
      const issued = await renew(async () => {
        const answer = await reissueToken(conferenceId, token, p.id);
        if (!answer.ok) {
          notice.show(errorKey(answer.code));
          return null;
        }
        adoptToken(answer.value.token);
        rememberLinks(conferenceId, [{ id: p.id, url: answer.value.url }]);
        setMode({ kind: "link", url: answer.value.url, mine: true });
        return answer.value.token;
      });
      if (!issued) setMode({ kind: "view" });
      return;
    }
    const answer = await reissueToken(conferenceId, token, p.id);
    if (!answer.ok) return notice.show(errorKey(answer.code));
    rememberLinks(conferenceId, [{ id: p.id, url: answer.value.url }]);
    setMode({ kind: "link", url: answer.value.url, mine: false });
  };

  const remove = async () => {
    const answer = await removeParticipant(conferenceId, token, p.id);
    if (!answer.ok) return notice.show(errorKey(answer.code));
    forgetLink(conferenceId, p.id);
    notice.show("people.removed", "info");
  };

  if (mode.kind === "edit") {
    return (
      <tr className="roster__row roster__row--editing">
        <td colSpan={columns}>
          <EditParticipantForm participant={p} onDone={() => setMode({ kind: "view" })} />
        </td>
      </tr>
    );
  }

  return (
    <>
      <tr className={`roster__row roster__row--${status}`}>
        <td className="roster__person">
          <span className="roster__name">
            <AttendanceIcon attendance={p.attendance} />
            <span className="person__name">{p.name}</span>
            {mine && <span className="muted"> ({t("people.you")})</span>}
            <span className={`dot ${p.online ? "dot--on" : "dot--off"}`} title={t(p.online ? "person.connected" : "person.notConnected")}>
              <span className="visually-hidden">{t(p.online ? "person.connected" : "person.notConnected")}</span>
            </span>
            {p.representative && (
              <span className="rep" title={t("people.representative")}>
                <Icon name="star" />
                <span className="visually-hidden">{t("people.representative")}</span>
              </span>
            )}
          </span>
          <span className="roster__sub">
            {p.organisation ? <span>{p.organisation}</span> : <span className="muted">{t("people.noOrganisation")}</span>}
            <span className={`role-tag role-tag--${p.role}`}>{t(`role.${p.role}`)}</span>
            {p.guest && (
              <span className="role-tag role-tag--guest" title={t("people.guestHint")}>
                {t("people.guest")}
              </span>
            )}
            <ProxyTags participant={p} />
          </span>
        </td>
        <td className="roster__status">
          <StatusBadge status={status} />
        </td>
        {(canManage || canCheckIn) && (
          <td className="roster__actions">
            {canCheckIn && !present && (
              <button type="button" className="btn btn--small" aria-label={t("people.checkInOf", { name: p.name })} onClick={() => void command({ type: "participants.checkIn", participantId: p.id })}>
                {t("people.checkIn")}
              </button>
            )}
            {canCheckIn && present && !mine && (
              <button
                type="button"
                className="btn btn--small btn--ghost"
                aria-label={t("people.leaveOf", { name: p.name })}
                title={t("people.leave")}
                onClick={() => void command({ type: "participants.leave", participantId: p.id })}
              >
                <Icon name="exit" />
              </button>
            )}
            {canManage && (
              <>
                <button type="button" className="btn btn--small btn--ghost" aria-label={t("people.editOf", { name: p.name })} title={t("people.edit")} onClick={() => setMode({ kind: "edit" })}>
                  <Icon name="edit" />
                </button>
                {(p.proxyId !== null || mayGiveProxy(state.participants, p)) && (
                  <button
                    type="button"
                    className={`btn btn--small btn--ghost ${p.proxyId ? "btn--proxy-on" : ""}`}
                    aria-label={t("vote.proxyForm.open", { name: p.name })}
                    title={t("vote.proxyForm.open", { name: p.name })}
                    aria-expanded={mode.kind === "proxy"}
                    onClick={() => setMode(mode.kind === "proxy" ? { kind: "view" } : { kind: "proxy" })}
                  >
                    <ProxyIcon />
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  aria-label={t("people.newLinkOf", { name: p.name })}
                  title={t("people.newLinkOf", { name: p.name })}
                  aria-expanded={mode.kind === "confirm" && mode.action === "link"}
                  onClick={() => setMode({ kind: "confirm", action: "link" })}
                >
                  <Icon name="link" />
                </button>
                {!mine && (
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    aria-label={t("people.removeOf", { name: p.name })}
                    title={t("people.removeOf", { name: p.name })}
                    aria-expanded={mode.kind === "confirm" && mode.action === "remove"}
                    onClick={() => setMode({ kind: "confirm", action: "remove" })}
                  >
                    <Icon name="trash" />
                  </button>
                )}
              </>
            )}
          </td>
        )}
      </tr>
      {mode.kind === "proxy" && (
        <tr className="roster__row roster__row--proxy">
          <td colSpan={columns}>
            <ProxyForm participant={p} onDone={() => setMode({ kind: "view" })} />
          </td>
        </tr>
      )}
      {mode.kind === "confirm" && (
        <tr className="roster__row roster__row--confirm">
          <td colSpan={columns}>
            <ConfirmPrompt
              question={mode.action === "remove" ? t("people.removeQ", { name: p.name }) : mine ? t("people.newLinkMineQ") : t("people.newLinkQ")}
              onCancel={() => setMode({ kind: "view" })}
              onConfirm={() => {
                setMode({ kind: "view" });
                void (mode.action === "remove" ? remove() : newLink());
              }}
            />
          </td>
        </tr>
      )}
      {mode.kind === "link" && (
        <tr className="roster__row roster__row--link">
          <td colSpan={columns}>
            <LinkPanel
              title={t(mode.mine ? "people.newLinkMine" : "people.newLinkFor", { name: p.name })}
              hint={t(mode.mine ? "people.newLinkMineHint" : "people.newLinkHint")}
              url={mode.url}
              onClose={() => setMode({ kind: "view" })}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** The chair corrects someone: name, organisation (from the roster, or a new one), role, attendance, representative. */
function EditParticipantForm({ participant, onDone }: { participant: Participant; onDone: () => void }) {
  const { t } = useI18n();
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const [name, setName] = useState(participant.name);
  const [organisation, setOrganisation] = useState(participant.organisationId ? participant.organisation : "");
  const [role, setRole] = useState<Role>(participant.role);
  const [attendance, setAttendance] = useState<Attendance>(participant.attendance);
  const [representative, setRepresentative] = useState(participant.representative);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canRepresent = mayRepresent(role, organisation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const organisationId = await organisationIdFor(organisation, state.organisations, (orgName) => addOrganisation(conferenceId, token, { name: orgName }));
    if (!organisationId.ok) {
      setBusy(false);
      return setError(errorKey(organisationId.code));
    }
    const fields = {
      ...(name.trim() !== participant.name && { name: name.trim() }),
      ...(organisationId.id !== participant.organisationId && { organisationId: organisationId.id }),
      ...(role !== participant.role && { role }),
      ...(attendance !== participant.attendance && { attendance }),
      ...((canRepresent && representative) !== participant.representative && { representative: canRepresent && representative }),
    };
    if (Object.keys(fields).length === 0) {
      setBusy(false);
      return onDone();
    }
    const answer = await updateParticipant(conferenceId, token, participant.id, fields);
    setBusy(false);
    if (!answer.ok) return setError(errorKey(answer.code));
    onDone();
  };

  return (
    <form className="form roster__edit" onSubmit={submit} aria-label={t("people.editOf", { name: participant.name })}>
      <label className="field">
        <span>{t("join.name")} *</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={LIMITS.name} autoFocus />
      </label>
      <OrganisationField value={organisation} onChange={setOrganisation} organisations={state.organisations} />
      {!participant.organisationId && participant.organisation && <p className="hint">{t("people.guestWrote", { organisation: participant.organisation })}</p>}
      <PersonFields
        role={role}
        onRole={setRole}
        attendance={attendance}
        onAttendance={setAttendance}
        representative={representative}
        onRepresentative={setRepresentative}
        canRepresent={canRepresent}
      />
      {canRepresent && representative && !participant.representative && <p className="hint">{t("people.representativeHint")}</p>}
      {error && (
        <p className="form__error" role="alert">
          {t(error)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !name.trim()}>
          {t("action.save")}
        </button>
        <button type="button" className="btn btn--small" onClick={onDone}>
          {t("action.cancel")}
        </button>
      </div>
    </form>
  );
}
