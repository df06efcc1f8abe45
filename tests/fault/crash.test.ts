/**
 * Issue 8's crash: while 200 delegates vote and two secretaries type, the server is killed with
 * SIGKILL. On restart every acked vote is counted, the minutes hold every update that had reached
 * another client, and the agenda and the queue are where they were.
 */
import { rm } from "node:fs/promises";
import { afterAll, expect, it } from "vitest";
import * as Y from "yjs";
import { applyWireEvent } from "../../shared/domain/index.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { stateOfSnapshot } from "../../shared/view.ts";
import { connectMany, joinMany } from "../support/integration.ts";
import { appendParagraph, connectMinutes } from "../support/minutesClient.ts";
import { addParticipant, shareMinutes, createConference, makeDataDir, startServer, TestClient } from "../support/server.ts";
import { spawnServer } from "../support/spawnServer.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** What a client knows: its snapshot with every event it received folded in. */
function mirror(client: TestClient): ConferenceState {
  return client.events
    .filter((e) => e.seq > client.snapshot!.seq)
    .reduce(applyWireEvent, stateOfSnapshot(client.snapshot!).state);
}

it("loses nothing acked or seen when killed mid-meeting", { timeout: 120_000 }, async () => {
  const dataDir = await makeDataDir();
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await spawnServer(dataDir);
  cleanup.push(() => server.kill9());

  const conference = await createConference(server.url, { title: "Giao ban – sự cố mất điện" });
  await shareMinutes(server.url, conference);
  const chair = await TestClient.connect(server.url, conference.chairToken);
  const joined = await joinMany(server.url, conference, 200, { concurrency: 25 });
  const delegates = await connectMany(server.url, joined.map((j) => j.token), 25);
  cleanup.push(() => [chair, ...delegates].forEach((c) => c.close()));

  // The meeting is under way: the second item is active, one delegate speaks, three wait.
  for (const title of ["Khai mạc", "Đề án cụm hoạt động", "Kết luận"]) await chair.must({ type: "agenda.add", title });
  await chair.must({ type: "agenda.next" });
  await chair.must({ type: "agenda.next" });
  for (const delegate of delegates.slice(0, 4)) await delegate.must({ type: "speakers.request", kind: "speech" });
  await chair.must({ type: "speakers.grant" });
  const pollId = (await chair.must({ type: "polls.create", question: "Thành lập cụm?" })).id as string;
  const opened = await chair.must({ type: "polls.open", pollId });
  await chair.waitForSeq(opened.seq);

  // Two secretaries type; a third reader notes what reached it.
  const [first, second] = await Promise.all(
    ["Thư ký A", "Thư ký B"].map((name) => addParticipant(server.url, conference, { name, role: "secretary" })),
  );
  const writers = await Promise.all([first!, second!].map((s) => connectMinutes(server.url, conference.id, s.token)));
  const reader = await connectMinutes(server.url, conference.id, joined[0]!.token);
  cleanup.push(() => [...writers, reader].forEach((c) => c.close()));
  let typing = true;
  const typed = writers.map(async (writer, w) => {
    for (let line = 0; typing; line++) {
      appendParagraph(writer.doc, `Thư ký ${w + 1}, dòng ${line}`);
      await new Promise((resolve) => setTimeout(resolve, 5)); // a fast typist's pace

    }
  });

  // Votes stream in; the server dies once a hundred of them are acked.
  const acked: string[] = [];
  let killed: Promise<void> | null = null;
  await Promise.all(
    delegates.map(async (delegate, i) => {
      const ack = await delegate.socket
        .timeout(5000)
        .emitWithAck("command", { type: "polls.vote", pollId, optionId: ["yes", "no", "abstain"][i % 3] })
        .catch(() => null);
      if (!ack?.ok) return;
      acked.push(joined[i]!.id);
      if (acked.length === 100) killed = server.kill9();
    }),
  );
  expect(killed).not.toBeNull();
  await killed;
  typing = false;
  await Promise.all(typed);
  const seenByReader = Y.encodeStateVector(reader.doc);
  const before = mirror(chair);
  expect(reader.text()).toContain("dòng");

  // Restart on the same data directory.
  const restarted = await startServer({ dataDir });
  cleanup.push(() => restarted.stop());
  const chairAgain = await TestClient.connect(restarted.url, conference.chairToken);
  cleanup.push(() => chairAgain.close());
  const after = chairAgain.snapshot!;

  const poll = after.polls.find((p) => p.id === pollId)!;
  for (const id of acked) expect(poll.voters).toContain(`person:${id}`);
  expect(poll.votesCast).toBeGreaterThanOrEqual(acked.length);
  expect(after.agenda).toEqual(before.agenda);
  expect(after.currentItemId).toBe(before.currentItemId);
  expect(after.speakers.queue).toEqual(before.speakers.queue);
  expect(after.speakers.current).toEqual(before.speakers.current);

  // Every update the reader had received is in the restarted document.
  const check = await connectMinutes(restarted.url, conference.id, first!.token);
  cleanup.push(() => check.close());
  const stored = Y.decodeStateVector(Y.encodeStateVector(check.doc));
  for (const [client, clock] of Y.decodeStateVector(seenByReader)) {
    expect(stored.get(client) ?? 0, `updates of Yjs client ${client}`).toBeGreaterThanOrEqual(clock);
  }
  expect(check.text()).toContain("Thư ký 2, dòng");

  // And the poll closes with a tally that matches its voters.
  await chairAgain.must({ type: "polls.close", pollId });
  const closed = await chairAgain.sync();
  const tally = closed.ok ? closed.state.polls.find((p) => p.id === pollId)!.tally! : {};
  expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(poll.votesCast);
});
