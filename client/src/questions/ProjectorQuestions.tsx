import { Icon } from "../components/Icon.tsx";
import { useConferenceI18n } from "../live/useConference.ts";
import { useConference } from "../live/useConference.ts";
import { indexParticipants } from "../model/participants.ts";
import { approvedQuestions } from "./questionsModel.ts";
import "./questions.css";

/** How many questions the projector lists: in the focus area, and beside a speech or a vote. */
export const PROJECTOR_QUESTIONS = { focus: 5, side: 3 } as const;

/** Whether the projector has approved questions to show on the item under way. */
export function useProjectorHasQuestions(): boolean {
  const { state } = useConference();
  return approvedQuestions(state.questions, state.currentItemId).length > 0;
}

/**
 * The hall's screen: the approved questions of the item under way, most upvoted first (the one
 * order of every screen), in large type. `focus`: the main area, when nobody speaks and no vote is
 * on; `side`: a short list beside the speech or the vote. Answered questions leave the screen.
 */
export function ProjectorQuestions({ variant }: { variant: "focus" | "side" }) {
  const { t, fmt } = useConferenceI18n();
  const { state } = useConference();
  const approved = approvedQuestions(state.questions, state.currentItemId);
  if (approved.length === 0) return null;
  const people = indexParticipants(state.participants);
  const shown = approved.slice(0, PROJECTOR_QUESTIONS[variant]);
  const more = approved.length - shown.length;
  const headingId = `pj-questions-${variant}`;

  return (
    <section className={`pj-questions pj-questions--${variant}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="pj-eyebrow">
        {t("questions.projector.title")}
      </h2>
      <ol className="pj-q-list">
        {shown.map((q) => {
          const author = q.anonymous || q.authorId === null ? undefined : people.get(q.authorId);
          return (
            <li key={q.id} className="pj-q">
              <span className="pj-q__votes">
                <span aria-hidden="true">
                  <Icon name="up" /> {fmt.number(q.upvoters.length)}
                </span>
                <span className="visually-hidden">{t("questions.votes", { count: q.upvoters.length })}</span>
              </span>
              <span className="pj-q__body">
                <span className="pj-q__text">{q.text}</span>
                <span className="pj-q__author">
                  {q.anonymous ? t("questions.anonymousAuthor") : author ? [author.name, author.organisation].filter(Boolean).join(" · ") : t("person.unknown")}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
      {more > 0 && <p className="pj-muted pj-q__more">{t("questions.projector.more", { n: fmt.number(more) })}</p>}
    </section>
  );
}
