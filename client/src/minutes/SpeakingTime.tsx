import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Editor } from "@tiptap/react";
import { downloadWithToken } from "../api.ts";
import { recordedItemId, speakingTimeByOrganisation } from "../../../shared/minutesFacts.ts";
import type { ConferenceState } from "../../../shared/state.ts";
import { useSecondTick } from "../live/useNow.ts";
import { formatters, INTL_LOCALE } from "../model/format.ts";
import { insertRecord } from "./RecordsBar.tsx";
import { formatDuration, INTL_LOCALES, speakingTimeRecord, type Translate } from "./records.ts";

type Scope = "item" | "meeting";

/** `GET …/speaking-time.csv[?itemId=]`: the same table as a file (chair, secretary). */
export function speakingTimeCsvPath(conferenceId: string, itemId?: string | null): string {
  const base = `/api/conferences/${encodeURIComponent(conferenceId)}/speaking-time.csv`;
  return itemId ? `${base}?itemId=${encodeURIComponent(itemId)}` : base;
}

/**
 * Speaking time per organisation, on the item being recorded (the current one, or the one just
 * finished) or over the whole meeting: a table that counts the speech under way as it goes, a
 * one-click record of it in the minutes (in the conference's language) and the CSV. Collapsed
 * until opened, and only then ticking.
 */
export function SpeakingTime({
  conference,
  now,
  editor,
  conferenceId,
  token,
}: {
  conference: ConferenceState;
  now: () => number;
  /** The editor to insert into; null while the minutes take no edit (approved). */
  editor: Editor | null;
  conferenceId: string;
  token: string;
}) {
  const { t: tc } = useTranslation("common");
  const { i18n } = useTranslation("minutes");
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope>("item");
  const [error, setError] = useState<string | null>(null);
  const itemId = recordedItemId(conference);
  const item = conference.agenda.find((i) => i.id === itemId);
  const chosen: Scope = item ? scope : "meeting";
  const scopedItemId = chosen === "item" ? itemId : undefined;

  return (
    <details className="speaking-time" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{tc("minutesFlow.speaking.title")}</summary>
      {open && (
        <SpeakingTable
          conference={conference}
          now={now}
          itemId={scopedItemId}
          scope={chosen}
          itemTitle={item?.title ?? null}
          onScope={setScope}
          onInsert={
            editor
              ? () => {
                  const language = conference.conference.language;
                  const tRecord = i18n.getFixedT(language, "minutes") as unknown as Translate;
                  const record = speakingTimeRecord(conference, now(), scopedItemId, tRecord, {
                    locale: INTL_LOCALES[language],
                    timeZone: conference.conference.timeZone,
                  });
                  if (record) insertRecord(editor, record);
                }
              : null
          }
          onCsv={async () => {
            setError(null);
            const result = await downloadWithToken(speakingTimeCsvPath(conferenceId, scopedItemId), token, `speaking-time-${conferenceId}.csv`);
            if (!result.ok) setError(result.status === null ? tc("minutesFlow.speaking.csvOffline") : tc("minutesFlow.speaking.csvFailed", { status: result.status }));
          }}
        />
      )}
      {error && (
        <p className="minutes-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}

function SpeakingTable({
  conference,
  now,
  itemId,
  scope,
  itemTitle,
  onScope,
  onInsert,
  onCsv,
}: {
  conference: ConferenceState;
  now: () => number;
  itemId: string | null | undefined;
  scope: Scope;
  itemTitle: string | null;
  onScope: (scope: Scope) => void;
  onInsert: (() => void) | null;
  onCsv: () => Promise<void>;
}) {
  useSecondTick();
  const { t: tc, i18n } = useTranslation("common");
  const { t } = useTranslation("minutes");
  const fmt = formatters(INTL_LOCALE[i18n.language === "en" ? "en" : "vi"], conference.conference.timeZone);
  const rows = speakingTimeByOrganisation(conference, now(), itemId);
  const totalMs = rows.reduce((sum, r) => sum + r.totalMs, 0);
  const speeches = rows.reduce((sum, r) => sum + r.speeches, 0);
  const duration = (ms: number) => formatDuration(ms, t as unknown as Translate);
  const [busy, setBusy] = useState(false);

  return (
    <div className="speaking-time__body">
      <fieldset className="speaking-time__scope">
        <legend className="visually-hidden">{tc("minutesFlow.speaking.scope")}</legend>
        <label>
          <input type="radio" name="speaking-scope" checked={scope === "item"} disabled={itemTitle === null} onChange={() => onScope("item")} />{" "}
          {itemTitle === null ? tc("minutesFlow.speaking.noItem") : tc("minutesFlow.speaking.item", { item: itemTitle })}
        </label>
        <label>
          <input type="radio" name="speaking-scope" checked={scope === "meeting"} onChange={() => onScope("meeting")} /> {tc("minutesFlow.speaking.meeting")}
        </label>
      </fieldset>
      {rows.length === 0 ? (
        <p className="minutes-muted">{t("records.noSpeakers")}</p>
      ) : (
        <table className="speaking-time__table">
          <caption className="visually-hidden">
            {itemId !== undefined && itemTitle ? t("record.speakingTime.titleItem", { item: itemTitle }) : t("record.speakingTime.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("record.speakingTime.organisation")}</th>
              <th scope="col" className="num">{t("record.speakingTime.speeches")}</th>
              <th scope="col" className="num">{t("record.speakingTime.total")}</th>
              <th scope="col" className="num">{t("record.speakingTime.share")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.organisation}>
                <th scope="row">{row.organisation || t("record.speakingTime.none")}</th>
                <td className="num">{fmt.number(row.speeches)}</td>
                <td className="num">{duration(row.totalMs)}</td>
                <td className="num">{fmt.sharePercent(row.share)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{tc("minutesFlow.speaking.total")}</th>
              <td className="num">{fmt.number(speeches)}</td>
              <td className="num">{duration(totalMs)}</td>
              <td className="num">{fmt.sharePercent(totalMs > 0 ? 1 : 0)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <div className="speaking-time__actions">
        {onInsert && (
          <button type="button" disabled={rows.length === 0} onClick={onInsert}>
            {tc("minutesFlow.speaking.insert")}
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onCsv().finally(() => setBusy(false));
          }}
        >
          {tc("minutesFlow.speaking.csv")}
        </button>
      </div>
    </div>
  );
}
