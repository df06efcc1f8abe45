import type { ReactNode } from "react";
import type { AgendaItem } from "../../../shared/state.ts";
import { AgendaClock } from "../components/Clocks.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";

/** An item's status, and its planned time or its clock once it has started. */
export function AgendaMeta({ item, now }: { item: AgendaItem; now: number }) {
  const { t } = useI18n();
  return (
    <span className="agenda__meta">
      <span className={`status status--${item.status}`}>{t(`agenda.status.${item.status}`)}</span>
      {item.status === "pending" ? (
        item.plannedMinutes > 0 && <span>{t("agenda.planned", { count: item.plannedMinutes })}</span>
      ) : (
        <AgendaClock item={item} now={now} />
      )}
    </span>
  );
}

/**
 * One item of an agenda list: its number, title and presenter, then what the view adds. A
 * finished item shows a check mark in place of its number and muted colours; it is not struck
 * through, which would read as cancelled.
 */
export function AgendaRow({ item, index, children }: { item: AgendaItem; index: number; children: ReactNode }) {
  return (
    <li className={`agenda__item agenda__item--${item.status}`} aria-current={item.status === "active" ? "step" : undefined}>
      <span className="agenda__num" aria-hidden="true">
        {item.status === "done" ? <Icon name="check" /> : index + 1}
      </span>
      <div className="agenda__body">
        <span className="agenda__title">{item.title}</span>
        {item.presenter && <span className="agenda__presenter">{item.presenter}</span>}
        {children}
      </div>
    </li>
  );
}

/** The agenda, read only (delegates, observers). */
export function AgendaList() {
  const { state } = useConference();
  const now = useServerNow();
  return (
    <ol className="agenda__list agenda__list--read">
      {state.agenda.map((item, index) => (
        <AgendaRow key={item.id} item={item} index={index}>
          <AgendaMeta item={item} now={now} />
        </AgendaRow>
      ))}
    </ol>
  );
}
