import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PollView } from "../../shared/view.ts";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/**
 * v1.1 votes over the real server: the base of present voters, a representative's vote, a proxy,
 * show-of-hands counts and their bounds, as a client sees them.
 */
let srv: TestServer;
let conf: Conference;
let chair: TestClient;
const clients: Record<string, TestClient> = {};
const ids: Record<string, string> = {};

async function pollView(client: TestClient, pollId: string): Promise<PollView> {
  const synced = await client.sync();
  if (!synced.ok) throw new Error("sync refused");
  return synced.state.polls.find((p) => p.id === pollId)!;
}

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Hội nghị giao ban 2023" });
  chair = await TestClient.connect(srv.url, conf.chairToken);
  const org = await api(srv.url, `/api/conferences/${conf.id}/organisations`, { token: conf.chairToken, body: { name: "Hội Cơ khí", cluster: "Hội ngành" } });
  // a1 (representative) and a2 of Hội Cơ khí, b1 and b2 of Hội Điện; nobody1 and nobody2 never come.
  const people = [
    ["a1", { organisationId: org.body.id, representative: true }],
    ["a2", { organisationId: org.body.id }],
    ["b1", { organisation: "Hội Điện" }],
    ["b2", { organisation: "Hội Điện" }],
    ["nobody1", { organisation: "Hội Điện" }],
    ["nobody2", {}],
  ] as const;
  for (const [key, extra] of people) {
    const added = await addParticipant(srv.url, conf, { name: `Đại biểu ${key}`, role: "delegate", ...extra });
    ids[key] = added.id;
    if (!key.startsWith("nobody")) clients[key] = await TestClient.connect(srv.url, added.token);
  }
  await chair.must({ type: "conference.start" });
});
afterAll(async () => {
  for (const client of [chair, ...Object.values(clients)]) client.close();
  await srv.dispose();
});

describe("the base and hall counts over Socket.IO", () => {
  it("counts the present, adds the hall's hands, refuses what would pass the base, and shows both", async () => {
    const created = await chair.must({ type: "polls.create", question: "Thông qua đề án thành lập cụm?", majority: "absolute" });
    const pollId = created.id as string;
    await chair.must({ type: "polls.open", pollId });
    const opened = await pollView(clients.a1!, pollId);
    // chair, a1, a2, b1, b2 present; nobody1 and nobody2 not in the base.
    expect(opened).toMatchObject({ base: "present", eligible: 5, hallCounts: null });
    expect((await clients.a1!.command({ type: "polls.vote", pollId, optionId: "yes" })).ok).toBe(true);
    expect((await clients.b1!.command({ type: "polls.vote", pollId, optionId: "no" })).ok).toBe(true);
    const tooMany = await chair.command({ type: "polls.recordHall", pollId, counts: { yes: 3, no: 1 } });
    expect(tooMany).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await chair.command({ type: "polls.recordHall", pollId, counts: { yes: -2 } })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await clients.a2!.command({ type: "polls.recordHall", pollId, counts: { yes: 1 } })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const hall = await chair.must({ type: "polls.recordHall", pollId, counts: { yes: 2 } });
    await clients.b2!.waitForSeq(hall.seq);
    expect(clients.b2!.events.find((e) => e.seq === hall.seq)).toMatchObject({ type: "poll.hall_recorded", data: { pollId, counts: { yes: 2, no: 0, abstain: 0 } } });
    // 2 electronic + 2 in the hall: one place left.
    expect((await clients.a2!.command({ type: "polls.vote", pollId, optionId: "abstain" })).ok).toBe(true);
    expect(await clients.b2!.command({ type: "polls.vote", pollId, optionId: "yes" })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const closed = await chair.must({ type: "polls.close", pollId });
    await clients.b2!.waitForSeq(closed.seq);
    const view = await pollView(clients.b2!, pollId);
    expect(view).toMatchObject({ status: "closed", eligible: 5, tally: { yes: 3, no: 1, abstain: 1 }, hallCounts: { yes: 2, no: 0, abstain: 0 }, outcome: "adopted" });
    expect(await chair.command({ type: "polls.recordHall", pollId, counts: { yes: 1 } })).toMatchObject({ ok: false, error: { code: "conflict" } });
  });
});

describe("representatives and proxies over Socket.IO", () => {
  it("only the representative casts the organisation's vote; a proxy casts the giver's, named in the ballots", async () => {
    expect(await chair.command({ type: "participants.setProxy", participantId: ids.b2!, proxyId: ids.b2! })).toMatchObject({ ok: false, error: { code: "invalid" } });
    const proxy = await chair.must({ type: "participants.setProxy", participantId: ids.nobody2!, proxyId: ids.b2! });
    await clients.b2!.waitForSeq(proxy.seq);
    expect((await clients.b2!.sync()).ok && clients.b2!.events.some((e) => e.type === "participant.proxy_set")).toBe(true);
    expect(await chair.command({ type: "participants.setProxy", participantId: ids.b2!, proxyId: ids.b1! })).toMatchObject({ ok: false, error: { code: "conflict" } });

    const byOrg = (await chair.must({ type: "polls.create", question: "Theo đơn vị?", weighting: "organisation" })).id as string;
    const named = (await chair.must({ type: "polls.create", question: "Công khai?" })).id as string;
    await chair.must({ type: "polls.open", pollId: byOrg });
    await chair.must({ type: "polls.open", pollId: named });
    expect(await clients.a2!.command({ type: "polls.vote", pollId: byOrg, optionId: "yes" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await clients.a1!.command({ type: "polls.vote", pollId: byOrg, optionId: "yes" })).ok).toBe(true);

    // nobody2 is absent but their holder is present: in the base, voted by b2.
    expect((await pollView(chair, named)).eligible).toBe(6);
    expect((await clients.b2!.command({ type: "polls.vote", pollId: named, optionId: "no", onBehalfOf: ids.nobody2! })).ok).toBe(true);
    expect(await clients.b1!.command({ type: "polls.vote", pollId: named, optionId: "no", onBehalfOf: ids.nobody2! })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await clients.b2!.command({ type: "polls.vote", pollId: named, optionId: "yes" })).ok).toBe(true);
    expect((await chair.command({ type: "polls.voteFor", pollId: named, participantId: ids.a2!, optionId: "abstain" })).ok).toBe(true);
    const closed = await chair.must({ type: "polls.close", pollId: named });
    await chair.waitForSeq(closed.seq);
    const ballots = (await pollView(chair, named)).ballots!;
    expect(ballots).toEqual(
      expect.arrayContaining([
        { voterKey: `person:${ids.nobody2}`, participantId: ids.nobody2, optionId: "no", castBy: ids.b2 },
        { voterKey: `person:${ids.b2}`, participantId: ids.b2, optionId: "yes" },
        { voterKey: `person:${ids.a2}`, participantId: ids.a2, optionId: "abstain", castBy: (chair.snapshot!.me.id) },
      ]),
    );
    // A delegate sees no ballots.
    expect((await pollView(clients.b1!, named)).ballots).toBeNull();
  });
});
