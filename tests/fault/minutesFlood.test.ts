/**
 * Issue 12, items 4 and 5, on the minutes' websocket: a client that never reads, a writer that
 * floods, and more connections than a hall ever opens. Each against the real server in its own
 * process (its memory measured from /proc), with bounded loops; afterwards the server must still
 * serve everyone else.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type WebSocket from "ws";
import * as Y from "yjs";
import { MINUTES_LIMITS, LIMITS } from "../../shared/limits.ts";
import { YjsCloseCode } from "../../shared/errors.ts";
import { MINUTES_SNAPSHOT } from "../../server/minutes/sync/MinutesStore.ts";
import { encodeRecord } from "../../server/storage/recordLog.ts";
import { appendParagraph, connectMinutes, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, shareMinutes, createConference, makeDataDir, startServer } from "../support/server.ts";
import { spawnServer } from "../support/spawnServer.ts";
import { keystrokes, openRaw, probeHealth, rssOf, syncStep1, syncTypeOf, syncUpdate, upgradeAnswer, watchRss, cleanupAfterEach, spawnFresh } from "./minutesWire.ts";

const MiB = 1024 * 1024;
const cleanup = cleanupAfterEach();

/** A server process with a conference, two secretaries, a chair's token and three delegates. */
async function hall() {
  const server = await spawnFresh(cleanup);
  const conference = await createConference(server.url, { title: "Giao ban – quá tải biên bản" });
  await shareMinutes(server.url, conference);
  const add = (name: string, role: string) => addParticipant(server.url, conference, { name, role });
  const [secretaryA, secretaryB, delegateA, delegateB, delegateC] = await Promise.all([
    add("Thư ký A", "secretary"),
    add("Thư ký B", "secretary"),
    add("Đại biểu A", "delegate"),
    add("Đại biểu B", "delegate"),
    add("Đại biểu C", "delegate"),
  ]);
  const connect = async (token: string, reader = false) => {
    const client = await connectMinutes(server.url, conference.id, token, { reader });
    cleanup(() => client.close());
    return client;
  };
  return { server, pid: server.child.pid!, conference, secretaryA: secretaryA!, secretaryB: secretaryB!, delegateA: delegateA!, delegateB: delegateB!, delegateC: delegateC!, connect };
}

/** Another writer's line reaches a reader: the minutes still work for everyone else. */
async function stillServes(writer: MinutesClient, reader: MinutesClient, line: string): Promise<void> {
  appendParagraph(writer.doc, line);
  await reader.until(() => reader.plainText().includes(line));
}

/** Pastes about `bytes` of minutes as one update (one long paragraph per 100 characters). */
function paste(client: MinutesClient, bytes: number, label: string): void {
  client.doc.transact(() => {
    for (let i = 0; i * 100 < bytes; i++) appendParagraph(client.doc, `${label} ${i}: ${"nội dung biên bản hội nghị ".repeat(3)}`.slice(0, 100));
  });
}

describe("a client that does not read", () => {
  it("asking 2,000 times for a 700 KB document costs little memory, and is cut off", { timeout: 60_000 }, async () => {
    const { server, pid, conference, secretaryA, delegateA, delegateB, connect } = await hall();
    const writer = await connect(secretaryA.token);
    paste(writer, 700_000, "Dòng");
    const reader = await connect(delegateB.token, true);
    await reader.until(() => reader.plainText().includes("Dòng 6999"));
    const documentBytes = Y.encodeStateAsUpdate(reader.doc).length;
    expect(documentBytes).toBeGreaterThan(680_000);

    const before = rssOf(pid);
    const peak = watchRss(pid);
    const hog = await openRaw(server.url, conference.id, delegateA.token);
    hog.ws.pause(); // reads nothing from here on: TCP fills, then the server's buffers would
    for (let i = 0; i < 2000; i++) hog.send(syncStep1());

    // Everyone else is served meanwhile.
    await stillServes(writer, reader, "Sau khi đại biểu hỏi 2.000 lần.");
    expect((await probeHealth(server.url, () => true))[0]).toBeLessThan(1000);

    // Once it reads again it finds the socket closed, after a handful of answers at most.
    hog.ws.resume();
    const code = await hog.closed;
    expect([YjsCloseCode.rateLimited, 1006]).toContain(code);
    const answers = hog.received.filter((m) => syncTypeOf(m) === 1).length;
    expect(answers).toBeLessThan(10);
    // 2,000 answers would be 1.4 GB; the old server grew by 700 MB and kept it.
    expect(peak.stop() - before).toBeLessThan(96 * MiB);
    await stillServes(writer, reader, "Vẫn phục vụ.");
  });

  it("gets no more copies of the document while it has not read the last ones", { timeout: 60_000 }, async () => {
    const { server, conference, secretaryA, secretaryB, delegateB, connect } = await hall();
    const writer = await connect(secretaryA.token);
    paste(writer, 700_000, "Dòng");
    const reader = await connect(delegateB.token, true);
    await reader.until(() => reader.plainText().includes("Dòng 6999"));

    // A writer's allowance covers 400 requests: only the buffer bound stops the answers.
    const slow = await openRaw(server.url, conference.id, secretaryB.token);
    slow.ws.pause();
    const asks = Math.floor(MINUTES_LIMITS.writerBurst * 0.8);
    for (let i = 0; i < asks; i++) slow.send(syncStep1());
    await stillServes(writer, reader, "Trong lúc thư ký B không đọc.");
    slow.ws.resume();
    // The server's pong follows everything it had queued before: once here, all answers are in.
    await new Promise<void>((resolve) => {
      slow.ws.once("pong", () => resolve());
      slow.ws.ping();
    });
    const answersOf = () => slow.received.filter((m) => syncTypeOf(m) === 1).length;
    const answered = answersOf();
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(20);
    // Now that it has read them, it is answered again.
    slow.send(syncStep1(Y.encodeStateVector(reader.doc)));
    await slow.until(() => answersOf() > answered, "the answer to a request once it reads");
    expect(slow.ws.readyState).toBe(slow.ws.OPEN);
  });

  it("is closed once its unsent queue passes the hard bound, while others read on", { timeout: 90_000 }, async () => {
    // Minutes of 16 MB, stored: one answer to its request is twice the hard bound.
    const dataDir = await makeDataDir();
    cleanup(() => rm(dataDir, { recursive: true, force: true }));
    const first = await startServer({ dataDir });
    const conference = await createConference(first.url);
    await shareMinutes(first.url, conference);
    const secretary = await addParticipant(first.url, conference, { name: "Thư ký", role: "secretary" });
    const delegates = await Promise.all([0, 1].map((i) => addParticipant(first.url, conference, { name: `Đại biểu ${i}`, role: "delegate" })));
    await first.stop();
    const source = new Y.Doc();
    appendParagraph(source, "x".repeat(16 * MiB));
    await writeFile(join(dataDir, "conferences", conference.id, MINUTES_SNAPSHOT), encodeRecord(Y.encodeStateAsUpdate(source)));
    const server = await spawnServer(dataDir);
    cleanup(() => server.kill9());

    const hog = await openRaw(server.url, conference.id, delegates[0]!.token);
    hog.ws.pause();
    hog.send(syncStep1());
    const writer = await connectMinutes(server.url, conference.id, secretary.token);
    const reader = await connectMinutes(server.url, conference.id, delegates[1]!.token, { reader: true });
    cleanup(() => writer.close());
    cleanup(() => reader.close());
    // The next thing sent to it finds more than 8 MiB waiting: it is closed, the others read on.
    await stillServes(writer, reader, "Một dòng mới.");
    await stillServes(writer, reader, "Và một dòng nữa.");
    hog.ws.resume();
    const code = await hog.closed;
    expect([YjsCloseCode.tooSlow, 1006]).toContain(code);
    // What it got is what was queued before the bound was passed: the answer, not the lines after.
    expect(hog.receivedBytes()).toBeLessThan(16 * MiB + 1024);
    expect(hog.received.some((m) => new TextDecoder().decode(m).includes("Một dòng mới."))).toBe(false);
    await stillServes(writer, reader, "Sau khi đóng kết nối chậm.");
  });
});

describe("a writer that floods", () => {
  it("60,000 keystrokes at once: closed, and nobody else stalls", { timeout: 90_000 }, async () => {
    const { server, pid, conference, secretaryA, secretaryB, delegateB, connect } = await hall();
    const writer = await connect(secretaryB.token);
    const reader = await connect(delegateB.token, true);
    const { updates, typed } = keystrokes(60_000);
    const messages = updates.map(syncUpdate);

    const before = rssOf(pid);
    const peak = watchRss(pid);
    const flooder = await openRaw(server.url, conference.id, secretaryA.token);
    let flooding = true;
    const health = probeHealth(server.url, () => !flooding);
    // As fast as it can, in chunks so that this process still measures the server's answers.
    for (let i = 0; i < messages.length; i += 2_000) {
      for (const message of messages.slice(i, i + 2_000)) flooder.send(message);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const code = await flooder.closed;
    expect(code).toBe(YjsCloseCode.rateLimited);
    // Another writer's edit still reaches a reader, and /api/health never stalled.
    await stillServes(writer, reader, "Thư ký B vẫn ghi được.");
    flooding = false;
    const times = await health;
    expect(Math.max(...times)).toBeLessThan(1000);
    expect(peak.stop() - before).toBeLessThan(96 * MiB);

    // What was taken is a clean prefix of what was typed: nothing half applied.
    const fresh = await connect(delegateB.token, true);
    const stored = fresh.plainText().split("\n").find((line) => line.length > 0 && typed.startsWith(line)) ?? "";
    expect(stored.length).toBeGreaterThan(100);
    expect(stored.length).toBeLessThan(typed.length);
  });

  it("a burst past the allowance is dropped, then asked for again: nothing is lost", { timeout: 60_000 }, async () => {
    const { secretaryA, delegateB, connect } = await hall();
    const writer = await connect(secretaryA.token);
    const reader = await connect(delegateB.token, true);
    // Past the burst but under the tolerance: dropped, not closed.
    const count = Math.floor(MINUTES_LIMITS.writerBurst * 1.5);
    const fragment = writer.doc.getXmlFragment("minutes");
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    for (let i = 0; i < count; i++) text.insert(text.length, "x");
    await reader.until(() => reader.plainText() === "x".repeat(count));
    expect(writer.provider.wsconnected).toBe(true);
  });
});

describe("connections per token and per address", () => {
  it(`refuses the ${LIMITS.connectionsPerToken + 1}th connection of one token with 429 and a JSON body`, { timeout: 30_000 }, async () => {
    const { server, conference, delegateA, delegateB, connect } = await hall();
    const path = `/yjs/${conference.id}?token=${delegateA.token}`;
    const open: WebSocket[] = [];
    for (let i = 0; i < LIMITS.connectionsPerToken; i++) {
      const answer = await upgradeAnswer(server.url, path);
      expect(answer.status).toBe(101);
      open.push(answer.ws!);
    }
    cleanup(() => open.forEach((ws) => ws.terminate()));
    const refused = await upgradeAnswer(server.url, path);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "rate_limited" } });
    // Another delegate is not affected.
    const other = await connect(delegateB.token, true);
    expect(other.provider.wsconnected).toBe(true);
    // Once one closes, the token may connect again.
    const closing = open.pop()!;
    await new Promise<void>((resolve) => {
      closing.once("close", () => resolve());
      closing.close();
    });
    let again = await upgradeAnswer(server.url, path);
    for (let attempt = 0; again.status === 429 && attempt < 100; attempt++) again = await upgradeAnswer(server.url, path);
    expect(again.status).toBe(101);
    again.ws!.terminate();
  });

  it("refuses connections past the cap per address", { timeout: 30_000 }, async () => {
    const server = await startServer({ limits: { connectionsPerAddress: 5 } });
    cleanup(() => server.dispose());
    const conference = await createConference(server.url);
    await shareMinutes(server.url, conference);
    const tokens = await Promise.all([0, 1, 2].map((i) => addParticipant(server.url, conference, { name: `Đại biểu ${i}`, role: "delegate" })));
    const open: WebSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await upgradeAnswer(server.url, `/yjs/${conference.id}?token=${tokens[i % 3]!.token}`);
      expect(answer.status).toBe(101);
      open.push(answer.ws!);
    }
    cleanup(() => open.forEach((ws) => ws.terminate()));
    const refused = await upgradeAnswer(server.url, `/yjs/${conference.id}?token=${tokens[2]!.token}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "rate_limited" } });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
