import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { Ack } from "../../shared/socketEvents.ts";
import { connectMany, joinMany } from "../support/integration.ts";
import { createConference, makeDataDir, startServer, TestClient } from "../support/server.ts";
import { spawnServer } from "../support/spawnServer.ts";

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

describe("kill -9", () => {
  it("every change acked before the crash is there after a restart", async () => {
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const { child, url, exited, kill9 } = await spawnServer(dataDir);
    cleanup.push(kill9);

    const conf = await createConference(url, { title: "Sập nguồn" });
    const chair = await TestClient.connect(url, conf.chairToken);
    const joined = await joinMany(url, conf, 60, { concurrency: 20 });
    const delegates = await connectMany(url, joined.map((j) => j.token), 20);
    const pollIds: string[] = [];
    for (let k = 0; k < 4; k++) {
      const id = (await chair.must({ type: "polls.create", question: `Poll ${k}` })).id as string;
      await chair.must({ type: "polls.open", pollId: id });
      pollIds.push(id);
    }

    // A stream of commands from many sockets; kill the server once enough acks have come back.
    const ackedItems: string[] = [];
    const ackedPolls: string[] = [];
    const ackedVotes: { pollId: string; participantId: string }[] = [];
    const ackedSeqs: number[] = [];
    let killed = false;
    const KILL_AFTER = 250;
    const note = (ack: Ack | null, onOk: (ack: Extract<Ack, { ok: true }>) => void) => {
      if (!ack?.ok) return;
      onOk(ack);
      ackedSeqs.push(ack.seq);
      if (!killed && ackedSeqs.length >= KILL_AFTER) {
        killed = true;
        child.kill("SIGKILL");
      }
    };
    const send = (client: TestClient, command: Record<string, unknown>) =>
      client.socket.connected ? client.socket.timeout(3000).emitWithAck("command", command).catch(() => null) : Promise.resolve(null);

    const chairStream = (async () => {
      for (let i = 0; i < 180 && !killed; i++) {
        await Promise.all([
          send(chair, { type: "agenda.add", title: `Mục ${i}` }).then((ack) => note(ack, (a) => ackedItems.push(a.id as string))),
          send(chair, { type: "polls.create", question: `Q ${i}` }).then((ack) => note(ack, (a) => ackedPolls.push(a.id as string))),
        ]);
      }
    })();
    const voteStreams = delegates.map(async (d, i) => {
      for (const pollId of pollIds) {
        if (killed) return;
        const ack = await send(d, { type: "polls.vote", pollId, optionId: ["yes", "no", "abstain"][i % 3] });
        note(ack, () => ackedVotes.push({ pollId, participantId: joined[i]!.id }));
      }
    });
    await Promise.all([chairStream, ...voteStreams]);
    expect(killed).toBe(true);
    expect(await exited).toBe("SIGKILL");
    for (const client of [chair, ...delegates]) client.close();
    expect(ackedItems.length + ackedPolls.length).toBeGreaterThan(0);
    expect(ackedVotes.length).toBeGreaterThan(0);

    // the events the chair saw were broadcast after storing, so they survived too
    const seenSeq = Math.max(...chair.events.map((e) => e.seq));

    const srv = await startServer({ dataDir });
    cleanup.push(() => srv.stop());
    const again = await TestClient.connect(srv.url, conf.chairToken);
    const s = again.snapshot!;
    expect(s.seq).toBeGreaterThanOrEqual(Math.max(...ackedSeqs));
    expect(s.seq).toBeGreaterThanOrEqual(seenSeq);
    const items = new Set(s.agenda.map((i) => i.id));
    for (const id of ackedItems) expect(items.has(id), `agenda item ${id}`).toBe(true);
    const polls = new Map(s.polls.map((p) => [p.id, p]));
    for (const id of ackedPolls) expect(polls.has(id), `poll ${id}`).toBe(true);
    for (const vote of ackedVotes) {
      expect(polls.get(vote.pollId)!.voters, `vote of ${vote.participantId}`).toContain(`person:${vote.participantId}`);
    }
    // the stored state is consistent: a vote's count matches its voters once the polls close
    for (const pollId of pollIds) {
      const closed = await again.must({ type: "polls.close", pollId });
      expect(closed.seq).toBeGreaterThan(s.seq);
    }
    const after = await again.sync();
    for (const pollId of pollIds) {
      const poll = after.ok ? after.state.polls.find((p) => p.id === pollId)! : undefined;
      const total = Object.values(poll!.tally!).reduce((sum, n) => sum + n, 0);
      expect(total).toBe(poll!.votesCast);
      expect(poll!.votesCast).toBe(poll!.voters.length);
    }
    // old tokens still work after the crash
    const d = await TestClient.connect(srv.url, joined[0]!.token);
    expect(d.snapshot!.me.id).toBe(joined[0]!.id);
    d.close();
    again.close();
  });
});
