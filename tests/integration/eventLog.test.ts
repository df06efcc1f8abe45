import { appendFile, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Role } from "../../shared/roles.ts";
import { ConferenceRoom } from "../../server/conferences/ConferenceRoom.ts";
import { CONFERENCE_FILE, CONFERENCE_LOG } from "../../server/storage/FileConferenceStore.ts";
import { emptyConference } from "../support/domain.ts";
import { makeDataDir } from "../support/server.ts";

/**
 * The conference's store (issue 17): an append-only log of batches beside a snapshot. Bytes
 * written per vote must not grow with the conference; what was acked survives a torn tail and a
 * crash between a snapshot and the emptying of the log.
 */
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function room(people: number) {
  const dir = await makeDataDir();
  dirs.push(dir);
  const r = await ConferenceRoom.create(dir, emptyConference(), () => undefined);
  const add = (name: string, role: Role) => r.addParticipant({ name, role, attendance: "hall", via: "chair", organisation: `Hội ${name.length % 40}` }, `hash-${name}`);
  const chairAck = await add("chair", "chair");
  const chair = { participantId: chairAck.ok ? (chairAck.id as string) : "", role: "chair" as const };
  const acks = await Promise.all(Array.from({ length: people }, (_, i) => add(`Đại biểu số ${i}`, "delegate")));
  const delegates = acks.map((a) => ({ participantId: a.ok ? (a.id as string) : "", role: "delegate" as const }));
  return { dir, room: r, chair, delegates };
}

const logSize = async (dir: string) => (await stat(join(dir, CONFERENCE_LOG)).catch(() => ({ size: 0 }))).size;

/** Bytes the log grows by per vote, over `votes` votes cast one after another. */
async function bytesPerVote(people: number, votes: number, secret: boolean): Promise<number> {
  const { dir, room: r, chair, delegates } = await room(people);
  const created = await r.execute({ type: "polls.create", question: "Thông qua?", base: "registered", secret }, chair);
  const pollId = (created as unknown as { id: string }).id;
  await r.execute({ type: "polls.open", pollId }, chair);
  const before = await logSize(dir);
  // One after another: each vote is its own write (a secret poll's waits for its batch of 5).
  const pending: Promise<unknown>[] = [];
  for (const voter of delegates.slice(0, votes)) {
    const ack = r.execute({ type: "polls.vote", pollId, optionId: "yes" }, voter);
    if (secret) pending.push(ack);
    else await ack;
  }
  await r.execute({ type: "polls.close", pollId }, chair);
  await Promise.all(pending);
  return ((await logSize(dir)) - before) / votes;
}

describe("the conference's log", () => {
  it("writes about the same bytes per vote in a conference of 50 and of 2,000", async () => {
    const small = await bytesPerVote(50, 40, false);
    const large = await bytesPerVote(2_000, 40, false);
    console.info(`bytes written per vote: ${small.toFixed(0)} with 50 participants, ${large.toFixed(0)} with 2,000`);
    expect(large).toBeLessThan(small * 1.3);
    expect(large).toBeLessThan(1_000);
  });

  it("stores a secret poll's votes as voter keys and summed counts only", async () => {
    const { dir, room: r, chair, delegates } = await room(12);
    const created = await r.execute({ type: "polls.create", question: "Kín?", base: "registered", secret: true }, chair);
    const pollId = (created as unknown as { id: string }).id;
    await r.execute({ type: "polls.open", pollId }, chair);
    // The last pooled votes are stored with the close: their acks come then.
    const votes = delegates.slice(0, 10).map((d, i) => r.execute({ type: "polls.vote", pollId, optionId: i % 2 ? "yes" : "no" }, d));
    await r.execute({ type: "polls.close", pollId }, chair);
    expect((await Promise.all(votes)).every((a) => a.ok)).toBe(true);
    const log = (await readFile(join(dir, CONFERENCE_LOG))).toString("utf8");
    expect(log).not.toMatch(/"voterKey":"[^"]+","(participantId|optionId)"/);
    expect(log).toContain('"counts"');
    const reopened = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(reopened.published.polls[0]).toMatchObject({ status: "closed", tally: { yes: 5, no: 5, abstain: 0 }, votesCast: 10 });
  });

  it("restarts from the snapshot and the log, cutting off a torn tail", async () => {
    const { dir, room: r, chair } = await room(3);
    for (let i = 0; i < 20; i++) await r.execute({ type: "agenda.add", title: `Mục ${i}` }, chair);
    const seq = r.published.seq;
    await appendFile(join(dir, CONFERENCE_LOG), Buffer.from([0x40, 0, 0, 0, 1, 2, 3])); // a torn record
    const reopened = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(reopened.published.seq).toBe(seq);
    expect(reopened.published.agenda).toHaveLength(20);
    // It appends after the cut, and a second restart reads everything.
    await reopened.execute({ type: "agenda.add", title: "Mục sau" }, chair);
    const again = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(again.published.agenda.map((i) => i.title).at(-1)).toBe("Mục sau");
    expect(again.published.seq).toBe(seq + 1);
  });

  it("writes a snapshot when a token is revoked, so the old hash leaves the disk; records the snapshot holds are skipped", async () => {
    const { dir, room: r, delegates, chair } = await room(3);
    await r.execute({ type: "agenda.add", title: "Một" }, chair);
    const logBefore = await readFile(join(dir, CONFERENCE_LOG));
    expect(logBefore.length).toBeGreaterThan(0);
    const staged = r.administer({ type: "participants.reissueToken", participantId: delegates[0]!.participantId }, "hash-new");
    if (!staged.ok) throw new Error("refused");
    await staged.stored;
    expect(await logSize(dir)).toBe(0);
    const files = (await readFile(join(dir, CONFERENCE_FILE), "utf8")) + (await readFile(join(dir, CONFERENCE_LOG), "utf8"));
    expect(files).toContain("hash-new");
    expect(files).not.toContain("hash-Đại biểu số 0");
    // A crash between the snapshot and the emptying of the log: the old records come back, and are skipped.
    await writeFile(join(dir, CONFERENCE_LOG), logBefore);
    const reopened = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(reopened.published.agenda).toHaveLength(1);
    expect(reopened.published.seq).toBe(r.published.seq);
    expect(reopened.tokenHashes().get(delegates[0]!.participantId)).toBe("hash-new");
  });
});
