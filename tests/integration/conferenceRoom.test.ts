import { presentEvent } from "../../shared/view.ts";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { WireEvent } from "../../shared/events.ts";
import type { Ack } from "../../shared/socketEvents.ts";
import type { Role } from "../../shared/roles.ts";
import { ConferenceRoom } from "../../server/conferences/ConferenceRoom.ts";
import { emptyConference } from "../support/domain.ts";
import { makeDataDir } from "../support/server.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A room on disk with a chair and `delegates` delegates; answers it with every broadcast it made. */
async function room(delegates: number) {
  const dir = await makeDataDir();
  dirs.push(dir);
  const broadcasts: WireEvent[][] = [];
  const r = await ConferenceRoom.create(dir, emptyConference(), (_room, events) => broadcasts.push(events));
  const add = (name: string, role: Role) => r.addParticipant({ name, role, attendance: "hall", via: "chair" }, `hash-${name}`);
  const chairAck = await add("chair", "chair");
  const chair = { participantId: chairAck.ok ? (chairAck.id as string) : "", role: "chair" as const };
  const acks = await Promise.all(Array.from({ length: delegates }, (_, i) => add(`d${i}`, "delegate")));
  const people = acks.map((a) => ({ participantId: a.ok ? (a.id as string) : "", role: "delegate" as const }));
  return { dir, room: r, chair, people, broadcasts };
}

describe("ConferenceRoom group commit", () => {
  it("stores a burst in a handful of writes, numbers events without gaps, acks with the seq of the event", async () => {
    const { dir, room: r, chair, broadcasts } = await room(0);
    const writesBefore = r.stats.writes;
    const seqBefore = r.published.seq;
    const acks = await Promise.all(Array.from({ length: 150 }, (_, i) => r.execute({ type: "agenda.add", title: `Mục ${i}` }, chair)));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(r.stats.writes - writesBefore).toBeLessThanOrEqual(2);
    // The room hands on its events as stored; what leaves the server is presented at the edge.
    const events = broadcasts.flat().filter((e) => e.seq > seqBefore).map((e) => presentEvent(e, "chair"));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => seqBefore + 1 + i));
    for (const ack of acks) {
      const event = events.find((e) => e.seq === (ack as { seq: number }).seq)!;
      expect(event.type === "agenda.item_added" && event.data.item.id).toBe((ack as unknown as { id: string }).id);
    }
    // What is stored, loaded as a restart would: the snapshot with the log's batches folded in.
    const reopened = (await ConferenceRoom.open(dir, () => undefined))!;
    expect(reopened.published.seq).toBe(r.published.seq);
    expect(reopened.published.agenda).toHaveLength(150);
  });

  it("sends the votes of one write as one event per poll, even when they interleave across polls", async () => {
    const { room: r, chair, people, broadcasts } = await room(30);
    const polls: string[] = [];
    for (let k = 0; k < 3; k++) {
      const created = await r.execute({ type: "polls.create", question: `P${k}`, base: "registered" }, chair);
      polls.push((created as unknown as { id: string }).id);
      await r.execute({ type: "polls.open", pollId: polls[k]! }, chair);
    }
    const seqBefore = r.published.seq;
    // each delegate votes in the three polls in turn: the arrivals interleave polls
    const pending: Promise<Ack>[] = [];
    for (const person of people) for (const pollId of polls) pending.push(r.execute({ type: "polls.vote", pollId, optionId: "yes" }, person));
    // a change to something else between the votes keeps its place in the order
    pending.push(r.execute({ type: "agenda.add", title: "giữa chừng" }, chair));
    for (const person of people.slice(0, 5)) pending.push(r.execute({ type: "speakers.request", kind: "speech" }, person));
    const acks = await Promise.all(pending);
    expect(acks.every((a) => a.ok)).toBe(true);
    const events = broadcasts.flat().filter((e) => e.seq > seqBefore).map((e) => presentEvent(e, "chair"));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => seqBefore + 1 + i));
    const voteEvents = events.filter((e) => e.type === "poll.votes_cast");
    expect(voteEvents.length).toBeLessThanOrEqual(polls.length * 2);
    const agendaIndex = events.findIndex((e) => e.type === "agenda.item_added");
    // the votes sent before the agenda change come before it; none of them after
    const votesAfterAgenda = events.slice(agendaIndex).filter((e) => e.type === "poll.votes_cast");
    expect(votesAfterAgenda).toEqual([]);
    for (const pollId of polls) {
      const ballots = voteEvents.flatMap((e) => (e.type === "poll.votes_cast" && e.data.pollId === pollId ? e.data.ballots : []));
      expect(ballots).toHaveLength(people.length);
      expect(new Set(ballots.map((b) => b.voterKey)).size).toBe(people.length);
      for (const b of ballots) expect(b).not.toHaveProperty("optionId");
    }
    // each vote's ack points at or after the event that carries it
    acks.slice(0, people.length * polls.length).forEach((ack, i) => {
      const person = people[Math.floor(i / polls.length)]!;
      const pollId = polls[i % polls.length]!;
      const carrier = voteEvents.find(
        (e) => e.type === "poll.votes_cast" && e.data.pollId === pollId && e.data.ballots.some((b) => b.voterKey === `person:${person.participantId}`),
      )!;
      expect((ack as { seq: number }).seq).toBeGreaterThanOrEqual(carrier.seq);
    });
    const state = r.published;
    for (const pollId of polls) expect(state.polls.find((p) => p.id === pollId)!.votesCast).toBe(people.length);
  });
});

describe("ConferenceRoom token changes", () => {
  it("tells its listener of a token change stored in the same batch as check-ins (a turnout window's)", async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const told: Record<string, string | null>[] = [];
    const r = await ConferenceRoom.create(dir, emptyConference(), (_room, _events, tokenHashes) => {
      if (tokenHashes) told.push(tokenHashes);
    });
    const added = await Promise.all(["a", "b"].map((name) => r.addParticipant({ name, role: "delegate", attendance: "hall", via: "chair" }, `hash-${name}`)));
    const [a, b] = added.map((ack) => (ack.ok ? (ack.id as string) : ""));
    told.length = 0;
    // In one turn: a's check-in opens a turnout window; b's new link is no event, in the same batch.
    const arrived = r.recordArrival(a!);
    const reissued = r.administer({ type: "participants.reissueToken", participantId: b! }, "hash-b-new");
    expect(reissued.ok).toBe(true);
    await Promise.all([arrived, reissued.ok && reissued.stored]);
    expect(told).toContainEqual({ [b!]: "hash-b-new" });
  });
});
