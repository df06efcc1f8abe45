import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { YjsCloseCode } from "../../shared/errors.ts";
import { speechesOn } from "../../shared/minutesFacts.ts";
import { connectOutcome } from "../support/integration.ts";
import { connectMinutes, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, shareMinutes, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

let srv: TestServer;
const clients: TestClient[] = [];
const minutes: MinutesClient[] = [];

async function client(token: string): Promise<TestClient> {
  const c = await TestClient.connect(srv.url, token);
  clients.push(c);
  return c;
}

async function minutesOf(conference: Conference, token: string): Promise<MinutesClient> {
  const m = await connectMinutes(srv.url, conference.id, token);
  minutes.push(m);
  return m;
}

/** Resolves with the reason once the server disconnects this socket. */
function disconnected(c: TestClient): Promise<string> {
  return new Promise((resolve) => c.socket.once("disconnect", (reason) => resolve(reason)));
}

/** Resolves with the close code of the minutes connection's next close. */
function minutesClosed(m: MinutesClient): Promise<number> {
  return new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      m.provider.off("connection-close", onClose);
      m.provider.shouldConnect = false; // no reconnecting: the test looks at one close
      resolve(event?.code ?? -1);
    };
    m.provider.on("connection-close", onClose);
  });
}

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

const participantPath = (conference: Conference, id: string) => `/api/conferences/${conference.id}/participants/${id}`;

beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const m of minutes) m.close();
  await srv.dispose();
});

describe("POST …/participants/:participantId/token", () => {
  it("gives a new link; the old token stops working on REST, Socket.IO and the minutes, at once", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const sec = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
    const chair = await client(conf.chairToken);
    const old = await client(sec.token);
    const oldMinutes = await minutesOf(conf, sec.token);
    const gone = disconnected(old);
    const closed = minutesClosed(oldMinutes);

    const { status, body } = await api(srv.url, `${participantPath(conf, sec.id)}/token`, { method: "POST", token: conf.chairToken });
    expect(status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(["token", "url"]);
    expect(body.token).not.toBe(sec.token);
    expect(body.url).toBe(`${srv.url}/c/${conf.id}#t=${body.token}`);

    expect(await gone).toBe("io server disconnect");
    expect(await closed).toBe(YjsCloseCode.unauthorized);
    expect(await connectOutcome(srv.url, { token: sec.token })).toBe("unauthorized");
    const docx = await api(srv.url, `/api/conferences/${conf.id}/minutes.docx`, { token: sec.token });
    expect(docx.status).toBe(401);

    // The new one works everywhere, with the same participant.
    const fresh = await client(body.token);
    expect(fresh.snapshot!.me.id).toBe(sec.id);
    expect((await fresh.command({ type: "agenda.add", title: "Mục mới" })).ok).toBe(true);
    const again = await minutesOf(conf, body.token);
    expect(again.provider.wsconnected).toBe(true);

    // No hash or token travels to anyone: the re-issue has no event at all.
    const seen = JSON.stringify([chair.snapshot, chair.events, fresh.snapshot, fresh.events]);
    expect(seen).not.toContain(sha256(body.token));
    expect(seen).not.toContain(sha256(sec.token));
    expect(seen).not.toContain(body.token);
    expect(chair.events.map((e) => e.type)).not.toContain("participant.updated");
    // The file holds the new hash and not the old one, before the answer came.
    const file = await readFile(join(srv.dataDir, "conferences", conf.id, "conference.json"), "utf8");
    expect(file).toContain(sha256(body.token));
    expect(file).not.toContain(sha256(sec.token));
    expect(file).not.toContain(body.token);
  });

  it("recovers the chair's own lost link", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const chair = await client(conf.chairToken);
    const chairId = chair.snapshot!.me.id;
    const gone = disconnected(chair);
    const { status, body } = await api(srv.url, `${participantPath(conf, chairId)}/token`, { method: "POST", token: conf.chairToken });
    expect(status).toBe(201);
    expect(await gone).toBe("io server disconnect");
    expect((await api(srv.url, `/api/conferences/${conf.id}/participants`, { token: conf.chairToken, body: { name: "A", role: "delegate" } })).status).toBe(401);
    const added = await api(srv.url, `/api/conferences/${conf.id}/participants`, { token: body.token, body: { name: "A", role: "delegate" } });
    expect(added.status).toBe(201);
    const back = await client(body.token);
    expect(back.snapshot!.me).toMatchObject({ id: chairId, role: "chair" });
  });

  it("of two re-issues at once, exactly one token works in the end", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Đại biểu", role: "delegate" });
    const answers = await Promise.all(
      [1, 2, 3].map(() => api(srv.url, `${participantPath(conf, del.id)}/token`, { method: "POST", token: conf.chairToken })),
    );
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const issued = answers.filter((a) => a.status === 201).map((a) => a.body.token as string);
    expect(issued.length).toBeGreaterThan(0);
    const outcomes = await Promise.all([del.token, ...issued].map((token) => connectOutcome(srv.url, { token })));
    expect(outcomes.filter((o) => o === "connected")).toHaveLength(1);
    expect(outcomes[0]).toBe("unauthorized");
  });

  it("is for chairs only, for members only", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Đại biểu", role: "delegate" });
    const sec = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
    expect((await api(srv.url, `${participantPath(conf, del.id)}/token`, { token: sec.token, body: {} })).status).toBe(403);
    expect((await api(srv.url, `${participantPath(conf, del.id)}/token`, { token: del.token, body: {} })).status).toBe(403);
    expect((await api(srv.url, `${participantPath(conf, del.id)}/token`, { body: {} })).status).toBe(401);
    const unknown = await api(srv.url, `${participantPath(conf, "nobody")}/token`, { token: conf.chairToken, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    // The delegate's token still works: nothing was changed by the refusals.
    expect(await connectOutcome(srv.url, { token: del.token })).toBe("connected");
  });
});

describe("after a restart on the same data directory", () => {
  it("the re-issued token works and the old one does not; a removed participant stays out", async () => {
    const own = await startServer();
    let restarted: TestServer | null = null;
    try {
      const conf = await createConference(own.url);
      await shareMinutes(own.url, conf);
      const del = await addParticipant(own.url, conf, { name: "Đại biểu", role: "delegate" });
      const gone = await addParticipant(own.url, conf, { name: "Người rời", role: "delegate" });
      const issued = await api(own.url, `${participantPath(conf, del.id)}/token`, { method: "POST", token: conf.chairToken });
      expect(issued.status).toBe(201);
      expect((await api(own.url, participantPath(conf, gone.id), { method: "DELETE", token: conf.chairToken })).status).toBe(204);
      await own.stop();

      restarted = await startServer({ dataDir: own.dataDir });
      expect(await connectOutcome(restarted.url, { token: issued.body.token })).toBe("connected");
      expect(await connectOutcome(restarted.url, { token: del.token })).toBe("unauthorized");
      expect(await connectOutcome(restarted.url, { token: gone.token })).toBe("unauthorized");
      expect((await api(restarted.url, `/api/conferences/${conf.id}/minutes.docx`, { token: del.token })).status).toBe(401);
      const chair = await TestClient.connect(restarted.url, conf.chairToken);
      try {
        const removed = chair.snapshot!.participants.find((p) => p.id === gone.id)!;
        expect(removed.removedAt).toEqual(expect.any(Number));
      } finally {
        chair.close();
      }
    } finally {
      await restarted?.stop();
      await own.dispose();
    }
  });
});

describe("DELETE …/participants/:participantId", () => {
  it("removes them: token dead at once, sockets and minutes closed, speech ended, requests gone, name kept", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Nguyễn Văn Bị Xoá", role: "delegate", organisation: "LHH Hà Nội" });
    const other = await addParticipant(srv.url, conf, { name: "Trần Thị Ở Lại", role: "delegate" });
    const chair = await client(conf.chairToken);
    const them = await client(del.token);
    const stays = await client(other.token);
    const theirMinutes = await minutesOf(conf, del.token);

    // They speak once (history), then hold the floor with a second request and wait with a third.
    await chair.must({ type: "agenda.add", title: "Báo cáo" });
    const first = await them.must({ type: "speakers.request", kind: "speech" });
    await chair.must({ type: "speakers.grant", requestId: first.requestId });
    await chair.must({ type: "speakers.finish" });
    const second = await them.must({ type: "speakers.request", kind: "speech" });
    await chair.must({ type: "speakers.grant", requestId: second.requestId });
    const question = await them.must({ type: "speakers.request", kind: "question" });
    const point = await them.must({ type: "speakers.request", kind: "point_of_order" });
    const kept = await stays.must({ type: "speakers.request", kind: "speech" });
    const before = (await chair.sync()) as Extract<Awaited<ReturnType<TestClient["sync"]>>, { ok: true }>;
    expect(before.state.speakers.current?.participantId).toBe(del.id);
    expect(before.state.speakers.queue.map((r) => r.requestId)).toEqual([point.requestId, question.requestId, kept.requestId]);

    const gone = disconnected(them);
    const closed = minutesClosed(theirMinutes);
    const seqBefore = before.state.seq;
    const removed = await api(srv.url, participantPath(conf, del.id), { method: "DELETE", token: conf.chairToken });
    expect(removed.status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    expect(await closed).toBe(YjsCloseCode.unauthorized);
    expect(await connectOutcome(srv.url, { token: del.token })).toBe("unauthorized");
    expect((await api(srv.url, `/api/conferences/${conf.id}/minutes.docx`, { token: del.token })).status).toBe(401);

    // The events: the speech ends, their requests leave the queue, then they are marked removed.
    await chair.waitFor(() => chair.events.some((e) => e.type === "participant.removed"));
    const caused = chair.events.filter((e) => e.seq > seqBefore);
    expect(caused.map((e) => e.type)).toEqual(["speakers.finished", "speakers.request_dropped", "speakers.request_dropped", "participant.removed"]);
    expect(caused.map((e) => e.seq)).toEqual([seqBefore + 1, seqBefore + 2, seqBefore + 3, seqBefore + 4]);

    // Every client folds them like the server; the snapshot keeps them with `removedAt`, their name in the history.
    await stays.waitForSeq(seqBefore + 4);
    const after = await chair.sync();
    if (!after.ok) throw new Error("sync refused");
    const { state } = after;
    expect(state.speakers.current).toBeNull();
    expect(state.speakers.queue.map((r) => r.requestId)).toEqual([kept.requestId]);
    const history = state.speakers.history.filter((s) => s.participantId === del.id);
    expect(history.map((s) => s.requestId)).toEqual([first.requestId, second.requestId]);
    const record = state.participants.find((p) => p.id === del.id)!;
    expect(record).toMatchObject({ name: "Nguyễn Văn Bị Xoá", organisation: "LHH Hà Nội", removedAt: expect.any(Number) });

    // What they said stays in the minutes' records under their name; the export still works.
    const itemId = state.agenda[0]!.id;
    expect(speechesOn(state, null).concat(speechesOn(state, itemId)).map((s) => s.speaker?.name)).toEqual(["Nguyễn Văn Bị Xoá", "Nguyễn Văn Bị Xoá"]);
    const docx = await fetch(`${srv.url}/api/conferences/${conf.id}/minutes.docx`, { headers: { authorization: `Bearer ${conf.chairToken}` } });
    expect(docx.status).toBe(200);

    // Nobody can act for them: no request on their behalf, no check-in, no second removal, no change.
    const onBehalf = await chair.command({ type: "speakers.request", kind: "speech", participantId: del.id });
    expect(onBehalf.ok ? null : onBehalf.error.code).toBe("not_found");
    const checkIn = await chair.command({ type: "participants.checkIn", participantId: del.id });
    expect(checkIn.ok ? null : checkIn.error.code).toBe("not_found");
    expect((await api(srv.url, participantPath(conf, del.id), { method: "DELETE", token: conf.chairToken })).status).toBe(404);
    expect((await api(srv.url, participantPath(conf, del.id), { method: "PATCH", token: conf.chairToken, body: { name: "X" } })).status).toBe(404);
    expect((await api(srv.url, `${participantPath(conf, del.id)}/token`, { method: "POST", token: conf.chairToken })).status).toBe(404);

    // A poll opened now does not count them.
    const poll = await chair.must({ type: "polls.create", question: "Thông qua?" });
    await chair.must({ type: "polls.open", pollId: poll.id });
    const opened = await chair.sync();
    if (!opened.ok) throw new Error("sync refused");
    const eligible = opened.state.polls.find((p) => p.id === poll.id)!.eligibleKeys;
    expect(eligible).not.toContain(`person:${del.id}`);
    expect(eligible).toContain(`person:${other.id}`);
  });

  it("a chair may remove another chair, and themselves unless they are the last (409)", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const chair = await client(conf.chairToken);
    const chairId = chair.snapshot!.me.id;
    const last = await api(srv.url, participantPath(conf, chairId), { method: "DELETE", token: conf.chairToken });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("conflict");

    const second = await addParticipant(srv.url, conf, { name: "Phó chủ trì", role: "chair" });
    const gone = disconnected(chair);
    expect((await api(srv.url, participantPath(conf, chairId), { method: "DELETE", token: conf.chairToken })).status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    // Now the second chair is the last one.
    const lastAgain = await api(srv.url, participantPath(conf, second.id), { method: "DELETE", token: second.token });
    expect(lastAgain.status).toBe(409);
    expect((await api(srv.url, participantPath(conf, second.id), { method: "PATCH", token: second.token, body: { role: "delegate" } })).status).toBe(409);
  });

  it("is for chairs only; unknown participants are 404", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Đại biểu", role: "delegate" });
    const sec = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
    expect((await api(srv.url, participantPath(conf, sec.id), { method: "DELETE", token: sec.token })).status).toBe(403);
    expect((await api(srv.url, participantPath(conf, sec.id), { method: "DELETE", token: del.token })).status).toBe(403);
    expect((await api(srv.url, participantPath(conf, sec.id), { method: "DELETE" })).status).toBe(401);
    const other = await createConference(srv.url);
    expect((await api(srv.url, participantPath(conf, sec.id), { method: "DELETE", token: other.chairToken })).status).toBe(401);
    expect((await api(srv.url, participantPath(conf, "nobody"), { method: "DELETE", token: conf.chairToken })).status).toBe(404);
    expect((await api(srv.url, `/api/conferences/nope/participants/${sec.id}`, { method: "DELETE", token: conf.chairToken })).status).toBe(404);
    expect(await connectOutcome(srv.url, { token: sec.token })).toBe("connected");
  });
});

describe("PATCH …/participants/:participantId", () => {
  it("changes name, attendance and role; broadcasts only what changed; answers the participant", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Le Van A", role: "delegate", organisation: "LHH Huế" });
    const chair = await client(conf.chairToken);
    const them = await client(del.token);

    const renamed = await api(srv.url, participantPath(conf, del.id), {
      method: "PATCH",
      token: conf.chairToken,
      body: { name: "  Lê Văn A  ", attendance: "online" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: del.id, name: "Lê Văn A", attendance: "online", role: "delegate", organisation: "LHH Huế" });
    expect(renamed.body).not.toHaveProperty("online");
    await them.waitFor(() => them.events.some((e) => e.type === "participant.updated"));
    const event = them.events.find((e) => e.type === "participant.updated")!;
    expect(event.data).toEqual({ participantId: del.id, fields: { name: "Lê Văn A", attendance: "online" } });
    expect(them.socket.connected).toBe(true); // a new name needs no reconnect

    // The same values again change nothing: no event, the same answer.
    const seq = (await chair.sync()) as { ok: true; state: { seq: number } };
    const same = await api(srv.url, participantPath(conf, del.id), { method: "PATCH", token: conf.chairToken, body: { name: "Lê Văn A" } });
    expect(same.status).toBe(200);
    const after = (await chair.sync()) as { ok: true; state: { seq: number } };
    expect(after.state.seq).toBe(seq.state.seq);

    // A new role: their sockets and minutes connection are let go and reconnect with the new role's view.
    const theirMinutes = await minutesOf(conf, del.token);
    const gone = disconnected(them);
    const closed = minutesClosed(theirMinutes);
    const promoted = await api(srv.url, participantPath(conf, del.id), { method: "PATCH", token: conf.chairToken, body: { role: "secretary" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("secretary");
    expect(await gone).toBe("io server disconnect");
    expect(await closed).toBe(YjsCloseCode.roleChanged);
    await chair.waitFor(() => chair.events.some((e) => e.type === "participant.updated" && e.data.fields.role === "secretary"));
    const back = await client(del.token);
    expect(back.snapshot!.me).toMatchObject({ role: "secretary", voting: false });
    expect(back.snapshot!.conference.joinCode).toBe(conf.joinCode); // secretaries see the join code
    const vote = await back.command({ type: "speakers.request", kind: "speech" });
    expect(vote.ok ? null : vote.error.code).toBe("forbidden"); // a secretary does not ask for the floor for themselves
    expect((await back.command({ type: "agenda.add", title: "Thư ký thêm" })).ok).toBe(true);
    // REST follows the role too: a secretary may export the minutes.
    expect((await api(srv.url, `/api/conferences/${conf.id}/minutes.docx`, { token: del.token })).status).toBe(200);
  });

  it("a chair may be demoted while another chair remains; the last chair may not (409)", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const chair = await client(conf.chairToken);
    const chairId = chair.snapshot!.me.id;
    const demote = await api(srv.url, participantPath(conf, chairId), { method: "PATCH", token: conf.chairToken, body: { role: "delegate" } });
    expect(demote.status).toBe(409);
    // Renaming the last chair is fine.
    expect((await api(srv.url, participantPath(conf, chairId), { method: "PATCH", token: conf.chairToken, body: { name: "Chủ tọa" } })).status).toBe(200);
    const second = await addParticipant(srv.url, conf, { name: "Phó", role: "chair" });
    const gone = disconnected(chair);
    const ok = await api(srv.url, participantPath(conf, chairId), { method: "PATCH", token: second.token, body: { role: "delegate" } });
    expect(ok.status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    // The old chair's token now carries the delegate role.
    expect((await api(srv.url, participantPath(conf, second.id), { method: "PATCH", token: conf.chairToken, body: { name: "X" } })).status).toBe(403);
  });

  it("refuses bad bodies (400), other roles (403), unknown participants (404)", async () => {
    const conf = await createConference(srv.url);
    await shareMinutes(srv.url, conf);
    const del = await addParticipant(srv.url, conf, { name: "Đại biểu", role: "delegate" });
    const path = participantPath(conf, del.id);
    for (const body of [
      {},
      { name: "" },
      { name: "a\u0000b" },
      { name: "x".repeat(121) },
      { role: "king" },
      { attendance: "moon" },
      { organisationId: "o1" },
      { representative: true },
      { organisation: "LHH" },
      { name: "A", extra: 1 },
      [],
      "name",
    ]) {
      const answer = await api(srv.url, path, { method: "PATCH", token: conf.chairToken, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe("invalid");
    }
    const malformed = await api(srv.url, path, { method: "PATCH", token: conf.chairToken, rawBody: "{" });
    expect(malformed.status).toBe(400);
    expect((await api(srv.url, path, { method: "PATCH", token: del.token, body: { name: "Tôi" } })).status).toBe(403);
    expect((await api(srv.url, path, { method: "PATCH", body: { name: "Tôi" } })).status).toBe(401);
    expect((await api(srv.url, participantPath(conf, "nobody"), { method: "PATCH", token: conf.chairToken, body: { name: "A" } })).status).toBe(404);
  });
});
