/**
 * The engines under a cluster go away for a while (issue 18), each test with a PostgreSQL or a
 * Redis of its own (tests/support/services.ts), so that stopping it touches no other test:
 * Redis restarts empty during a meeting; PostgreSQL stops for a few seconds.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Ack } from "../../shared/socketEvents.ts";
import { clusterPerTest, untilAnswered, type Cluster } from "../support/cluster.ts";
import { postgresUnreachable } from "../support/postgres.ts";
import { redisUnreachable } from "../support/redis.ts";
import { createConference, TestClient } from "../support/server.ts";
import { privatePostgres, privateRedis, servicesMissing } from "../support/services.ts";

const unreachable = postgresUnreachable ?? redisUnreachable ?? servicesMissing;

/** The titles of the agenda, as a fresh snapshot shows it. */
async function agendaOf(client: TestClient): Promise<string[]> {
  const synced = await client.sync();
  if (!synced.ok) throw new Error(`sync refused: ${synced.error.code}`);
  return synced.state.agenda.map((a) => a.title);
}

describe.skipIf(unreachable !== null)("outages of the engines under a cluster", () => {
  const perTest = clusterPerTest();

  it("Redis restarts, empty, during a meeting: nothing acked is lost, and fan-out and forwarding resume", { timeout: 60_000 }, async () => {
    const redis = await privateRedis();
    perTest.after(() => redis.dispose());
    const cluster = await perTest.start(2, { redisUrl: redis.url });
    const [first, second] = cluster.servers as [Cluster["servers"][0], Cluster["servers"][0]];
    const conference = await createConference(first.url);
    const onOwner = await TestClient.connect(first.url, conference.chairToken);
    const onOther = await TestClient.connect(second.url, conference.chairToken);
    perTest.keep(onOwner, onOther);
    await onOther.must({ type: "agenda.add", title: "Trước" });

    // Commands keep coming from both servers while Redis is killed and started again.
    const acks: Promise<{ title: string; ack: Ack | null; viaOwner: boolean }>[] = [];
    const send = (client: TestClient, title: string) => {
      const viaOwner = client === onOwner;
      const sent = client.command({ type: "agenda.add", title, commandId: randomUUID() });
      acks.push(sent.then((ack) => ({ title, ack, viaOwner }), () => ({ title, ack: null, viaOwner })));
    };
    for (let i = 0; i < 5; i++) send(i % 2 ? onOther : onOwner, `Trong ${i}`);
    await redis.restart();
    for (let i = 0; i < 5; i++) send(i % 2 ? onOther : onOwner, `Sau ${i}`);
    const answered = await Promise.all(acks);
    const stored = answered.filter((a) => a.ack?.ok).map((a) => a.title);
    // The owner's own clients are answered whatever Redis does; the others' commands at worst time out unapplied.
    expect(answered.filter((a) => a.viaOwner).map((a) => a.ack?.ok)).toEqual(Array(6).fill(true));

    // Fan-out resumes: a change made now reaches the other server's client as an event.
    const after = await onOwner.must({ type: "agenda.add", title: "Cuối" });
    await onOther.waitForSeq(after.seq);
    const forwardedId = randomUUID();
    const forwarded = await untilAnswered(10_000, () => onOther.command({ type: "agenda.add", title: "Chuyển tiếp", commandId: forwardedId }), (ack) => ack.ok);
    if (!forwarded.ok) throw new Error("not forwarded");
    const agenda = await agendaOf(onOwner);
    for (const title of ["Trước", ...stored, "Cuối", "Chuyển tiếp"]) expect(agenda).toContain(title);
    await onOther.waitForSeq(forwarded.seq);
    expect(await agendaOf(onOther)).toEqual(agenda);
  });

  it("PostgreSQL stops for a few seconds: commands wait or fail with unavailable, none is acked unstored, and service resumes by itself", { timeout: 90_000 }, async () => {
    const postgres = await privatePostgres();
    perTest.after(() => postgres.dispose());
    const cluster = await perTest.start(2, { databaseUrl: postgres.url });
    const [first, second] = cluster.servers as [Cluster["servers"][0], Cluster["servers"][0]];
    const conference = await createConference(first.url);
    const onOwner = await TestClient.connect(first.url, conference.chairToken);
    const onOther = await TestClient.connect(second.url, conference.chairToken);
    perTest.keep(onOwner, onOther);
    await onOwner.must({ type: "agenda.add", title: "Trước" });

    postgres.stop();
    const pending = ["Chờ 1", "Chờ 2", "Chờ 3", "Chờ 4"].map((title, i) =>
      (i % 2 ? onOther : onOwner)
        .command({ type: "agenda.add", title, commandId: randomUUID() })
        .then((ack) => ({ title, ack }), () => ({ title, ack: null as Ack | null })),
    );
    // The owner is waiting on the database: its write is failing and being retried.
    await first.printed(/write failed \(attempt 2\)/, 20_000);
    postgres.start();

    const answered = await Promise.all(pending);
    for (const { ack } of answered) {
      if (ack && !ack.ok) expect(ack.error.code).toBe("unavailable");
    }
    // Service resumes by itself, on both servers.
    const resumedId = randomUUID();
    const resumed = await untilAnswered(20_000, () => onOther.command({ type: "agenda.add", title: "Sau", commandId: resumedId }), (ack) => ack.ok);
    expect(resumed.ok).toBe(true);
    expect((await onOwner.must({ type: "agenda.add", title: "Sau nữa" })).ok).toBe(true);

    // What was acked is stored: a server started now, after both are gone, finds it in PostgreSQL.
    for (const server of cluster.servers) await server.kill9();
    const fresh = await cluster.add();
    const reader = await TestClient.connect(fresh.url, conference.chairToken);
    perTest.keep(reader);
    const agenda = await agendaOf(reader);
    for (const { title, ack } of answered) if (ack?.ok) expect(agenda).toContain(title);
    for (const title of ["Trước", "Sau", "Sau nữa"]) expect(agenda).toContain(title);
    expect(new Set(agenda).size).toBe(agenda.length);
  });
});
