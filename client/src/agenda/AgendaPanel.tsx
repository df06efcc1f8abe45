import { useState, type FormEvent } from "react";
import { nextPendingItem } from "../../../shared/domain/agenda.ts";
import type { AgendaItem } from "../../../shared/state.ts";
import { AgendaClock } from "../components/Clocks.tsx";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { useServerNow } from "../live/useNow.ts";
import { AgendaMeta, AgendaRow } from "./AgendaList.tsx";

interface Props {
  /** Start items, move to the next, reorder and remove (chair). */
  canRun: boolean;
  /** Add items and edit their texts (chair, secretary). */
  canEdit: boolean;
}

/** The agenda with its clocks; the chair runs it from here. */
export function AgendaPanel({ canRun, canEdit }: Props) {
  const { t } = useI18n();
  const { state } = useConference();
  const now = useServerNow();
  const command = useCommand();
  const [editing, setEditing] = useState<string | null>(null);
  const current = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const next = nextPendingItem(state);
  const ended = state.conference.status === "ended";

  return (
    <section className="panel agenda" aria-labelledby="agenda-h">
      <div className="panel__head">
        <h2 id="agenda-h">{t("agenda.title")}</h2>
        {canRun && !ended && (
          <button
            type="button"
            className="btn btn--primary"
            disabled={!next && !current}
            onClick={() => void command(current ? { type: "agenda.next" } : { type: "agenda.start", itemId: next!.id })}
          >
            {current ? (next ? t("agenda.next") : t("agenda.finishLast")) : t("agenda.startFirst")}
          </button>
        )}
      </div>
      {current ? (
        <div className={`now-item`}>
          <p className="eyebrow">{t("agenda.current")}</p>
          <p className="now-item__title">{current.title}</p>
          {current.presenter && <p className="muted">{current.presenter}</p>}
          <AgendaClock item={current} now={now} large />
        </div>
      ) : (
        <p className="muted now-item now-item--none">{t(ended ? "agenda.ended" : "agenda.noneActive")}</p>
      )}
      <ol className="agenda__list">
        {state.agenda.map((item, index) =>
          editing === item.id ? (
            <li key={item.id} className="agenda__item agenda__item--editing">
              <AgendaItemForm item={item} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <AgendaRow key={item.id} item={item} index={index}>
              <div className="agenda__foot">
                <AgendaMeta item={item} now={now} />
              {(canRun || canEdit) && (
                // Once the meeting has ended, starting, reordering and removing items no longer
                // apply; a title may still be corrected for the minutes.
                <div className="agenda__actions">
                  {canRun && item.status !== "active" && !ended && (
                    <button type="button" className="btn btn--small" onClick={() => void command({ type: "agenda.start", itemId: item.id })} aria-label={t("agenda.startItem", { title: item.title })}>
                      <Icon name="play" /> <span className="btn__text">{t("agenda.start")}</span>
                    </button>
                  )}
                  {canEdit && (
                    <button type="button" className="btn btn--small btn--ghost" onClick={() => setEditing(item.id)} aria-label={t("agenda.editItem", { title: item.title })}>
                      <Icon name="edit" />
                    </button>
                  )}
                  {canRun && !ended && (
                    <>
                      <button
                        type="button"
                        className="btn btn--small btn--ghost"
                        disabled={index === 0}
                        onClick={() => void command({ type: "agenda.move", itemId: item.id, toIndex: index - 1 })}
                        aria-label={t("agenda.moveUp", { title: item.title })}
                      >
                        <Icon name="up" />
                      </button>
                      <button
                        type="button"
                        className="btn btn--small btn--ghost"
                        disabled={index === state.agenda.length - 1}
                        onClick={() => void command({ type: "agenda.move", itemId: item.id, toIndex: index + 1 })}
                        aria-label={t("agenda.moveDown", { title: item.title })}
                      >
                        <Icon name="down" />
                      </button>
                      {item.status !== "active" && (
                        <ConfirmButton
                          className="btn btn--small btn--ghost"
                          question={t("agenda.removeQ")}
                          aria-label={t("agenda.removeItem", { title: item.title })}
                          onConfirm={() => void command({ type: "agenda.remove", itemId: item.id })}
                        >
                          <Icon name="trash" />
                        </ConfirmButton>
                      )}
                    </>
                  )}
                </div>
              )}
              </div>
            </AgendaRow>
          ),
        )}
      </ol>
      {state.agenda.length === 0 && <p className="muted">{t("agenda.empty")}</p>}
      {canEdit && !ended && <AgendaItemForm item={null} onDone={() => undefined} />}
    </section>
  );
}

/** Adds an item (item = null) or edits one. */
function AgendaItemForm({ item, onDone }: { item: AgendaItem | null; onDone: () => void }) {
  const { t } = useI18n();
  const command = useCommand();
  const [title, setTitle] = useState(item?.title ?? "");
  const [presenter, setPresenter] = useState(item?.presenter ?? "");
  const [minutes, setMinutes] = useState(item ? String(item.plannedMinutes) : "10");
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const plannedMinutes = Math.max(0, Math.min(1440, Math.round(Number(minutes) || 0)));
    setBusy(true);
    const ack = item
      ? await command({ type: "agenda.update", itemId: item.id, title: title.trim(), presenter: presenter.trim(), plannedMinutes })
      : await command({ type: "agenda.add", title: title.trim(), presenter: presenter.trim(), plannedMinutes });
    setBusy(false);
    if (ack.ok) {
      if (!item) {
        setTitle("");
        setPresenter("");
      }
      onDone();
    }
  };

  return (
    <form className={item ? "agenda-form agenda-form--edit" : "agenda-form"} onSubmit={submit} aria-label={item ? t("agenda.editForm") : t("agenda.addForm")}>
      {!item && <h3 className="agenda-form__h">{t("agenda.addForm")}</h3>}
      <label className="field">
        <span>{t("agenda.itemTitle")}</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t("agenda.presenter")}</span>
          <input value={presenter} onChange={(e) => setPresenter(e.target.value)} maxLength={120} />
        </label>
        <label className="field field--narrow">
          <span>{t("agenda.minutes")}</span>
          <input type="number" min={0} max={1440} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
      </div>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !title.trim()}>
          {item ? t("action.save") : t("agenda.add")}
        </button>
        {item && (
          <button type="button" className="btn btn--small" onClick={onDone}>
            {t("action.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
