import { orderedQuestions } from "../../../shared/domain/questions.ts";
import type { ConferenceState, Question } from "../../../shared/state.ts";
import type { MinutesRecord, Translate } from "../minutes/records.ts";

/**
 * The item whose answered questions the record lists: the active item when questions on it were
 * answered, else the item of the question answered last (the chair may have moved on before the
 * secretary inserts them), else the active item. Null: outside any item (the questions asked with
 * no item active, `itemId` null, are then the ones recorded).
 */
export function recordedQuestionsItemId(state: ConferenceState): string | null {
  const answered = state.questions.filter((q) => q.status === "answered");
  if (answered.some((q) => q.itemId === state.currentItemId)) return state.currentItemId;
  const latest = answered.reduce<Question | null>((a, b) => (a === null || (b.answeredAt ?? 0) >= (a.answeredAt ?? 0) ? b : a), null);
  return latest ? latest.itemId : state.currentItemId;
}

/** "Nguyễn Văn An, Liên hiệp Hội tỉnh Nghệ An", "không ghi tên", or the unknown person's words. */
function authorOf(question: Question, state: ConferenceState, t: Translate): string {
  if (question.anonymous) return t("record.questions.anonymous");
  const author = question.authorId === null ? undefined : state.participants.find((p) => p.id === question.authorId);
  // "(không rõ)" stands inside the line's own parentheses: without its own.
  if (!author) return t("record.unknownPerson").replace(/^\((.*)\)$/, "$1");
  const organisation = author.organisation.trim();
  return organisation ? `${author.name}, ${organisation}` : author.name;
}

/**
 * "Câu hỏi của đại biểu": the answered questions of the recorded item
 * ({@link recordedQuestionsItemId}), in the order they were answered (the one order of
 * `orderedQuestions`), each as its text, its author (or "không ghi tên") and its upvotes; one line
 * saying there were none otherwise. Written in the conference's language (`t`: the `minutes`
 * namespace fixed to it), as the other one-click records.
 */
export function questionsRecord(state: ConferenceState, t: Translate): MinutesRecord {
  const itemId = recordedQuestionsItemId(state);
  const item = itemId === null ? undefined : state.agenda.find((i) => i.id === itemId);
  const answered = orderedQuestions(
    state.questions.filter((q) => q.itemId === itemId),
    "chair",
  ).filter((q) => q.status === "answered");
  return {
    title: item ? t("record.questions.titleItem", { item: item.title }) : t("record.questions.title"),
    items:
      answered.length === 0
        ? [{ text: t("record.questions.none") }]
        : answered.map((q) => ({ text: t("record.questions.line", { text: q.text, author: authorOf(q, state, t), votes: q.upvoters.length, count: q.upvoters.length }) })),
  };
}
