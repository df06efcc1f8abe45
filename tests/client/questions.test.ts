import { describe, expect, it } from "vitest";
import { i18n } from "../../client/src/i18n/index.ts";
import { recordToContent, type Translate } from "../../client/src/minutes/records.ts";
import { oneLine } from "../../client/src/questions/QuestionsPanel.tsx";
import { excerpt } from "../../client/src/questions/QuestionsModeration.tsx";
import {
  approvedQuestions,
  isMine,
  mergeTargets,
  moderationGroups,
  myUnlisted,
  pendingCount,
  questionsOnItem,
  upvoteAction,
} from "../../client/src/questions/questionsModel.ts";
import { questionsRecord, recordedQuestionsItemId } from "../../client/src/questions/questionsRecord.ts";
import type { Question } from "../../shared/state.ts";
import { conference, item, person, T0 } from "../support/fixtures.ts";

const tVi = i18n.getFixedT("vi", "minutes") as unknown as Translate;
const tEn = i18n.getFixedT("en", "minutes") as unknown as Translate;

function question(id: string, extra: Partial<Question> = {}): Question {
  return { id, itemId: "i1", text: `Câu hỏi ${id}`, authorId: "an", anonymous: false, status: "approved", createdAt: T0, answeredAt: null, upvoters: [], mergedInto: null, ...extra };
}

const people = [
  person("chair", "Phan Xuân Dũng", { role: "chair" }),
  person("an", "Nguyễn Văn An", { organisation: "Liên hiệp Hội tỉnh Nghệ An" }),
  person("binh", "Trần Thị Bình"),
];
const me = { id: "binh", role: "delegate" as const };
const none = new Set<string>();

describe("which questions I may upvote", () => {
  it("offers an upvote on another's approved question, and to take it back once given", () => {
    expect(upvoteAction(question("q1"), me, none)).toBe("upvote");
    expect(upvoteAction(question("q1", { upvoters: ["binh"] }), me, none)).toBe("unvote");
  });

  it("offers nothing on my own question, named or anonymous (known from the ack), nor on one not approved", () => {
    expect(upvoteAction(question("q1", { authorId: "binh" }), me, none)).toBeNull();
    const anonymous = question("q2", { authorId: null, anonymous: true });
    expect(upvoteAction(anonymous, me, none)).toBe("upvote");
    expect(upvoteAction(anonymous, me, new Set(["q2"]))).toBeNull();
    expect(isMine(anonymous, me, new Map([["q2", "text"]]))).toBe(true);
    for (const status of ["pending", "answered", "hidden"] as const) expect(upvoteAction(question("q3", { status }), me, none)).toBeNull();
    expect(upvoteAction(question("q1"), { id: "screen", role: "projector" }, none)).toBeNull();
  });
});

describe("the lists of questions", () => {
  const qs = [
    question("early", { createdAt: T0, upvoters: ["x"] }),
    question("late", { createdAt: T0 + 10, upvoters: ["x", "y"] }),
    question("tie", { createdAt: T0 + 20, upvoters: ["z"] }),
    question("done", { status: "answered", answeredAt: T0 + 30, upvoters: ["a", "b", "c"] }),
    question("wait", { status: "pending", text: "" }),
    question("gone", { status: "hidden" }),
    question("other", { itemId: "i2", upvoters: ["a", "b", "c", "d"] }),
  ];

  it("lists one item's questions in the one order: approved by upvotes then the earliest, then answered", () => {
    expect(questionsOnItem(qs, "i1", "delegate").map((q) => q.id)).toEqual(["late", "early", "tie", "done"]);
    expect(questionsOnItem(qs, "i1", "chair").map((q) => q.id)).toEqual(["late", "early", "tie", "done", "wait"]);
    expect(questionsOnItem(qs, null, "delegate")).toEqual([]);
  });

  it("puts on the projector the approved, unanswered ones of the item", () => {
    expect(approvedQuestions(qs, "i1").map((q) => q.id)).toEqual(["late", "early", "tie"]);
  });

  it("groups them for moderation and counts those waiting", () => {
    const groups = moderationGroups(qs);
    expect(groups.pending.map((q) => q.id)).toEqual(["wait"]);
    expect(groups.approved.map((q) => q.id)).toEqual(["other", "late", "early", "tie"]);
    expect(groups.answered.map((q) => q.id)).toEqual(["done"]);
    expect(groups.hidden.map((q) => q.id)).toEqual(["gone"]);
    expect(pendingCount(qs)).toBe(1);
  });

  it("offers as merge targets the other questions neither hidden nor merged, the same item's first", () => {
    const merged = question("dup", { status: "hidden", mergedInto: "late" });
    expect(mergeTargets([...qs, merged], qs[0]!).map((q) => q.id)).toEqual(["late", "tie", "done", "wait", "other"]);
  });

  it("shows me my own questions that others cannot read yet, and those merged", () => {
    const mine = [question("m1", { status: "pending", text: "" }), question("m2", { status: "hidden", mergedInto: "late" }), question("m3", { status: "hidden" }), question("m4")];
    expect(myUnlisted(mine, new Set(["m1", "m2", "m3", "m4"])).map((q) => q.id)).toEqual(["m1", "m2"]);
  });
});

describe("the questions record", () => {
  const agenda = [item("i1", { title: "Báo cáo tổng kết", status: "done" }), item("i2", { title: "Thảo luận", status: "active" })];
  const answered = [
    question("q1", { answeredAt: T0 + 100, status: "answered", upvoters: ["binh", "chair"] }),
    question("q2", { answeredAt: T0 + 50, status: "answered", authorId: null, anonymous: true, text: "Kinh phí năm 2022?" }),
    question("q3", { status: "approved" }),
  ];

  it("lists the answered questions of the item, in the order answered, with author or 'không ghi tên' and upvotes", () => {
    const state = conference({ participants: people, agenda, currentItemId: "i1", questions: answered });
    const record = questionsRecord(state, tVi);
    expect(record.title).toBe("Câu hỏi của đại biểu – Báo cáo tổng kết");
    expect(record.items.map((i) => i.text)).toEqual([
      "Kinh phí năm 2022? (không ghi tên; 0 lượt ủng hộ)",
      "Câu hỏi q1 (Nguyễn Văn An, Liên hiệp Hội tỉnh Nghệ An; 2 lượt ủng hộ)",
    ]);
    expect(recordToContent(record)[0]).toEqual({ type: "paragraph", content: [{ type: "text", text: record.title, marks: [{ type: "bold" }] }] });
    expect(questionsRecord(state, tEn).items[0]!.text).toBe("Kinh phí năm 2022? (anonymous; 0 upvotes)");
  });

  it("records the item answered last once the chair has moved on, and says when none was answered", () => {
    const state = conference({ participants: people, agenda, currentItemId: "i2", questions: answered });
    expect(recordedQuestionsItemId(state)).toBe("i1");
    const empty = conference({ participants: people, agenda, currentItemId: "i2", questions: [question("q3")] });
    expect(questionsRecord(empty, tVi)).toEqual({ title: "Câu hỏi của đại biểu – Thảo luận", items: [{ text: "Không có câu hỏi đã trả lời." }] });
    const outside = conference({ participants: people, agenda: [], currentItemId: null, questions: [question("q4", { itemId: null, status: "answered", answeredAt: T0, authorId: "gone" })] });
    expect(questionsRecord(outside, tVi)).toEqual({ title: "Câu hỏi của đại biểu", items: [{ text: "Câu hỏi q4 (không rõ; 0 lượt ủng hộ)" }] });
  });
});

describe("the question's text box", () => {
  it("keeps one line, and cuts long texts at a word for the merge picker", () => {
    expect(oneLine("Một\ndòng\r\nthôi")).toBe("Một dòng thôi");
    expect(excerpt("ngắn", 10)).toBe("ngắn");
    expect(excerpt("một hai ba bốn năm sáu", 12)).toBe("một hai ba…");
  });
});
