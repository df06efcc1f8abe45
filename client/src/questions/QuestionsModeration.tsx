import { useId, useState } from "react";
import type { Question, QuestionStatus } from "../../../shared/state.ts";
import { updateConference } from "../api.ts";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { Icon } from "../components/Icon.tsx";
import { useConferenceI18n } from "../live/useConference.ts";
import { useSession } from "../live/Session.ts";
import { useCommand } from "../live/useCommand.ts";
import { useConference } from "../live/useConference.ts";
import { indexParticipants } from "../model/participants.ts";
import { QuestionAuthor } from "./QuestionsPanel.tsx";
import { mergeTargets, moderationGroups, pendingCount } from "./questionsModel.ts";
import "./questions.css";

type Scope = "item" | "all";

/** The scope chosen last in this page, kept when the chair switches tabs. */
let lastScope: Scope = "item";

/**
 * The chair's and the secretary's moderation of questions from the floor: those waiting (approve,
 * hide), those approved (mark answered, hide, merge into another), those answered, and those hidden
 * (show again). The chair also sets whether anonymous questions are allowed and whether questions
 * wait for approval. By default the item under way only; "all items" lists every item's.
 */
export function QuestionsModeration({ canSettle }: { canSettle: boolean }) {
  const { t } = useConferenceI18n();
  const { state } = useConference();
  const [scope, setScopeState] = useState<Scope>(lastScope);
  const setScope = (next: Scope) => {
    lastScope = next;
    setScopeState(next);
  };
  const onItem = scope === "item" ? state.questions.filter((q) => q.itemId === state.currentItemId) : state.questions;
  const groups = moderationGroups(onItem);
  const pendingElsewhere = scope === "item" ? pendingCount(state.questions) - groups.pending.length : 0;
  const name = useId();

  return (
    <div className="q-mod">
      {canSettle && <QuestionSettings />}
      <fieldset className="segmented q-mod__scope">
        <legend>{t("questions.scope.legend")}</legend>
        {(["item", "all"] as const).map((s) => (
          <label key={s} className="segmented__option">
            <input type="radio" name={name} checked={scope === s} onChange={() => setScope(s)} />
            <span>{t(`questions.scope.${s}`)}</span>
          </label>
        ))}
      </fieldset>
      {pendingElsewhere > 0 && (
        <p className="q-mod__elsewhere">
          {t("questions.pendingElsewhere", { count: pendingElsewhere })}{" "}
          <button type="button" className="btn btn--small" onClick={() => setScope("all")}>
            {t("questions.scope.all")}
          </button>
        </p>
      )}
      <Group status="pending" questions={groups.pending} all={state.questions} showItem={scope === "all"} />
      <Group status="approved" questions={groups.approved} all={state.questions} showItem={scope === "all"} />
      <Group status="answered" questions={groups.answered} all={state.questions} showItem={scope === "all"} />
      {groups.hidden.length > 0 && (
        <details className="q-mod__hidden">
          <summary>{t("questions.group.hidden", { n: groups.hidden.length })}</summary>
          <ul className="q-list">
            {groups.hidden.map((q) => (
              <ModeratedQuestion key={q.id} question={q} all={state.questions} showItem={scope === "all"} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** The chair's two switches: anonymous questions allowed; questions wait for approval. */
function QuestionSettings() {
  const { t } = useConferenceI18n();
  const { state } = useConference();
  const { conferenceId, token } = useSession();
  const notice = useNotice();
  // What was just asked for, shown until the server's answer (its event) arrives.
  const [asked, setAsked] = useState<Settings | null>(null);
  const save = async (body: Settings) => {
    setAsked(body);
    const answer = await updateConference(conferenceId, token, body);
    setAsked(null);
    if (!answer.ok) notice.show(errorKey(answer.code));
  };
  const anonymousQuestions = asked?.anonymousQuestions ?? state.conference.anonymousQuestions;
  const moderatedQuestions = asked?.moderatedQuestions ?? state.conference.moderatedQuestions;
  return (
    <div className="q-mod__settings">
      <label className="check">
        <input type="checkbox" checked={moderatedQuestions} disabled={asked !== null} onChange={(e) => void save({ moderatedQuestions: e.target.checked })} />
        <span>{t("questions.settings.moderated")}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={anonymousQuestions} disabled={asked !== null} onChange={(e) => void save({ anonymousQuestions: e.target.checked })} />
        <span>{t("questions.settings.anonymous")}</span>
      </label>
      <p className="hint">{moderatedQuestions ? t("questions.settings.moderatedOn") : t("questions.settings.moderatedOff")}</p>
    </div>
  );
}

type Settings = { anonymousQuestions?: boolean; moderatedQuestions?: boolean };

function Group({ status, questions, all, showItem }: { status: Exclude<QuestionStatus, "hidden">; questions: Question[]; all: readonly Question[]; showItem: boolean }) {
  const { t } = useConferenceI18n();
  const id = useId();
  return (
    <section className={`q-mod__group q-mod__group--${status}`} aria-labelledby={id}>
      <h3 id={id}>{t(`questions.group.${status}`, { n: questions.length })}</h3>
      {questions.length === 0 ? (
        <p className="muted">{t(`questions.groupEmpty.${status}`)}</p>
      ) : (
        <ol className="q-list">
          {questions.map((q) => (
            <ModeratedQuestion key={q.id} question={q} all={all} showItem={showItem} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** One question with its author, time, upvotes and the actions its status allows. */
function ModeratedQuestion({ question, all, showItem }: { question: Question; all: readonly Question[]; showItem: boolean }) {
  const { t, fmt } = useConferenceI18n();
  const { state } = useConference();
  const command = useCommand();
  const [busy, setBusy] = useState(false);
  const [merging, setMerging] = useState(false);
  const [target, setTarget] = useState("");
  const textId = useId();
  const selectId = useId();
  const people = indexParticipants(state.participants);
  const author = question.authorId ? people.get(question.authorId) : undefined;
  const item = question.itemId === null ? undefined : state.agenda.find((i) => i.id === question.itemId);
  const mergedInto = question.mergedInto === null ? undefined : all.find((q) => q.id === question.mergedInto);
  const targets = merging ? mergeTargets(all, question) : [];
  const chosen = targets.find((q) => q.id === target) ?? targets[0];

  const run = async (action: () => Promise<{ ok: boolean }>) => {
    setBusy(true);
    const ack = await action();
    setBusy(false);
    if (ack.ok) setMerging(false);
  };
  const moderate = (status: QuestionStatus) => () => void run(() => command({ type: "questions.moderate", questionId: question.id, status }));
  const merge = () => chosen && void run(() => command({ type: "questions.merge", questionId: question.id, intoId: chosen.id }));
  const button = (label: string, onClick: () => void, primary = false) => (
    <button type="button" className={`btn btn--small ${primary ? "btn--primary" : ""}`} disabled={busy} aria-describedby={textId} onClick={onClick}>
      {label}
    </button>
  );

  return (
    <li className={`q-item q-item--mod q-item--${question.status}`}>
      <div className="q-item__body">
        <p className="q-item__text" id={textId}>
          {question.text}
        </p>
        <p className="q-item__meta">
          <QuestionAuthor question={question} author={author} />
          <span>{t("questions.askedAt", { time: fmt.time(question.createdAt) })}</span>
          {showItem && <span className="q-item__on">{item ? t("questions.itemLabel", { item: item.title }) : t("questions.noItemLabel")}</span>}
          {mergedInto && <span className="q-badge">{t("questions.mergedInto", { text: mergedInto.text })}</span>}
        </p>
        {question.mergedInto === null && (
          <div className="q-item__actions">
            {question.status === "pending" && (
              <>
                {button(t("questions.approve"), moderate("approved"), true)}
                {button(t("questions.hide"), moderate("hidden"))}
              </>
            )}
            {question.status === "approved" && (
              <>
                {button(t("questions.markAnswered"), moderate("answered"), true)}
                {button(t("questions.hide"), moderate("hidden"))}
              </>
            )}
            {question.status === "answered" && button(t("questions.unanswer"), moderate("approved"))}
            {question.status === "hidden" && button(t("questions.restore"), moderate("approved"))}
            {question.status !== "hidden" && !merging && button(t("questions.merge"), () => setMerging(true))}
          </div>
        )}
        {merging && (
          <div className="q-merge">
            <label htmlFor={selectId}>{t("questions.mergeInto")}</label>
            {targets.length === 0 ? (
              <p className="muted">{t("questions.noMergeTarget")}</p>
            ) : (
              <select id={selectId} value={chosen?.id ?? ""} onChange={(e) => setTarget(e.target.value)}>
                {targets.map((q) => (
                  <option key={q.id} value={q.id}>
                    {t("questions.mergeOption", { text: excerpt(q.text, 90), n: q.upvoters.length })}
                  </option>
                ))}
              </select>
            )}
            <div className="q-item__actions">
              <button type="button" className="btn btn--small btn--primary" disabled={busy || !chosen} onClick={merge}>
                {t("questions.mergeConfirm")}
              </button>
              <button type="button" className="btn btn--small btn--ghost" onClick={() => setMerging(false)}>
                {t("action.cancel")}
              </button>
            </div>
          </div>
        )}
      </div>
      <span className="q-votes" title={t("questions.votes", { count: question.upvoters.length })}>
        <Icon name="up" />
        <span className="q-vote__count">{fmt.number(question.upvoters.length)}</span>
        <span className="visually-hidden">{t("questions.votes", { count: question.upvoters.length })}</span>
      </span>
    </li>
  );
}

/** The start of a long text, cut at a word, for a picker's options. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The console tab's label: "Câu hỏi" with the number waiting for approval. */
export function QuestionsTabLabel() {
  const { t } = useConferenceI18n();
  const { state } = useConference();
  const waiting = pendingCount(state.questions);
  return (
    <>
      {t("questions.tab")}
      {waiting > 0 && (
        <>
          {" "}
          <span className="count" aria-hidden="true">
            {waiting}
          </span>
          <span className="visually-hidden">{t("questions.waitingCount", { count: waiting })}</span>
        </>
      )}
    </>
  );
}
