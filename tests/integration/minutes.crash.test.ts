import { rm } from "node:fs/promises";
import { afterEach, expect, it } from "vitest";
import { appendParagraph, connectMinutes, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, createConference, makeDataDir } from "../support/server.ts";
import { spawnServer, type ChildServer } from "../support/spawnServer.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

it("keeps every update another client has seen through a kill -9", async () => {
  const dataDir = await makeDataDir();
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const first: ChildServer = await spawnServer(dataDir);
  cleanup.push(() => first.kill9());
  const conference = await createConference(first.url);
  const writerA = await addParticipant(first.url, conference, { name: "Thư ký A", role: "secretary" });
  const writerB = await addParticipant(first.url, conference, { name: "Thư ký B", role: "secretary" });
  const a: MinutesClient = await connectMinutes(first.url, conference.id, writerA.token);
  const b = await connectMinutes(first.url, conference.id, writerB.token);
  cleanup.push(() => a.close(), () => b.close());

  for (let i = 0; i < 40; i++) appendParagraph(a.doc, `Dòng ${i}`);
  await b.until(() => b.text().includes("Dòng 39"));
  // The moment the other client has it, the process dies without a chance to store anything.
  await first.kill9();
  const seen = b.text();
  a.provider.disconnect();
  b.provider.disconnect();

  const second = await spawnServer(dataDir);
  cleanup.push(() => second.kill9());
  const c = await connectMinutes(second.url, conference.id, writerA.token);
  cleanup.push(() => c.close());
  expect(c.text()).toBe(seen);
  expect(c.doc.getXmlFragment("minutes").length).toBe(40);
});
