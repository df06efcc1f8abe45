// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NoticeProvider } from "../../client/src/components/Notices.tsx";
import { i18n } from "../../client/src/i18n/index.ts";
import { SessionContext } from "../../client/src/live/Session.ts";
import { ConnectionContext } from "../../client/src/live/useLive.ts";
import { forgetAsked } from "../../client/src/questions/askedQuestions.ts";
import { ProjectorQuestions } from "../../client/src/questions/ProjectorQuestions.tsx";
import { QuestionsModeration } from "../../client/src/questions/QuestionsModeration.tsx";
import { QuestionsPanel } from "../../client/src/questions/QuestionsPanel.tsx";
import type { ConferenceState, Question } from "../../shared/state.ts";
import type { Me } from "../../shared/view.ts";
import { fakeConnection } from "../support/fakeConnection.ts";
import { conference, item, person, T0 } from "../support/fixtures.ts";

/** The server's clock as the views read it. */
const SERVER_NOW = { now: T0 + 60_000 };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;


function question(id: string, extra: Partial<Question> = {}): Question {
  return { id, itemId: "i1", text: `Câu hỏi ${id}`, authorId: "an", anonymous: false, status: "approved", createdAt: T0, answeredAt: null, upvoters: [], mergedInto: null, ...extra };
}

const people = [person("chair", "Phan Xuân Dũng", { role: "chair" }), person("an", "Nguyễn Văn An", { organisation: "Liên hiệp Hội tỉnh Nghệ An" }), person("binh", "Trần Thị Bình")];
const asBinh: Me = { id: "binh", name: "Trần Thị Bình", organisation: "", organisationId: null, representative: false, role: "delegate", voting: true };
const asChair: Me = { ...asBinh, id: "chair", name: "Phan Xuân Dũng", role: "chair" };
const stateWith = (extra: Partial<ConferenceState>) =>
  conference({ participants: people, agenda: [item("i1", { title: "Báo cáo tổng kết", status: "active" })], currentItemId: "i1", ...extra });

let root: Root;
let host: HTMLElement;
beforeEach(async () => {
  await i18n.changeLanguage("vi");
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  forgetAsked();
});

async function render(fake: ReturnType<typeof fakeConnection>, view: React.ReactNode) {
  await act(async () => {
    root.render(
      <ConnectionContext.Provider value={fake.connection}>
        <SessionContext.Provider value={{ conferenceId: "conf1", token: "tok", adoptToken: () => undefined }}>
          <NoticeProvider>{view}</NoticeProvider>
        </SessionContext.Provider>
      </ConnectionContext.Provider>,
    );
  });
}
const buttons = (text: string) => [...host.querySelectorAll("button")].filter((b) => b.textContent === text);
async function type(input: HTMLTextAreaElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), "value")!.set!.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
const rows = () => [...host.querySelectorAll(".q-list li")].map((li) => li.querySelector(".q-item__text")?.textContent);

describe("the delegate's questions", () => {
  it("sends a question, anonymous when allowed, and shows it as mine while it waits", async () => {
    const initial = stateWith({ conference: { ...stateWith({}).conference, anonymousQuestions: true } });
    const fake = fakeConnection({ status: "online", me: asBinh, clockOffsetMs: 0, conference: initial }, { ...SERVER_NOW, answer: (c) => (c.type === "questions.ask" ? { ok: true, seq: 2, id: "mine" } : { ok: true, seq: 3 }) });
    await render(fake, <QuestionsPanel />);
    expect(host.textContent).toContain("Câu hỏi bằng văn bản về nội dung: Báo cáo tổng kết");
    const box = host.querySelector("textarea")!;
    await type(box, "Kinh phí\nnăm 2022?");
    expect(host.textContent).toContain("18/500 ký tự");
    await act(async () => host.querySelector<HTMLInputElement>(".q-form input[type=checkbox]")!.click());
    await act(async () => buttons(" Gửi câu hỏi")[0]!.click());
    expect(fake.sent).toEqual([{ type: "questions.ask", text: "Kinh phí năm 2022?", anonymous: true }]);
    expect(host.textContent).toContain("Đã gửi câu hỏi, đang chờ chủ trì duyệt.");
    // The server shows it to me as to anyone: no text, no author; the page knows it is mine.
    await act(async () => fake.setConference({ ...initial, questions: [question("mine", { status: "pending", text: "", authorId: null, anonymous: true })] }));
    expect(host.querySelector(".questions__mine")?.textContent).toContain("Kinh phí năm 2022?");
    expect(host.querySelector(".questions__mine")?.textContent).toContain("Đang chờ duyệt");
    // Approved: listed, as my own, without an upvote button.
    await act(async () => fake.setConference({ ...initial, questions: [question("mine", { text: "Kinh phí năm 2022?", authorId: null, anonymous: true, upvoters: ["an"] })] }));
    expect(host.querySelector(".questions__mine")).toBeNull();
    const mine = host.querySelector(".q-item--mine")!;
    expect(mine.textContent).toContain("Câu hỏi của bạn");
    expect(mine.textContent).toContain("Không ghi tên");
    expect(mine.querySelector("button")).toBeNull();
  });

  it("upvotes and takes back, in the one order, and marks the answered", async () => {
    const qs = [question("a", { createdAt: T0 }), question("b", { createdAt: T0 + 1, upvoters: ["chair"] }), question("c", { status: "answered", answeredAt: T0 + 5 })];
    const fake = fakeConnection({ status: "online", me: asBinh, clockOffsetMs: 0, conference: stateWith({ questions: qs }) }, SERVER_NOW);
    await render(fake, <QuestionsPanel />);
    expect(rows()).toEqual(["Câu hỏi b", "Câu hỏi a", "Câu hỏi c"]);
    const vote = (n: number) => host.querySelectorAll<HTMLButtonElement>("button.q-vote")[n]!;
    expect(host.querySelectorAll("button.q-vote")).toHaveLength(2);
    expect(vote(1).getAttribute("aria-label")).toBe("Ủng hộ câu hỏi (0 lượt ủng hộ)");
    await act(async () => vote(1).click());
    expect(fake.sent).toEqual([{ type: "questions.upvote", questionId: "a" }]);
    await act(async () => fake.setConference(stateWith({ questions: [{ ...qs[0]!, upvoters: ["binh"] }, qs[1]!, qs[2]!] })));
    // A tie: the earlier first; my upvote shows pressed and takes it back.
    expect(rows()).toEqual(["Câu hỏi a", "Câu hỏi b", "Câu hỏi c"]);
    expect(vote(0).getAttribute("aria-pressed")).toBe("true");
    await act(async () => vote(0).click());
    expect(fake.sent.at(-1)).toEqual({ type: "questions.unvote", questionId: "a" });
    expect(host.querySelector(".q-item--answered")?.textContent).toContain("Đã trả lời");
  });

  it("says why a question was refused", async () => {
    const fake = fakeConnection({ status: "online", me: asBinh, clockOffsetMs: 0, conference: stateWith({}) }, { ...SERVER_NOW, answer: () => ({ ok: false, error: { code: "rate_limited", message: "" } }) });
    await render(fake, <QuestionsPanel />);
    await type(host.querySelector("textarea")!, "Một câu nữa?");
    await act(async () => buttons(" Gửi câu hỏi")[0]!.click());
    expect(host.querySelector(".form__error")?.textContent).toContain("Bạn đã có 5 câu hỏi đang chờ duyệt");
  });
});

describe("the moderation of questions", () => {
  it("approves, hides, marks answered and merges", async () => {
    const qs = [question("p", { status: "pending", authorId: "binh" }), question("a", { upvoters: ["binh"] }), question("b", { createdAt: T0 + 1 })];
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ questions: qs }) }, SERVER_NOW);
    await render(fake, <QuestionsModeration canSettle />);
    expect([...host.querySelectorAll("h3")].map((h) => h.textContent)).toEqual(["Chờ duyệt (1)", "Đã duyệt, chưa trả lời (2)", "Đã trả lời (0)"]);
    expect(host.textContent).toContain("Duyệt câu hỏi trước khi hiển thị");
    await act(async () => buttons("Duyệt")[0]!.click());
    expect(fake.sent.at(-1)).toEqual({ type: "questions.moderate", questionId: "p", status: "approved" });
    await act(async () => buttons("Đánh dấu đã trả lời")[0]!.click());
    expect(fake.sent.at(-1)).toEqual({ type: "questions.moderate", questionId: "a", status: "answered" });
    // Merge b into a: the picker offers the others, the chosen one is sent.
    await act(async () => buttons("Gộp vào câu hỏi khác…")[2]!.click());
    const select = host.querySelector<HTMLSelectElement>(".q-merge select")!;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Câu hỏi a (1 lượt ủng hộ)", "Câu hỏi p (0 lượt ủng hộ)"]);
    await act(async () => buttons("Gộp")[0]!.click());
    expect(fake.sent.at(-1)).toEqual({ type: "questions.merge", questionId: "b", intoId: "a" });
  });

  it("points at questions waiting on another item", async () => {
    const fake = fakeConnection({ status: "online", me: asChair, clockOffsetMs: 0, conference: stateWith({ questions: [question("x", { itemId: null, status: "pending" })] }) }, SERVER_NOW);
    await render(fake, <QuestionsModeration canSettle={false} />);
    expect(host.textContent).not.toContain("Duyệt câu hỏi trước khi hiển thị");
    expect(host.textContent).toContain("1 câu hỏi chờ duyệt ở nội dung khác.");
    await act(async () => buttons("Tất cả nội dung")[0]!.click());
    expect(host.querySelector(".q-mod__group--pending")?.textContent).toContain("Ngoài chương trình");
  });
});

describe("the projector's questions", () => {
  it("shows the approved ones by votes, not the answered", async () => {
    const qs = [question("a"), question("b", { upvoters: ["x", "y"], anonymous: true, authorId: null }), question("c", { status: "answered" })];
    const fake = fakeConnection({ status: "online", me: { ...asBinh, role: "projector" }, clockOffsetMs: 0, conference: stateWith({ questions: qs }) }, SERVER_NOW);
    await render(fake, <ProjectorQuestions variant="focus" />);
    expect([...host.querySelectorAll(".pj-q__text")].map((e) => e.textContent)).toEqual(["Câu hỏi b", "Câu hỏi a"]);
    expect(host.querySelector(".pj-q")?.textContent).toContain("Không ghi tên");
  });
});
