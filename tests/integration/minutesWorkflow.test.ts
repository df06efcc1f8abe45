import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { YjsCloseCode } from "../../shared/errors.ts";
import { connectMinutes, roundTrip, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/**
 * v1.1 "Minutes": a draft only chairs and secretaries read unless the chair shares it; approval
 * locks the text (every update discarded, a writer told); reopening makes it a draft again.
 */
const servers: TestServer[] = [];
const open: { close(): void }[] = [];

afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.dispose();
});

async function setup() {
  const server = await startServer();
  servers.push(server);
  const conference = await createConference(server.url, { title: "Hội nghị giao ban" });
  const chair = await TestClient.connect(server.url, conference.chairToken);
  open.push(chair);
  const secretary = await addParticipant(server.url, conference, { name: "Thư ký Một", role: "secretary" });
  const delegate = await addParticipant(server.url, conference, { name: "Đại biểu", role: "delegate" });
  return { server, conference, chair, secretary, delegate };
}

/** The close code a raw websocket on the minutes gets (or "open" once the server sends its sync). */
function closeCodeOf(server: TestServer, conference: Conference, token: string): Promise<number | "open"> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/yjs/${conference.id}?token=${token}`);
    open.push({ close: () => ws.terminate() });
    ws.once("message", () => resolve("open"));
    ws.once("close", (code) => resolve(code));
  });
}

async function writer(server: TestServer, conference: Conference, token: string): Promise<MinutesClient> {
  const client = await connectMinutes(server.url, conference.id, token);
  open.push(client);
  return client;
}

function type(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("minutes").push([paragraph]);
}

describe("the minutes' workflow", () => {
  it("starts as a draft nobody but chairs and secretaries reads; sharing lets readers in, unsharing closes them", async () => {
    const { server, conference, chair, secretary, delegate } = await setup();
    expect(chair.snapshot!.minutes).toEqual({ status: "draft", shared: false, approvedAt: null, approvedBy: null, signerId: null });
    expect(await closeCodeOf(server, conference, delegate.token)).toBe(YjsCloseCode.notShared);
    expect(await closeCodeOf(server, conference, secretary.token)).toBe("open");
    const d = await TestClient.connect(server.url, delegate.token);
    open.push(d);
    expect(await d.command({ type: "minutes.share", shared: true })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const shared = await chair.must({ type: "minutes.share", shared: true });
    await d.waitForSeq(shared.seq);
    expect(d.events.find((e) => e.seq === shared.seq)).toMatchObject({ type: "minutes.shared", data: { shared: true } });
    const reader = await connectMinutes(server.url, conference.id, delegate.token, { reader: true });
    open.push(reader);
    const closed = new Promise<number>((resolve) => reader.provider.ws!.addEventListener("close", (e) => resolve((e as CloseEvent).code)));
    await chair.must({ type: "minutes.share", shared: false });
    expect(await closed).toBe(YjsCloseCode.notShared);
  });

  it("approval locks the text: no update from anyone is kept or relayed, a writer is told, approving twice is a conflict; reopen unlocks", async () => {
    const { server, conference, chair, secretary, delegate } = await setup();
    await chair.must({ type: "minutes.share", shared: true });
    const sec = await writer(server, conference, secretary.token);
    type(sec.doc, "Biên bản đã được thông qua tại hội nghị.");
    await roundTrip(sec);
    const reader = await connectMinutes(server.url, conference.id, delegate.token, { reader: true });
    open.push(reader);
    await reader.until(() => reader.plainText().includes("đã được thông qua"));

    const writerClosed = new Promise<number>((resolve) => sec.provider.ws!.addEventListener("close", (e) => resolve((e as CloseEvent).code)));
    const approved = await chair.must({ type: "minutes.approve" });
    const snapshot = (await chair.sync()) as { ok: true; state: { minutes: { status: string; approvedAt: number; approvedBy: string } } };
    expect(snapshot.state.minutes).toMatchObject({ status: "approved", approvedAt: expect.any(Number), approvedBy: chair.snapshot!.me.id });
    expect(chair.events.find((e) => e.seq === approved.seq)).toMatchObject({ type: "minutes.approved" });
    expect(await chair.command({ type: "minutes.approve" })).toMatchObject({ ok: false, error: { code: "conflict" } });
    // The secretary's connection goes, to come back read-only.
    expect(await writerClosed).toBe(YjsCloseCode.roleChanged);

    // An edit after the approval, from a secretary's fresh connection: the writer is told (4423),
    // and it is neither kept nor relayed.
    const late = await connectMinutes(server.url, conference.id, secretary.token);
    open.push(late);
    const lateClosed = new Promise<number>((resolve) => late.provider.ws!.addEventListener("close", (e) => resolve((e as CloseEvent).code)));
    late.provider.shouldConnect = false;
    type(late.doc, "Sửa sau khi thông qua.");
    expect(await lateClosed).toBe(YjsCloseCode.approved);
    const check = await connectMinutes(server.url, conference.id, secretary.token, { reader: true });
    open.push(check);
    expect(check.plainText()).toContain("đã được thông qua");
    expect(check.plainText()).not.toContain("Sửa sau khi thông qua");
    expect(reader.plainText()).not.toContain("Sửa sau khi thông qua");
    // Readers may read an approved text even unshared.
    await chair.must({ type: "minutes.share", shared: false });
    expect(await closeCodeOf(server, conference, delegate.token)).toBe("open");

    // Reopen: a draft again (unshared: readers go), writers write again.
    await chair.must({ type: "minutes.reopen" });
    expect(await chair.command({ type: "minutes.reopen" })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await closeCodeOf(server, conference, delegate.token)).toBe(YjsCloseCode.notShared);
    const again = await writer(server, conference, secretary.token);
    type(again.doc, "Bổ sung sau khi mở lại.");
    await roundTrip(again);
    const last = await connectMinutes(server.url, conference.id, conference.chairToken);
    open.push(last);
    expect(last.plainText()).toContain("Bổ sung sau khi mở lại.");
  });

  it("the chair names the secretary who signs; only a secretary", async () => {
    const { chair, secretary, delegate } = await setup();
    expect(await chair.command({ type: "minutes.setSigner", participantId: delegate.id })).toMatchObject({ ok: false, error: { code: "invalid" } });
    await chair.must({ type: "minutes.setSigner", participantId: secretary.id });
    const synced = (await chair.sync()) as { ok: true; state: { minutes: { signerId: string } } };
    expect(synced.state.minutes.signerId).toBe(secretary.id);
  });
});

describe("speaking time per organisation, as CSV", () => {
  it("lists each organisation's speeches, total and share; chairs and secretaries only", async () => {
    const { server, conference, chair, secretary, delegate } = await setup();
    const speaker = await addParticipant(server.url, conference, { name: "Người nói", role: "delegate", organisation: "Hội Điện lực" });
    const request = await chair.must({ type: "speakers.request", kind: "speech", participantId: speaker.id });
    await chair.must({ type: "speakers.grant", requestId: request.requestId as string });
    // The speech lasts at least a millisecond of the server's clock (each sync is a round trip), so it has a share.
    let synced = await chair.sync();
    const startedAt = synced.ok ? synced.state.speakers.current!.startedAt : 0;
    while (synced.ok && synced.state.serverTime <= startedAt) synced = await chair.sync();
    await chair.must({ type: "speakers.finish" });
    const response = await fetch(`${server.url}/api/conferences/${conference.id}/speaking-time.csv`, { headers: { authorization: `Bearer ${secretary.token}` } });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("Đơn vị,Số lượt,Tổng thời gian (s),Tỷ lệ (%)");
    expect(lines[1]).toMatch(/^Hội Điện lực,1,\d+,100\.0$/);
    const refused = await fetch(`${server.url}/api/conferences/${conference.id}/speaking-time.csv`, { headers: { authorization: `Bearer ${delegate.token}` } });
    expect(refused.status).toBe(403);
  });
});
