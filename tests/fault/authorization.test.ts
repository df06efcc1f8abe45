import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandType } from "../../shared/commands.ts";
import { COMMAND_ROLES } from "../../shared/domain/index.ts";
import { ROLES, type Role } from "../../shared/roles.ts";
import type { Snapshot } from "../../shared/view.ts";
import { addParticipant, api, createConference, startServer, TestClient, type TestServer } from "../support/server.ts";

function stable(snapshot: Snapshot) {
  const { serverTime: _t, participants, ...rest } = snapshot;
  return { ...rest, participants: participants.map(({ online: _o, ...p }) => p) };
}

describe("authorization over the real socket", () => {
  let server: TestServer;
  const clients = new Map<Role, TestClient>();
  let commands: Record<CommandType, Record<string, unknown>>;
  let otherConference: { chairToken: string; id: string };

  beforeAll(async () => {
    server = await startServer();
    const conference = await createConference(server.url);
    const chair = await TestClient.connect(server.url, conference.chairToken);
    clients.set("chair", chair);
    for (const role of ROLES.filter((r) => r !== "chair")) {
      const added = await addParticipant(server.url, conference, { name: `P ${role}`, role, organisation: "LHH" });
      clients.set(role, await TestClient.connect(server.url, added.token));
    }
    const item = await chair.must({ type: "agenda.add", title: "Mục 1" });
    const item2 = await chair.must({ type: "agenda.add", title: "Mục 2" });
    const request = await chair.must({ type: "speakers.request", kind: "speech" });
    const draft = await chair.must({ type: "polls.create", question: "Nháp?" });
    const open = await chair.must({ type: "polls.create", question: "Mở?" });
    await chair.must({ type: "polls.open", pollId: open.id });
    const delegateId = clients.get("delegate")!.snapshot!.me.id;
    commands = {
      "conference.start": { type: "conference.start" },
      "conference.end": { type: "conference.end" },
      "conference.reopen": { type: "conference.reopen" },
      "questions.ask": { type: "questions.ask", text: "Câu hỏi?" },
      "questions.upvote": { type: "questions.upvote", questionId: "none" },
      "questions.unvote": { type: "questions.unvote", questionId: "none" },
      "questions.moderate": { type: "questions.moderate", questionId: "none", status: "approved" },
      "questions.merge": { type: "questions.merge", questionId: "none", intoId: "none2" },
      "speakers.acknowledge": { type: "speakers.acknowledge" },
      "participants.leave": { type: "participants.leave", participantId: delegateId },
      "presence.set": { type: "presence.set", attendance: "online" },
      "participants.checkIn": { type: "participants.checkIn", participantId: delegateId },
      "agenda.add": { type: "agenda.add", title: "x" },
      "agenda.update": { type: "agenda.update", itemId: item.id, title: "y" },
      "agenda.remove": { type: "agenda.remove", itemId: item2.id },
      "agenda.move": { type: "agenda.move", itemId: item2.id, toIndex: 0 },
      "agenda.start": { type: "agenda.start", itemId: item.id },
      "agenda.next": { type: "agenda.next" },
      "speakers.request": { type: "speakers.request", kind: "question", participantId: delegateId },
      "speakers.withdraw": { type: "speakers.withdraw", requestId: request.requestId },
      "speakers.remove": { type: "speakers.remove", requestId: request.requestId },
      "speakers.clear": { type: "speakers.clear" },
      "speakers.grant": { type: "speakers.grant" },
      "speakers.finish": { type: "speakers.finish" },
      "speakers.setLimit": { type: "speakers.setLimit", seconds: 60 },
      "polls.create": { type: "polls.create", question: "q" },
      "polls.delete": { type: "polls.delete", pollId: draft.id },
      "polls.open": { type: "polls.open", pollId: draft.id },
      "polls.close": { type: "polls.close", pollId: open.id },
      "polls.vote": { type: "polls.vote", pollId: open.id, optionId: "yes" },
      "polls.recordHall": { type: "polls.recordHall", pollId: open.id, counts: { yes: 0 } },
      "polls.voteFor": { type: "polls.voteFor", pollId: open.id, participantId: delegateId, optionId: "yes" },
      "participants.setProxy": { type: "participants.setProxy", participantId: delegateId, proxyId: null },
      "minutes.share": { type: "minutes.share", shared: false },
      "minutes.approve": { type: "minutes.approve" },
      "minutes.reopen": { type: "minutes.reopen" },
      "minutes.setSigner": { type: "minutes.setSigner", participantId: null },
    };
    otherConference = await createConference(server.url, { title: "Khác" });
  });

  afterAll(async () => {
    for (const client of clients.values()) client.close();
    await server.dispose();
  });

  it("refuses every command to every role that may not issue it, and changes nothing", async () => {
    const chair = clients.get("chair")!;
    const before = await chair.sync();
    let refusals = 0;
    for (const [type, roles] of Object.entries(COMMAND_ROLES) as [CommandType, readonly Role[]][]) {
      for (const role of ROLES.filter((r) => !roles.includes(r))) {
        const ack = await clients.get(role)!.command(commands[type]);
        expect(ack, `${role} ${type}`).toMatchObject({ ok: false, error: { code: "forbidden" } });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(40);
    const after = await chair.sync();
    if (before.ok && after.ok) expect(stable(after.state)).toEqual(stable(before.state));
    else expect.fail("sync failed");
  });

  it("refuses what a role may do in general but not here: someone else's request, someone else's speech", async () => {
    const chair = clients.get("chair")!;
    const delegate = clients.get("delegate")!;
    const mine = await chair.must({ type: "speakers.request", kind: "point_of_order" });
    expect(await delegate.command({ type: "speakers.withdraw", requestId: mine.requestId })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    await chair.must({ type: "speakers.grant", requestId: mine.requestId });
    expect(await delegate.command({ type: "speakers.finish" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await clients.get("secretary")!.command({ type: "speakers.request", kind: "speech" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await delegate.command({ type: "speakers.request", kind: "speech", participantId: chair.snapshot!.me.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  it("makes a token of one conference worthless in another", async () => {
    const foreignChair = await TestClient.connect(server.url, otherConference.chairToken);
    const item = await clients.get("chair")!.must({ type: "agenda.add", title: "Của hội nghị này" });
    expect(await foreignChair.command({ type: "agenda.start", itemId: item.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    foreignChair.close();
    const chairToken = otherConference.chairToken;
    const ours = clients.get("chair")!.snapshot!.conference.id;
    const added = await api(server.url, `/api/conferences/${ours}/participants`, { token: chairToken, body: { name: "x", role: "chair" } });
    expect(added.status).toBe(401);
  });
});
