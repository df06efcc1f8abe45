import type { Participant } from "../../../shared/state.ts";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";

/** In the hall or online: an icon, with the words for screen readers (and a tooltip). */
export function AttendanceIcon({ attendance }: { attendance: Participant["attendance"] }) {
  const { t } = useI18n();
  const label = t(`attendance.${attendance}`);
  return (
    <span className={`att att--${attendance}`} title={label}>
      <Icon name={attendance} />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

interface Props {
  participant: Participant | null | undefined;
  /** Also show the organisation (default true). */
  showOrganisation?: boolean;
  /** Show whether a device is connected (chair's list). */
  showConnection?: boolean;
}

/** A person as everywhere in the product: attendance icon, name, organisation. */
export function PersonName({ participant, showOrganisation = true, showConnection = false }: Props) {
  const { t } = useI18n();
  if (!participant) return <span className="person person--unknown">{t("person.unknown")}</span>;
  return (
    <span className="person">
      <AttendanceIcon attendance={participant.attendance} />
      <span className="person__name">{participant.name}</span>
      {showOrganisation && participant.organisation && <span className="person__org">{participant.organisation}</span>}
      {showConnection && (
        <span className={`dot ${participant.online ? "dot--on" : "dot--off"}`} title={t(participant.online ? "person.connected" : "person.notConnected")}>
          <span className="visually-hidden">{t(participant.online ? "person.connected" : "person.notConnected")}</span>
        </span>
      )}
    </span>
  );
}
