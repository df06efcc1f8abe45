/**
 * Limits hold across servers (issue 18): wrong join codes, commands and connections are counted in
 * one budget in Redis, whichever server of the cluster a client reaches, not once per process.
 */
import { describe, expect, it } from "vitest";
import { clusterPerTest } from "../support/cluster.ts";
import { connectOutcome } from "../support/integration.ts";
import { postgresUnreachable } from "../support/postgres.ts";
import { redisUnreachable } from "../support/redis.ts";
import { api, createConference, TestClient } from "../support/server.ts";

const unreachable = postgresUnreachable ?? redisUnreachable;

describe.skipIf(unreachable !== null)("limits over a cluster", () => {
  const perTest = clusterPerTest();

  it("counts wrong join codes, commands and connections once over both servers", { timeout: 60_000 }, async () => {
    const limits = {
      joinFailureBurst: 4,
      joinFailurePerSecond: 0.001,
      commandBurst: 6,
      commandsPerSecond: 0.001,
      connectionsPerToken: 3,
    };
    const cluster = await perTest.start(2, { env: { LIMITS: JSON.stringify(limits) } });
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const conference = await createConference(a);

    // Four wrong codes from this address over both servers (one of them passed on to the owner) use the budget up.
    const wrong = (url: string, i: number) =>
      i % 2 ? api(url, `/api/conferences/${conference.id}/join`, { body: { name: "Khách", organisation: "Liên hiệp hội", attendance: "hall", joinCode: "SAI00000" } }) : api(url, "/api/join-codes", { body: { joinCode: "SAI00000" } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await wrong(i % 2 ? b : a, i)).status);
    expect(statuses).toEqual([403, 403, 403, 403]);
    expect((await wrong(b, 1)).status).toBe(429);
    expect((await wrong(a, 0)).status).toBe(429);
    // The right code still works.
    expect((await api(b, `/api/conferences/${conference.id}/join`, { body: { name: "Đại biểu", organisation: "Liên hiệp hội", attendance: "hall", joinCode: conference.joinCode } })).status).toBe(201);

    // Three connections of one token in all: two here, one there; the fourth is refused on either.
    const clients: TestClient[] = [];
    for (const url of [a, a, b]) clients.push(...perTest.keep(await TestClient.connect(url, conference.chairToken)));
    expect(await connectOutcome(b, { token: conference.chairToken })).toBe("rate_limited");
    expect(await connectOutcome(a, { token: conference.chairToken })).toBe("rate_limited");

    // Six commands of one participant in all, from connections to both servers.
    const [first, , third] = clients as [TestClient, TestClient, TestClient];
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push((await (i % 2 ? third : first).command({ type: "agenda.add", title: `Mục ${i}` })).ok);
    expect(sent).toEqual(Array(6).fill(true));
    const refused = await third.command({ type: "agenda.add", title: "Một mục nữa" });
    expect(refused.ok ? null : refused.error.code).toBe("rate_limited");
    const alsoRefused = await first.command({ type: "agenda.add", title: "Một mục nữa" });
    expect(alsoRefused.ok ? null : alsoRefused.error.code).toBe("rate_limited");
  });
});
