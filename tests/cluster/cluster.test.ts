/**
 * Several servers, one meeting (issue 18): three server processes share PostgreSQL and Redis, and
 * the clients of one conference are spread over all three.
 */
import { describe, expect, it } from "vitest";
import { postgresUnreachable } from "../support/postgres.ts";
import { redisUnreachable } from "../support/redis.ts";
import { clusterPerTest, ownerOf, type Cluster } from "../support/cluster.ts";
import { addParticipant, api, createConference, shareMinutes, TestClient } from "../support/server.ts";
import { connectOutcome } from "../support/integration.ts";
import { appendParagraph, connectMinutes, type MinutesClient } from "../support/minutesClient.ts";
import type { WireEvent } from "../../shared/events.ts";

const unreachable = postgresUnreachable ?? redisUnreachable;

/** The seqs a client has received are consecutive from its snapshot on. */
function expectConsecutive(client: TestClient): void {
  const seqs = client.events.map((e) => e.seq);
  const start = client.snapshot!.seq;
  expect(seqs.filter((s) => s > start)).toEqual(Array.from({ length: seqs.filter((s) => s > start).length }, (_, i) => start + i + 1));
}

describe.skipIf(unreachable !== null)("three servers serving one conference", () => {
  const perTest = clusterPerTest();

  it("gives every client the same events in consecutive seq, and acks each command once, whichever server takes it", async () => {
    const cluster = await perTest.start(3);
    const [a, b, c] = cluster.servers.map((s) => s.url) as [string, string, string];
    const conference = await createConference(a);
    // Added through another server: its REST call goes to the owner.
    const secretary = await addParticipant(b, conference, { name: "Thư ký", role: "secretary" });
    const delegate = await addParticipant(c, conference, { name: "Đại biểu", role: "delegate" });
    const chair = await TestClient.connect(b, conference.chairToken);
    perTest.keep(chair);
    const onA = await TestClient.connect(a, secretary.token);
    perTest.keep(onA);
    const onC = await TestClient.connect(c, delegate.token);
    perTest.keep(onC);
    const acks = [];
    for (let i = 0; i < 10; i++) acks.push(chair.must({ type: "agenda.add", title: `Mục ${i + 1}` }));
    const seqs = (await Promise.all(acks)).map((ack) => ack.seq);
    expect(new Set(seqs).size).toBe(10);
    const last = Math.max(...seqs);
    await Promise.all([chair, onA, onC].map((client) => client.waitForSeq(last)));
    const agendaOf = (client: TestClient) => client.events.filter((e: WireEvent) => e.type === "agenda.item_added" && e.seq <= last).map((e) => e.seq);
    expect(agendaOf(onA)).toEqual(agendaOf(chair));
    expect(agendaOf(onC)).toEqual(agendaOf(chair));
    for (const client of [chair, onA, onC]) expectConsecutive(client);
    // A delegate's question from the third server, seen by all.
    const asked = await onC.must({ type: "speakers.request", kind: "speech" });
    await Promise.all([chair, onA, onC].map((client) => client.waitForSeq(asked.seq)));
    for (const client of [chair, onA, onC]) expectConsecutive(client);

    // Who is online over the three servers: every client hears it, and every server's snapshots say so.
    const online = (participants: readonly { id: string; online: boolean }[]) => participants.filter((p) => p.online).map((p) => p.id).sort();
    const everyone = [onA, onC, chair].map((client) => client.snapshot!.me.id).sort();
    for (const client of [chair, onA, onC]) {
      await client.waitFor(() => online(client.snapshot!.participants).length === 3);
      expect(online(client.snapshot!.participants)).toEqual(everyone);
      const synced = await client.sync();
      expect(synced.ok && online(synced.state.participants)).toEqual(everyone);
    }

    // Minutes typed on two servers at once converge on all three.
    await shareMinutes(b, conference);
    const second = await addParticipant(a, conference, { name: "Thư ký 2", role: "secretary" });
    const writers = [await connectMinutes(a, conference.id, secretary.token), await connectMinutes(b, conference.id, second.token)];
    const reader = await connectMinutes(c, conference.id, delegate.token, { reader: true });
    const minutesClients = perTest.keep(...writers, reader);
    for (let line = 0; line < 20; line++) writers.forEach((writer, w) => appendParagraph(writer.doc, `Thư ký ${w + 1}, dòng ${line}`));
    const complete = (m: MinutesClient) => m.plainText().includes("Thư ký 1, dòng 19") && m.plainText().includes("Thư ký 2, dòng 19");
    await Promise.all(minutesClients.map((m) => m.until(() => complete(m))));
    expect(writers[0]!.plainText()).toBe(reader.plainText());
    expect(writers[1]!.plainText()).toBe(reader.plainText());

    // A writer's cursor reaches the writer on the other server (not the reader), and goes when they leave.
    const [first, other] = writers as [MinutesClient, MinutesClient];
    const cursorOf = (client: MinutesClient) =>
      [...client.provider.awareness.getStates().entries()].find(([id, state]) => id !== client.doc.clientID && state.user?.name === "Thư ký 1");
    const seen = new Promise<void>((resolve) => {
      const check = () => cursorOf(other) && (other.provider.awareness.off("change", check), resolve());
      other.provider.awareness.on("change", check);
    });
    first.provider.awareness.setLocalStateField("user", { name: "Thư ký 1", color: "#1d4ed8" });
    await seen;
    expect(cursorOf(reader)).toBeUndefined();
    const left = new Promise<void>((resolve) => {
      const check = () => !cursorOf(other) && (other.provider.awareness.off("change", check), resolve());
      other.provider.awareness.on("change", check);
    });
    first.close();
    await left;
  });

  it("lets an idle conference go: its owner gives the lease back, and the next server asked for it takes it", { timeout: 60_000 }, async () => {
    const cluster = await perTest.start(2, { env: { IDLE_UNLOAD_MS: "300" } });
    const [a, b] = cluster.servers as [Cluster["servers"][0], Cluster["servers"][0]];
    const conference = await createConference(a.url);
    const first = await ownerOf(cluster.databaseUrl, conference.id);
    expect(first).not.toBeNull();
    // A client of the other server keeps it in use on the owner too.
    const onB = await TestClient.connect(b.url, conference.chairToken);
    perTest.keep(onB);
    await onB.must({ type: "agenda.add", title: "Khai mạc" });
    expect(await ownerOf(cluster.databaseUrl, conference.id)).toBe(first);
    onB.close();
    // Nobody connected anywhere: the lease is given back.
    await a.printed(/unloaded as idle, its lease given back/, 15_000);
    expect(await ownerOf(cluster.databaseUrl, conference.id)).toBeNull();
    const back = await TestClient.connect(b.url, conference.chairToken);
    perTest.keep(back);
    expect(back.snapshot!.agenda.map((item) => item.title)).toEqual(["Khai mạc"]);
    // Taken by the server its client came to (within a lease round, if a replica of it was still there).
    await b.printed(/owned by this server/, 5_000);
    const second = await ownerOf(cluster.databaseUrl, conference.id);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect((await back.must({ type: "agenda.add", title: "Bế mạc" })).ok).toBe(true);
  });

  it("a new link made on the owner stops the old token on every server at once; the new one works everywhere", { timeout: 60_000 }, async () => {
    const cluster = await perTest.start(2);
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const conference = await createConference(a);
    const delegate = await addParticipant(a, conference, { name: "Đại biểu", role: "delegate" });
    const onB = await TestClient.connect(b, delegate.token);
    perTest.keep(onB);
    const disconnected = new Promise((resolve) => onB.socket.once("disconnect", resolve));
    const issued = await api(a, `/api/conferences/${conference.id}/participants/${delegate.id}/token`, { method: "POST", token: conference.chairToken });
    expect(issued.status).toBe(201);
    await disconnected;
    expect(await connectOutcome(b, { token: delegate.token })).toBe("unauthorized");
    const again = await TestClient.connect(b, issued.body.token);
    perTest.keep(again);
    expect(again.snapshot!.me.id).toBe(delegate.id);
  });
});
