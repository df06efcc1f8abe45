import type { Attendance } from "../../../shared/roles.ts";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";

/** In the hall or online, as a pair of radio buttons under a legend. */
export function AttendanceChoice({
  legend,
  name,
  value,
  onChange,
  className = "",
}: {
  legend: string;
  name: string;
  value: Attendance;
  onChange: (attendance: Attendance) => void;
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <fieldset className={`segmented ${className}`}>
      <legend>{legend}</legend>
      {(["hall", "online"] as const).map((a) => (
        <label key={a} className="segmented__option">
          <input type="radio" name={name} value={a} checked={value === a} onChange={() => onChange(a)} />
          <span>
            <Icon name={a} />{" "}
            {t(`attendance.${a}`)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
