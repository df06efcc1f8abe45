import { attendanceCounts } from "../../../shared/attendance.ts";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";

/**
 * The quorum at a glance, counted from the roster (`attendanceCounts`, as the snapshot and the
 * minutes count it): people present (in the hall · online) of those registered, voters present of
 * the voters, organisations present of those on the roster. The header, the people tab and the
 * projector show it; a screen reader hears it as one sentence.
 */
export function AttendanceSummary({ variant }: { variant: "header" | "panel" | "projector" }) {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const c = attendanceCounts(state);
  const n = fmt.number;
  const sentence = [
    t("counts.presentLabel", { present: n(c.present), registered: n(c.registered), hall: n(c.presentHall), online: n(c.presentOnline) }),
    t("counts.votersLabel", { present: n(c.votersPresent), voters: n(c.voters) }),
    ...(c.organisations > 0 ? [t("counts.organisationsLabel", { present: n(c.organisationsPresent), organisations: n(c.organisations) })] : []),
  ].join("; ");
  return (
    <p className={`counts counts--${variant}`}>
      <span className="visually-hidden">{sentence}</span>
      <span className="counts__items" aria-hidden="true" title={sentence}>
        <span className="counts__item">
          <span className="counts__k">{t("counts.present")}</span> <b className="counts__n">{n(c.present)}</b>/{n(c.registered)}{" "}
          <span className="counts__split">
            (<Icon name="hall" /> {n(c.presentHall)} · <Icon name="online" /> {n(c.presentOnline)})
          </span>
        </span>
        <span className="counts__item">
          <span className="counts__k">{t("counts.voters")}</span> <b className="counts__n">{n(c.votersPresent)}</b>/{n(c.voters)}
        </span>
        {c.organisations > 0 && (
          <span className="counts__item">
            <span className="counts__k">{t("counts.organisations")}</span> <b className="counts__n">{n(c.organisationsPresent)}</b>/{n(c.organisations)}
          </span>
        )}
      </span>
    </p>
  );
}
