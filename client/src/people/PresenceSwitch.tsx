import type { Attendance } from "../../../shared/roles.ts";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { AttendanceChoice } from "./AttendanceChoice.tsx";

/** "I am in the hall" / "I am online". */
export function PresenceSwitch() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const command = useCommand();
  const attendance = state.participants.find((p) => p.id === me.id)?.attendance ?? "hall";
  const set = (a: Attendance) => {
    if (a !== attendance) void command({ type: "presence.set", attendance: a });
  };
  return <AttendanceChoice className="presence-switch" legend={t("presence.label")} name="presence" value={attendance} onChange={set} />;
}
