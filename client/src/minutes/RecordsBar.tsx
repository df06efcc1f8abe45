import type { Editor } from "@tiptap/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ConferenceState } from "../../../shared/state.ts";
import {
  attendanceRecord,
  INTL_LOCALES,
  latestClosedPolls,
  pollRecord,
  recordToContent,
  speakersRecord,
  type MinutesRecord,
  type Translate,
} from "./records.ts";
import { QuestionsRecordButton } from "../questions/QuestionsRecordButton.tsx";

/**
 * One-click facts for the minutes, inserted where the cursor is: who spoke on the current item,
 * a closed vote's result, who is present. Written in the conference's language, whatever the
 * interface language.
 */
export function RecordsBar({ editor, conference, now }: { editor: Editor; conference: ConferenceState | null; now: () => number }) {
  const { t, i18n } = useTranslation("minutes");
  const [pollId, setPollId] = useState("");
  const polls = useMemo(() => (conference ? latestClosedPolls(conference) : []), [conference]);

  if (!conference) return <p className="minutes-records minutes-muted">{t("records.waiting")}</p>;

  const language = conference.conference.language;
  const tRecord = i18n.getFixedT(language, "minutes") as unknown as Translate;
  // Times in records are the meeting's, as in the exported minutes, not the device's.
  const format = { locale: INTL_LOCALES[language], timeZone: conference.conference.timeZone };
  const speakers = speakersRecord(conference, tRecord, format);
  // Numbers in the conference's language, as the DOCX writes them.
  const resultFormat = {
    number: (n: number) => new Intl.NumberFormat(format.locale).format(n),
    percent: (r: number) => new Intl.NumberFormat(format.locale, { style: "percent", maximumFractionDigits: 1 }).format(r),
  };
  const chosen = polls.find((p) => p.id === pollId) ?? polls[0];
  const insert = (record: MinutesRecord) => insertRecord(editor, record);

  return (
    <div className="minutes-records" role="group" aria-label={t("records.label")}>
      <span className="minutes-records__label">{t("records.label")}:</span>
      <button
        type="button"
        disabled={!speakers}
        title={speakers ? t("records.speakersHint") : t("records.noSpeakers")}
        onClick={() => speakers && insert(speakers)}
      >
        {t("records.speakers")}
      </button>
      <button type="button" title={t("records.attendanceHint")} onClick={() => insert(attendanceRecord(conference, now(), tRecord, format))}>
        {t("records.attendance")}
      </button>
      <QuestionsRecordButton conference={conference} tRecord={tRecord} insert={insert} />
      <span className="minutes-records__poll">
        <select
          aria-label={t("records.pollPick")}
          value={chosen?.id ?? ""}
          disabled={polls.length === 0}
          onChange={(event) => setPollId(event.target.value)}
        >
          {polls.length === 0 && <option value="">{t("records.noPolls")}</option>}
          {polls.map((poll) => (
            <option key={poll.id} value={poll.id}>
              {poll.question}
            </option>
          ))}
        </select>
        <button type="button" disabled={!chosen} onClick={() => chosen && insert(pollRecord(chosen, tRecord, resultFormat))}>
          {t("records.insertPoll")}
        </button>
      </span>
    </div>
  );
}

/** Inserts a record where the cursor is ({@link insertionTarget}), an empty paragraph after it to go on writing. */
export function insertRecord(editor: Editor, record: MinutesRecord): void {
  editor
    .chain()
    .focus()
    .insertContentAt(insertionTarget(editor), [...recordToContent(record), { type: "paragraph" }])
    .run();
}

/**
 * Where a record goes: in place of the empty paragraph the cursor is in, or else after the
 * top-level block that holds the cursor, so a record never lands inside a list or splits a
 * sentence. The caller adds an empty paragraph after it for the cursor to continue in.
 */
function insertionTarget(editor: Editor): number | { from: number; to: number } {
  const { $from } = editor.state.selection;
  if ($from.depth === 0) return $from.pos;
  const block = $from.node(1);
  const from = $from.before(1);
  const to = $from.after(1);
  return block.type.name === "paragraph" && block.content.size === 0 ? { from, to } : to;
}
