import { Icon } from "./Icon.tsx";
import type { Attendance } from "../../../shared/roles.ts";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { useCommand } from "./Notices.tsx";

/** "I am in the hall" / "I am online". */
export function PresenceSwitch() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const command = useCommand();
  const attendance = state.participants.find((p) => p.id === me.id)?.attendance ?? "hall";
  const set = (a: Attendance) => {
    if (a !== attendance) void command({ type: "presence.set", attendance: a });
  };
  return (
    <fieldset className="segmented presence-switch">
      <legend>{t("presence.label")}</legend>
      {(["hall", "online"] as const).map((a) => (
        <label key={a} className="segmented__option">
          <input type="radio" name="presence" checked={attendance === a} onChange={() => set(a)} />
          <span>
            <Icon name={a} />{" "}
            {t(`attendance.${a}`)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
