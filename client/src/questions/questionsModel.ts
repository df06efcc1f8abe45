import { moderatesQuestions, orderedQuestions } from "../../../shared/domain/questions.ts";
import type { Role } from "../../../shared/roles.ts";
import type { Question } from "../../../shared/state.ts";
import type { Me } from "../../../shared/view.ts";

/** The questions this page sent (ids), as `useAskedQuestions` keeps them. */
export type Asked = { has(id: string): boolean };

/**
 * Small pure helpers of the questions' views. The order is always `orderedQuestions`
 * (shared/domain/questions.ts): the delegates' phones, the console and the projector list the same
 * questions in the same order.
 */

/** The questions asked on one item (null: outside any item), in the one order of every screen. */
export function questionsOnItem(questions: readonly Question[], itemId: string | null, role: Role): Question[] {
  return orderedQuestions(
    questions.filter((q) => q.itemId === itemId),
    role,
  );
}

/** Whether a question is mine: named with my id, or one this page sent (an anonymous one names nobody). */
export function isMine(question: Question, me: Pick<Me, "id">, asked: Asked): boolean {
  return question.authorId === me.id || asked.has(question.id);
}

/**
 * What my upvote button does on a question: `upvote`, `unvote` (I have upvoted it), or null for
 * no button: my own question, or one that takes no upvotes (waiting, answered, hidden).
 */
export function upvoteAction(question: Question, me: Pick<Me, "id" | "role">, asked: Asked): "upvote" | "unvote" | null {
  if (me.role === "projector") return null;
  if (isMine(question, me, asked)) return null;
  if (question.status !== "approved") return null;
  return question.upvoters.includes(me.id) ? "unvote" : "upvote";
}

/** The questions approved and not yet answered, most upvoted first: what the projector shows. */
export function approvedQuestions(questions: readonly Question[], itemId: string | null): Question[] {
  return questionsOnItem(questions, itemId, "projector").filter((q) => q.status === "approved");
}

/** My own questions the others cannot read yet (waiting for approval) or that were merged into another. */
export function myUnlisted(questions: readonly Question[], asked: Asked): Question[] {
  return questions
    .filter((q) => asked.has(q.id) && (q.status === "pending" || (q.status === "hidden" && q.mergedInto !== null)))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** Moderation's groups, each in the one order; merged duplicates apart from the others hidden. */
export function moderationGroups(questions: readonly Question[]): {
  pending: Question[];
  approved: Question[];
  answered: Question[];
  hidden: Question[];
} {
  const listed = orderedQuestions(questions, "chair");
  return {
    pending: listed.filter((q) => q.status === "pending"),
    approved: listed.filter((q) => q.status === "approved"),
    answered: listed.filter((q) => q.status === "answered"),
    hidden: questions.filter((q) => q.status === "hidden").sort((a, b) => a.createdAt - b.createdAt),
  };
}

/**
 * Where a question may be merged: another question that is neither hidden nor merged itself
 * (as the server checks), those on the same item first, each group in the one order.
 */
export function mergeTargets(questions: readonly Question[], question: Question): Question[] {
  const candidates = orderedQuestions(questions, "chair").filter((q) => q.id !== question.id && q.mergedInto === null);
  return [...candidates.filter((q) => q.itemId === question.itemId), ...candidates.filter((q) => q.itemId !== question.itemId)];
}

/** How many questions wait for approval (on every item), for the console's tab. */
export function pendingCount(questions: readonly Question[]): number {
  return questions.filter((q) => q.status === "pending").length;
}

/** Whether this role moderates questions (re-exported for the views). */
export { moderatesQuestions };
