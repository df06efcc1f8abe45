/**
 * The server with `databaseUrl` (issue 18, under way): the conferences' state lives in PostgreSQL,
 * so a server started on an empty data directory finds them there.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnreachable, testSchema } from "../support/postgres.ts";
import { createConference, startServer, TestClient } from "../support/server.ts";

describe.skipIf(postgresUnreachable !== null)("a server whose conferences live in PostgreSQL", () => {
  let schema: Awaited<ReturnType<typeof testSchema>>;

  beforeAll(async () => {
    schema = await testSchema();
  });

  afterAll(async () => {
    await schema.drop();
  });

  it("keeps every acked change there: another server on an empty data directory has it", async () => {
    const first = await startServer({ databaseUrl: schema.url });
    let conferenceId: string;
    let chairToken: string;
    let lastSeq: number;
    try {
      const conference = await createConference(first.url);
      conferenceId = conference.id;
      chairToken = conference.chairToken;
      const chair = await TestClient.connect(first.url, conference.chairToken);
      for (const title of ["Khai mạc", "Báo cáo", "Bế mạc"]) await chair.must({ type: "agenda.add", title });
      lastSeq = (await chair.must({ type: "conference.start" })).seq;
      chair.close();
      // Nothing of the conference's state is in the data directory: only its minutes' directory.
      const files = await readdir(join(first.dataDir, "conferences", conferenceId), { recursive: true }).catch(() => []);
      expect(files.filter((f) => String(f).startsWith("conference.json") || String(f) === "events.log")).toEqual([]);
    } finally {
      await first.dispose();
    }
    const second = await startServer({ databaseUrl: schema.url });
    try {
      const chair = await TestClient.connect(second.url, chairToken);
      expect(chair.snapshot!.conference.id).toBe(conferenceId);
      expect(chair.snapshot!.agenda.map((a) => a.title)).toEqual(["Khai mạc", "Báo cáo", "Bế mạc"]);
      expect(chair.snapshot!.conference.status).toBe("live");
      expect(chair.snapshot!.seq).toBeGreaterThanOrEqual(lastSeq);
      const next = await chair.must({ type: "agenda.add", title: "Kết luận" });
      expect(next.seq).toBe(chair.snapshot!.seq + 1);
      chair.close();
    } finally {
      await second.dispose();
    }
  });
});
