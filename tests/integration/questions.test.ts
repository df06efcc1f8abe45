import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderedQuestions } from "../../shared/domain/questions.ts";
import type { Question } from "../../shared/state.ts";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** Questions from the floor (issue 16) over the real server: moderation, upvotes, order, anonymity. */
let srv: TestServer;
let conf: Conference;
let chair: TestClient;
let secretary: TestClient;
let projector: TestClient;
const delegates: TestClient[] = [];

async function questionsOf(client: TestClient): Promise<Question[]> {
  const synced = await client.sync();
  if (!synced.ok) throw new Error("sync refused");
  return synced.state.questions;
}

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Giao ban" });
  chair = await TestClient.connect(srv.url, conf.chairToken);
  secretary = await TestClient.connect(srv.url, (await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" })).token);
  projector = await TestClient.connect(srv.url, (await addParticipant(srv.url, conf, { name: "Màn hình", role: "projector" })).token);
  for (let i = 0; i < 3; i++) delegates.push(await TestClient.connect(srv.url, (await addParticipant(srv.url, conf, { name: `Đại biểu ${i}`, role: "delegate" })).token));
  await chair.must({ type: "conference.start" });
});
afterAll(async () => {
  for (const client of [chair, secretary, projector, ...delegates]) client?.close();
  await srv.dispose();
});

describe("questions from the floor", () => {
  it("wait for moderation: others see neither the text nor the author until a chair or secretary approves", async () => {
    const [a, b] = delegates as [TestClient, TestClient];
    const asked = await a.must({ type: "questions.ask", text: "Kế hoạch thành lập cụm Tây Nguyên thế nào?" });
    await b.waitForSeq(asked.seq);
    const event = b.events.find((e) => e.seq === asked.seq)!;
    expect(event).toMatchObject({ type: "question.asked", data: { question: { status: "pending", text: "", authorId: null } } });
    expect((await questionsOf(b))[0]).toMatchObject({ text: "", authorId: null });
    expect((await questionsOf(secretary))[0]).toMatchObject({ text: "Kế hoạch thành lập cụm Tây Nguyên thế nào?", authorId: a.snapshot!.me.id });
    expect(orderedQuestions(await questionsOf(b), "delegate")).toEqual([]);
    expect(await b.command({ type: "questions.moderate", questionId: asked.id as string, status: "approved" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await b.command({ type: "questions.upvote", questionId: asked.id as string })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const approved = await secretary.must({ type: "questions.moderate", questionId: asked.id as string, status: "approved" });
    await projector.waitForSeq(approved.seq);
    expect(projector.events.find((e) => e.seq === approved.seq)).toMatchObject({ type: "question.moderated", data: { question: { status: "approved", text: "Kế hoạch thành lập cụm Tây Nguyên thế nào?" } } });
  });

  it("take one upvote per person, never their author's; the order is by upvotes, the same everywhere", async () => {
    const [a, b, c] = delegates as [TestClient, TestClient, TestClient];
    const second = (await b.must({ type: "questions.ask", text: "Kinh phí hoạt động của cụm lấy từ đâu?" })).id as string;
    await chair.must({ type: "questions.moderate", questionId: second, status: "approved" });
    const first = (await questionsOf(chair)).find((q) => q.text.startsWith("Kế hoạch"))!.id;
    expect(await a.command({ type: "questions.upvote", questionId: first })).toMatchObject({ ok: false, error: { code: "conflict" } });
    await a.must({ type: "questions.upvote", questionId: second });
    expect(await a.command({ type: "questions.upvote", questionId: second })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const last = await c.must({ type: "questions.upvote", questionId: second });
    for (const client of [chair, projector, a]) await client.waitForSeq(last.seq);
    const orders = await Promise.all([chair, projector, a].map(async (client) => orderedQuestions(await questionsOf(client), "delegate").map((q) => q.id)));
    expect(orders).toEqual([[second, first], [second, first], [second, first]]);
    expect((await questionsOf(projector)).find((q) => q.id === second)!.upvoters).toHaveLength(2);
    await c.must({ type: "questions.unvote", questionId: second });
    expect((await questionsOf(projector)).find((q) => q.id === second)!.upvoters).toHaveLength(1);
  });

  it("are answered, hidden and merged by moderators; an answered question takes no more upvotes", async () => {
    const [a, b, c] = delegates as [TestClient, TestClient, TestClient];
    const dup = (await c.must({ type: "questions.ask", text: "Cụm Tây Nguyên có bao nhiêu tỉnh?" })).id as string;
    const kept = (await questionsOf(chair)).find((q) => q.text.startsWith("Kế hoạch"))!;
    await chair.must({ type: "questions.merge", questionId: dup, intoId: kept.id });
    const after = await questionsOf(chair);
    expect(after.find((q) => q.id === dup)).toMatchObject({ status: "hidden", mergedInto: kept.id });
    expect(after.find((q) => q.id === kept.id)!.upvoters).toContain(c.snapshot!.me.id);
    expect(await chair.command({ type: "questions.merge", questionId: kept.id, intoId: kept.id })).toMatchObject({ ok: false, error: { code: "invalid" } });
    await chair.must({ type: "questions.moderate", questionId: kept.id, status: "answered" });
    expect(await b.command({ type: "questions.upvote", questionId: kept.id })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const order = orderedQuestions(await questionsOf(a), "delegate");
    expect(order.at(-1)).toMatchObject({ id: kept.id, status: "answered", answeredAt: expect.any(Number) });
    expect(order.some((q) => q.id === dup)).toBe(false);
  });

  it("anonymous only when the chair allows it, and then nobody learns the author", async () => {
    const [a] = delegates as [TestClient];
    expect(await a.command({ type: "questions.ask", text: "Ẩn danh?", anonymous: true })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await api(srv.url, `/api/conferences/${conf.id}`, { method: "PATCH", token: conf.chairToken, body: { anonymousQuestions: true, moderatedQuestions: false } });
    const asked = await a.must({ type: "questions.ask", text: "Câu hỏi không ghi tên", anonymous: true });
    for (const client of [chair, secretary, projector]) {
      await client.waitForSeq(asked.seq);
      expect(client.events.find((e) => e.seq === asked.seq)).toMatchObject({ data: { question: { authorId: null, anonymous: true, status: "approved" } } });
      expect((await questionsOf(client)).find((q) => q.id === asked.id)!.authorId).toBeNull();
    }
  });

  it("refuse hostile text and bound how many wait per person", async () => {
    const [, b] = delegates as [TestClient, TestClient];
    for (const text of ["", " ", "a".repeat(501), "x\u0000y", "\u202Eabc"]) {
      expect(await b.command({ type: "questions.ask", text }), JSON.stringify(text)).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    await api(srv.url, `/api/conferences/${conf.id}`, { method: "PATCH", token: conf.chairToken, body: { moderatedQuestions: true } });
    for (let i = 0; i < 5; i++) await b.must({ type: "questions.ask", text: `Câu hỏi số ${i}` });
    expect(await b.command({ type: "questions.ask", text: "Câu thứ sáu" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(await projector.command({ type: "questions.ask", text: "Màn hình hỏi?" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
