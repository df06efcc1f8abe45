import { useId, useState, type FormEvent } from "react";
import { LIMITS } from "../../../shared/limits.ts";
import type { Participant, Question } from "../../../shared/state.ts";
import { errorKey } from "../components/Notices.tsx";
import { Icon } from "../components/Icon.tsx";
import { useI18n } from "../i18n/index.ts";
import { useConference } from "../live/useConference.ts";
import { useSend } from "../live/useLive.ts";
import { useCommand } from "../live/useCommand.ts";
import { indexParticipants } from "../model/participants.ts";
import { rememberAsked, useAskedQuestions } from "./askedQuestions.ts";
import { isMine, myUnlisted, questionsOnItem, upvoteAction } from "./questionsModel.ts";
import "./questions.css";

/** What a question's text box takes: one line of text (the text rule), so line breaks become spaces. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, " ");
}

/**
 * "Đặt câu hỏi", on the delegate's phone and desktop: a written question for the item under way
 * (anonymous when the chair allows it), my own questions waiting for approval, and the questions
 * of the item in the one order of every screen, each with its upvote button (none on my own).
 */
export function QuestionsPanel() {
  const { t } = useI18n();
  const { state, me } = useConference();
  const asked = useAskedQuestions();
  const item = state.agenda.find((i) => i.id === state.currentItemId) ?? null;
  const listed = questionsOnItem(state.questions, state.currentItemId, me.role);
  const mine = myUnlisted(state.questions, asked);
  const people = indexParticipants(state.participants);
  const ended = state.conference.status === "ended";

  return (
    <section className="panel questions" aria-labelledby="questions-h">
      <h2 id="questions-h">{t("questions.title")}</h2>
      <p className="hint">{item ? t("questions.onItem", { item: item.title }) : t("questions.noItem")}</p>
      {ended ? <p className="muted">{t("questions.ended")}</p> : <AskForm />}
      {mine.length > 0 && (
        <div className="questions__mine" aria-live="polite">
          <h3>{t("questions.mineTitle")}</h3>
          <ul className="q-list">
            {mine.map((q) => (
              <li key={q.id} className="q-item q-item--waiting">
                <div className="q-item__body">
                  <p className="q-item__text">{asked.get(q.id) || q.text}</p>
                  <p className="q-item__meta">
                    <span className="q-badge q-badge--waiting">{q.status === "pending" ? t("questions.waiting") : t("questions.merged")}</span>
                    {q.anonymous && <span className="q-author--anonymous">{t("questions.anonymousAuthor")}</span>}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3 id="questions-list-h">{t("questions.listTitle")}</h3>
      {listed.length === 0 ? (
        <p className="muted">{t("questions.empty")}</p>
      ) : (
        <ol className="q-list" aria-labelledby="questions-list-h">
          {listed.map((q) => (
            <QuestionRow key={q.id} question={q} author={q.authorId ? people.get(q.authorId) : undefined} mine={isMine(q, me, asked)} action={upvoteAction(q, me, asked)} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The text box, the character count, "anonymous" when allowed, and the send button. */
function AskForm() {
  const { t, fmt } = useI18n();
  const { state } = useConference();
  const send = useSend();
  const [text, setText] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; key: string; id?: string } | null>(null);
  const fieldId = useId();
  const countId = useId();
  const hintId = useId();
  const allowAnonymous = state.conference.anonymousQuestions;
  const moderated = state.conference.moderatedQuestions;
  const trimmed = text.trim();
  // "Sent, waiting for approval" holds while it waits; once approved (or hidden) it is old news.
  const sentQuestion = message?.id === undefined ? undefined : state.questions.find((q) => q.id === message.id);
  const shownMessage = message?.key === "questions.sentWaiting" && sentQuestion && sentQuestion.status !== "pending" ? null : message;
  const max = LIMITS.note;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed || busy) return;
    setBusy(true);
    setMessage(null);
    const ack = await send({ type: "questions.ask", text: trimmed, ...(allowAnonymous && anonymous ? { anonymous: true } : {}) });
    setBusy(false);
    if (ack.ok) {
      rememberAsked(ack.id, trimmed);
      setText("");
      setMessage({ tone: "ok", key: moderated ? "questions.sentWaiting" : "questions.sent", id: ack.id });
    } else {
      const code = ack.error.code;
      setMessage({
        tone: "error",
        key: code === "rate_limited" ? "questions.tooMany" : code === "forbidden" && anonymous ? "questions.noAnonymous" : errorKey(code),
      });
    }
  };

  return (
    <form className="q-form" onSubmit={submit}>
      <label className="field" htmlFor={fieldId}>
        <span>{t("questions.yourQuestion")}</span>
      </label>
      <textarea
        id={fieldId}
        value={text}
        rows={3}
        maxLength={max}
        placeholder={t("questions.placeholder")}
        aria-describedby={`${countId} ${hintId}`}
        onChange={(e) => {
          setText(oneLine(e.target.value));
          if (message?.tone === "ok") setMessage(null);
        }}
        onKeyDown={(e) => {
          // Enter sends, as in a chat; the text is one line anyway.
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <div className="q-form__row">
        <span id={countId} className={`q-form__count ${text.length >= max ? "q-form__count--full" : ""}`}>
          {t("questions.chars", { n: fmt.number(text.length), max: fmt.number(max) })}
        </span>
        {allowAnonymous && (
          <label className="check">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
            <span>{t("questions.anonymous")}</span>
          </label>
        )}
      </div>
      <p id={hintId} className="hint">
        {moderated ? t("questions.moderatedHint") : t("questions.unmoderatedHint")}
      </p>
      <button type="submit" className="btn btn--primary btn--block" disabled={busy || !trimmed}>
        <Icon name="question" /> {t("questions.send")}
      </button>
      <p className={shownMessage?.tone === "error" ? "form__error" : "q-form__ok"} role="status" hidden={!shownMessage}>
        {shownMessage && t(shownMessage.key)}
      </p>
    </form>
  );
}

/** One listed question: its text, who asked it, "answered", and the upvotes (a button unless it is mine or answered). */
function QuestionRow({ question, author, mine, action }: { question: Question; author: Participant | undefined; mine: boolean; action: "upvote" | "unvote" | null }) {
  const { t, fmt } = useI18n();
  const command = useCommand();
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const count = question.upvoters.length;
  const toggle = async () => {
    if (!action) return;
    setBusy(true);
    await command({ type: action === "upvote" ? "questions.upvote" : "questions.unvote", questionId: question.id });
    setBusy(false);
  };

  return (
    <li className={`q-item ${question.status === "answered" ? "q-item--answered" : ""} ${mine ? "q-item--mine" : ""}`}>
      <div className="q-item__body">
        <p className="q-item__text" id={textId}>
          {question.text}
        </p>
        <p className="q-item__meta">
          <QuestionAuthor question={question} author={author} />
          {mine && <span className="q-badge q-badge--mine">{t("questions.own")}</span>}
          {question.status === "answered" && (
            <span className="q-badge q-badge--answered">
              <Icon name="check" /> {t("questions.answered")}
            </span>
          )}
        </p>
      </div>
      {action ? (
        <button
          type="button"
          className={`q-vote ${action === "unvote" ? "q-vote--on" : ""}`}
          aria-pressed={action === "unvote"}
          aria-label={t("questions.upvoteAria", { n: fmt.number(count) })}
          aria-describedby={textId}
          disabled={busy}
          onClick={() => void toggle()}
        >
          <Icon name="up" />
          <span className="q-vote__count">{fmt.number(count)}</span>
        </button>
      ) : (
        <span className="q-votes" title={t("questions.votes", { count })}>
          <Icon name="up" />
          <span className="q-vote__count">{fmt.number(count)}</span>
          <span className="visually-hidden">{t("questions.votes", { count })}</span>
        </span>
      )}
    </li>
  );
}

/** Who asked: the name and organisation, or "không ghi tên". */
export function QuestionAuthor({ question, author }: { question: Question; author: Participant | undefined }) {
  const { t } = useI18n();
  if (question.anonymous) return <span className="q-author q-author--anonymous">{t("questions.anonymousAuthor")}</span>;
  if (!author) return <span className="q-author">{t("person.unknown")}</span>;
  return (
    <span className="q-author">
      <span className="q-author__name">{author.name}</span>
      {author.organisation && <span className="q-author__org">{author.organisation}</span>}
    </span>
  );
}
