import type { ConferenceState } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import type { MinutesRecord, Translate } from "../minutes/records.ts";
import { questionsRecord } from "./questionsRecord.ts";

/**
 * The records bar's "Câu hỏi của đại biểu": inserts the answered questions of the item under
 * discussion (or of the one just finished), in the conference's language (`tRecord`).
 */
export function QuestionsRecordButton({ conference, tRecord, insert }: { conference: ConferenceState; tRecord: Translate; insert: (record: MinutesRecord) => void }) {
  const { t } = useI18n();
  const answered = conference.questions.filter((q) => q.status === "answered").length;
  return (
    <button type="button" title={answered > 0 ? t("questions.recordHint") : t("questions.recordNone")} onClick={() => insert(questionsRecord(conference, tRecord))}>
      {t("questions.record")}
    </button>
  );
}
