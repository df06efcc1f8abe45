import type { CommandOf } from "../commands.ts";
import type { DomainEvent } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { Role } from "../roles.ts";
import type { Actor, ConferenceState, Question, QuestionStatus } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";

/**
 * Questions from the floor (issue 16, Slido's habit): delegates in the hall or at home send a written
 * question for the current item, named or (when the chair allows it) anonymous; others upvote it,
 * once each; chairs and secretaries moderate (approve, mark answered, hide, merge duplicates). With
 * `moderatedQuestions` a question waits for approval before anyone but the moderators reads it.
 */

/** Who moderates questions: the roles that also see the minutes' ballots. */
export function moderatesQuestions(role: Role): boolean {
  return role === "chair" || role === "secretary";
}

/** Questions one participant may have waiting for moderation at once. */
export const PENDING_QUESTIONS_PER_PERSON = 5;

/**
 * A question as a role may see it: nobody learns who sent an anonymous one (the server keeps the
 * author only to bound how many they send); a question waiting for approval, or hidden, keeps its
 * text from everyone but the moderators.
 */
export function publicQuestion(question: Question, role: Role): Question {
  const hideText = !moderatesQuestions(role) && (question.status === "pending" || question.status === "hidden");
  if (!question.anonymous && !hideText) return question;
  return { ...question, authorId: question.anonymous || hideText ? null : question.authorId, text: hideText ? "" : question.text };
}

/**
 * The one order of questions on every screen: approved ones by upvotes (most first, then the
 * earliest), then those answered (in the order they were answered), then, for moderators, those
 * waiting (oldest first). Hidden and merged questions are listed to nobody.
 */
export function orderedQuestions(questions: readonly Question[], role: Role): Question[] {
  const rank: Record<QuestionStatus, number> = { approved: 0, answered: 1, pending: 2, hidden: 3 };
  return questions
    .filter((q) => q.status === "approved" || q.status === "answered" || (q.status === "pending" && moderatesQuestions(role)))
    .sort(
      (a, b) =>
        rank[a.status] - rank[b.status] ||
        (a.status === "approved" ? b.upvoters.length - a.upvoters.length : 0) ||
        (a.status === "answered" ? (a.answeredAt ?? 0) - (b.answeredAt ?? 0) : 0) ||
        a.createdAt - b.createdAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

type QuestionsCommand = CommandOf<"questions.ask" | "questions.upvote" | "questions.unvote" | "questions.moderate" | "questions.merge">;

export function decideQuestions(state: ConferenceState, command: QuestionsCommand, actor: Actor, ctx: DecideContext): Decision {
  if (command.type === "questions.ask") {
    if (state.conference.status === "ended") return refuse("conflict", "the conference has ended");
    if (command.anonymous && !state.conference.anonymousQuestions) return refuse("forbidden", "the chair does not allow anonymous questions");
    if (state.questions.length >= LIMITS.questions) return refuse("conflict", `a conference holds at most ${LIMITS.questions} questions`);
    const waiting = state.questions.filter((q) => q.authorId === actor.participantId && q.status === "pending").length;
    if (waiting >= PENDING_QUESTIONS_PER_PERSON) {
      return refuse("rate_limited", `at most ${PENDING_QUESTIONS_PER_PERSON} of your questions may wait for approval at once`);
    }
    const question: Question = {
      id: ctx.newId(),
      itemId: state.currentItemId,
      text: command.text,
      authorId: actor.participantId,
      anonymous: command.anonymous ?? false,
      status: state.conference.moderatedQuestions ? "pending" : "approved",
      createdAt: ctx.now,
      answeredAt: null,
      upvoters: [],
      mergedInto: null,
    };
    return accept([{ type: "question.asked", data: { question } }], { id: question.id });
  }
  const question = state.questions.find((q) => q.id === command.questionId);
  if (!question) return refuse("not_found", "no such question");
  switch (command.type) {
    case "questions.upvote":
      if (question.status !== "approved") return refuse("conflict", "only an approved, unanswered question takes upvotes");
      if (question.authorId === actor.participantId) return refuse("conflict", "your own question takes no upvote of yours");
      if (question.upvoters.includes(actor.participantId)) return refuse("conflict", "you have upvoted this question already");
      return accept([{ type: "question.upvoted", data: { questionId: question.id, participantId: actor.participantId } }]);
    case "questions.unvote":
      if (!question.upvoters.includes(actor.participantId)) return accept([]);
      return accept([{ type: "question.unvoted", data: { questionId: question.id, participantId: actor.participantId } }]);
    case "questions.moderate": {
      if (question.mergedInto !== null) return refuse("conflict", "the question was merged into another");
      if (question.status === command.status) return accept([]);
      const changed: Question = { ...question, status: command.status, answeredAt: command.status === "answered" ? ctx.now : null };
      return accept([{ type: "question.moderated", data: { question: changed } }]);
    }
    case "questions.merge": {
      const into = state.questions.find((q) => q.id === command.intoId);
      if (!into) return refuse("not_found", "no such question to merge into");
      if (into.id === question.id) return refuse("invalid", "a question cannot be merged into itself");
      if (question.mergedInto !== null || into.mergedInto !== null) return refuse("conflict", "a merged question cannot be merged again");
      if (into.status === "hidden") return refuse("conflict", "a hidden question takes no merge");
      // The duplicate's upvotes, and its author's, go to the one kept (never its own author's).
      const upvoters = [...new Set([...into.upvoters, ...question.upvoters, ...(question.authorId ? [question.authorId] : [])])].filter(
        (id) => id !== into.authorId,
      );
      return accept([
        { type: "question.moderated", data: { question: { ...question, status: "hidden", mergedInto: into.id } } },
        { type: "question.moderated", data: { question: { ...into, upvoters } } },
      ]);
    }
  }
}

function upsert(questions: readonly Question[], question: Question): Question[] {
  return questions.some((q) => q.id === question.id) ? questions.map((q) => (q.id === question.id ? question : q)) : [...questions, question];
}

export function evolveQuestions(state: ConferenceState, event: Extract<DomainEvent, { type: `question.${string}` }>): ConferenceState {
  switch (event.type) {
    case "question.asked":
    case "question.moderated":
      // A moderation carries the whole question: a reader who saw it only redacted (waiting) gets its text.
      return { ...state, questions: upsert(state.questions, event.type === "question.asked" ? event.data.question : event.data.question) };
    case "question.upvoted":
      return {
        ...state,
        questions: state.questions.map((q) =>
          q.id === event.data.questionId && !q.upvoters.includes(event.data.participantId) ? { ...q, upvoters: [...q.upvoters, event.data.participantId] } : q,
        ),
      };
    case "question.unvoted":
      return {
        ...state,
        questions: state.questions.map((q) => (q.id === event.data.questionId ? { ...q, upvoters: q.upvoters.filter((id) => id !== event.data.participantId) } : q)),
      };
  }
}
