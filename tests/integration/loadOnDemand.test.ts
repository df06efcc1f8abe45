/**
 * Conferences load on demand and unload when idle (issue 18): a server started on a data
 * directory of many past meetings holds none of them in memory; a token, a join code or a REST
 * call opens the one it names; once nobody is connected and nobody has asked for it for a while,
 * it leaves memory again, with everything stored.
 */
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { appendParagraph, connectMinutes } from "../support/minutesClient.ts";
import { api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.dispose();
});

/** Resolves when the registry unloads this conference (call it while the conference is loaded). */
function unloaded(registry: TestServer["server"]["registry"], conferenceId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = registry.subscribeUnloaded((id) => {
      if (id !== conferenceId) return;
      stop();
      resolve();
    });
  });
}

it("keeps no past meeting in memory, opens the one a token names, and unloads it once idle", { timeout: 60_000 }, async () => {
  const first = await startServer();
  const conferences: Conference[] = [];
  for (let i = 0; i < 30; i++) conferences.push(await createConference(first.url, { title: `Giao ban kỳ ${i + 1}` }));
  const chair = await TestClient.connect(first.url, conferences[7]!.chairToken);
  const added = await chair.must({ type: "agenda.add", title: "Báo cáo tổng kết" });
  chair.close();
  await first.stop();

  const server = await startServer({ dataDir: first.dataDir, idleUnloadMs: 300 });
  servers.push(server);
  const { registry } = server.server;
  expect([...registry.all()]).toEqual([]);

  // A token opens its conference, and only that one.
  const again = await TestClient.connect(server.url, conferences[7]!.chairToken);
  clients.push(again);
  expect(again.snapshot!.agenda.map((a) => a.title)).toEqual(["Báo cáo tổng kết"]);
  expect(again.snapshot!.seq).toBeGreaterThanOrEqual(added.seq);
  expect([...registry.all()].map((c) => c.id)).toEqual([conferences[7]!.id]);

  // A join code opens its conference too, and so does a REST call.
  const code = await api(server.url, "/api/join-codes", { body: { joinCode: conferences[3]!.joinCode } });
  expect(code.body).toEqual({ conferenceId: conferences[3]!.id });
  const shown = await api(server.url, `/api/conferences/${conferences[12]!.id}`);
  expect(shown.status).toBe(200);
  expect(shown.body.title).toBe("Giao ban kỳ 13");
  expect(registry.view(conferences[12]!.id)).toBeDefined();

  // Nobody connected to the REST-opened one: it goes; the connected one stays.
  await unloaded(registry, conferences[12]!.id);
  expect(registry.view(conferences[12]!.id)).toBeUndefined();
  expect(registry.view(conferences[7]!.id)).toBeDefined();

  // Once its last client leaves (the minutes' too), it goes, with what it decided and what was typed stored.
  const last = await again.must({ type: "agenda.add", title: "Kết luận" });
  const writer = await connectMinutes(server.url, conferences[7]!.id, conferences[7]!.chairToken);
  appendParagraph(writer.doc, "Biên bản kỳ 8");
  const [serverSide] = [...server.server.io.sockets.sockets.values()];
  const disconnected = new Promise((resolve) => serverSide!.once("disconnect", resolve));
  again.close();
  await disconnected;
  // A sweep that would take anything idle, however recently used, keeps it while its minutes are open.
  expect(await registry.unloadIdle(0)).not.toContain(conferences[7]!.id);
  expect(registry.view(conferences[7]!.id)).toBeDefined();
  const gone = unloaded(registry, conferences[7]!.id);
  writer.close();
  await gone;
  expect(registry.view(conferences[7]!.id)).toBeUndefined();
  const back = await TestClient.connect(server.url, conferences[7]!.chairToken);
  clients.push(back);
  expect(back.snapshot!.agenda.map((a) => a.title)).toEqual(["Báo cáo tổng kết", "Kết luận"]);
  expect(back.snapshot!.seq).toBeGreaterThanOrEqual(last.seq);
  const reader = await connectMinutes(server.url, conferences[7]!.id, conferences[7]!.chairToken);
  expect(reader.plainText()).toContain("Biên bản kỳ 8");
  reader.close();
  // A token of no conference is still refused, and loads nothing.
  const unknown = await api(server.url, `/api/conferences/nosuchconference`);
  expect(unknown.status).toBe(404);
  // An id is never a path: nothing outside the conferences' directory is opened, not even a
  // conference's file put just above it.
  await copyFile(join(server.dataDir, "conferences", conferences[7]!.id, "conference.json"), join(server.dataDir, "conference.json"));
  for (const hostile of ["%2E%2E", "%2E%2E%2Fconferences%2F" + conferences[7]!.id, "..%2F..%2F..%2Fetc", "a".repeat(5000)]) {
    const answer = await api(server.url, `/api/conferences/${hostile}`);
    expect(answer.status, hostile.slice(0, 20)).toBe(404);
  }
  expect([...registry.all()].map((c) => c.id).sort()).toEqual([conferences[7]!.id]);
});
