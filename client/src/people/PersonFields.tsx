import { isVoter, ROLES, type Attendance, type Role } from "../../../shared/roles.ts";
import { useI18n } from "../i18n/index.ts";

/** Whether someone with this role and organisation may be named their organisation's representative. */
export function mayRepresent(role: Role, organisation: string): boolean {
  return isVoter(role) && organisation.trim() !== "";
}

interface PersonFieldsProps {
  role: Role;
  onRole(role: Role): void;
  attendance: Attendance;
  onAttendance(attendance: Attendance): void;
  representative: boolean;
  onRepresentative(representative: boolean): void;
  /** `mayRepresent` of the form's role and organisation: otherwise the box is off and greyed. */
  canRepresent: boolean;
}

/** Role, place and representative: the fields the chair's add and edit forms share. */
export function PersonFields({ role, onRole, attendance, onAttendance, representative, onRepresentative, canRepresent }: PersonFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <div className="field-row">
        <label className="field">
          <span>{t("people.role")}</span>
          <select value={role} onChange={(e) => onRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("join.where")}</span>
          <select value={attendance} onChange={(e) => onAttendance(e.target.value as Attendance)}>
            <option value="hall">{t("attendance.hall")}</option>
            <option value="online">{t("attendance.online")}</option>
          </select>
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={canRepresent && representative} disabled={!canRepresent} onChange={(e) => onRepresentative(e.target.checked)} />
        <span>{t("people.representative")}</span>
      </label>
    </>
  );
}
