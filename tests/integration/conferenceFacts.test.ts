import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TIME_ZONE } from "../../shared/minutes.ts";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** The conference's facts (v1.1): `PATCH /api/conferences/:id`, the snapshot, old stored data. */

let srv: TestServer;
let conf: Conference;
let chair: TestClient;
let delegate: TestClient;
let secretaryToken: string;
let delegateToken: string;

const patch = (body: unknown, token = conf.chairToken, id = conf.id) =>
  api(srv.url, `/api/conferences/${id}`, { method: "PATCH", token, body });

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Giao ban quý IV", organisation: "Liên hiệp các Hội KH&KT tỉnh" });
  chair = await TestClient.connect(srv.url, conf.chairToken);
  secretaryToken = (await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" })).token;
  delegateToken = (await addParticipant(srv.url, conf, { name: "Đại biểu", role: "delegate" })).token;
  delegate = await TestClient.connect(srv.url, delegateToken);
});
afterAll(async () => {
  chair?.close();
  delegate?.close();
  await srv.dispose();
});

describe("the conference's facts", () => {
  it("a new conference has them, defaulted: empty texts and Asia/Ho_Chi_Minh", async () => {
    expect(DEFAULT_TIME_ZONE).toBe("Asia/Ho_Chi_Minh");
    expect(chair.snapshot!.conference).toMatchObject({ parentOrganisation: "", shortName: "", city: "", timeZone: "Asia/Ho_Chi_Minh" });
    const got = await api(srv.url, `/api/conferences/${conf.id}`);
    expect(got.body).toMatchObject({ parentOrganisation: "", shortName: "", city: "", timeZone: "Asia/Ho_Chi_Minh" });
  });

  it("POST /api/conferences accepts them", async () => {
    const created = await createConference(srv.url, {
      title: "Hội nghị",
      parentOrganisation: "Liên hiệp các Hội KH&KT Việt Nam",
      shortName: "LHH",
      city: "Hà Nội",
      timeZone: "Asia/Bangkok",
    });
    const got = await api(srv.url, `/api/conferences/${created.id}`);
    expect(got.body).toMatchObject({ parentOrganisation: "Liên hiệp các Hội KH&KT Việt Nam", shortName: "LHH", city: "Hà Nội", timeZone: "Asia/Bangkok" });
    const bad = await api(srv.url, "/api/conferences", { body: { title: "x", timeZone: "Mars/Olympus" } });
    expect(bad.status).toBe(400);
  });

  it("PATCH by the chair: 200 with the conference's fields (no join code), one numbered event to everyone", async () => {
    const seq = chair.snapshot!.seq;
    const lastSeq = Math.max(seq, ...chair.events.map((e) => e.seq));
    const answer = await patch({
      parentOrganisation: "Liên hiệp các Hội KH&KT Việt Nam",
      shortName: "LHH",
      city: "Hà Nội",
      timeZone: "Asia/Ho_Chi_Minh",
      startsAt: "2021-11-15T08:30:00+07:00",
      venue: "  Hội trường A  ",
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      id: conf.id,
      title: "Giao ban quý IV",
      parentOrganisation: "Liên hiệp các Hội KH&KT Việt Nam",
      shortName: "LHH",
      city: "Hà Nội",
      venue: "Hội trường A",
      startsAt: Date.parse("2021-11-15T08:30:00+07:00"),
      timeZone: "Asia/Ho_Chi_Minh",
      status: "scheduled",
    });
    expect(answer.body).not.toHaveProperty("joinCode");
    expect(await api(srv.url, `/api/conferences/${conf.id}`)).toEqual({ status: 200, body: answer.body });

    for (const client of [chair, delegate]) {
      await client.waitFor(() => client.events.some((e) => e.type === "conference.updated"));
      const event = client.events.find((e) => e.type === "conference.updated")!;
      expect(event.seq).toBe(lastSeq + 1);
      // Only what changed: the time zone was already the default.
      expect(event.data).toEqual({
        fields: {
          parentOrganisation: "Liên hiệp các Hội KH&KT Việt Nam",
          shortName: "LHH",
          city: "Hà Nội",
          startsAt: Date.parse("2021-11-15T08:30:00+07:00"),
          venue: "Hội trường A",
        },
      });
    }
    const synced = await delegate.sync();
    expect(synced.ok && synced.state.conference).toMatchObject({ shortName: "LHH", city: "Hà Nội", venue: "Hội trường A" });
    expect(synced.ok && synced.state.conference).not.toHaveProperty("joinCode");
  });

  it("changing nothing answers 200 without an event; startsAt null clears the start", async () => {
    const before = (await chair.sync()) as { ok: true; state: { seq: number } };
    const same = await patch({ city: "Hà Nội" });
    expect(same.status).toBe(200);
    const after = (await chair.sync()) as { ok: true; state: { seq: number } };
    expect(after.state.seq).toBe(before.state.seq);
    const cleared = await patch({ startsAt: null, language: "en" });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ startsAt: null, language: "en" });
    await chair.waitFor(() => chair.events.some((e) => e.type === "conference.updated" && e.data.fields.startsAt === null));
  });

  it("a secretary or a delegate gets 403, no token 401, another conference's chair 401, an unknown conference 404", async () => {
    expect((await patch({ city: "Huế" }, secretaryToken)).status).toBe(403);
    expect((await patch({ city: "Huế" }, delegateToken)).status).toBe(403);
    expect((await api(srv.url, `/api/conferences/${conf.id}`, { method: "PATCH", body: { city: "Huế" } })).status).toBe(401);
    const other = await createConference(srv.url, { title: "Khác" });
    expect((await patch({ city: "Huế" }, other.chairToken)).status).toBe(401);
    expect((await patch({ city: "Huế" }, conf.chairToken, "no-such-conference")).status).toBe(404);
    expect((await api(srv.url, `/api/conferences/${conf.id}`)).body.city).toBe("Hà Nội");
  });

  it("refuses bad bodies with 400 invalid: an unknown time zone, an offset, an unknown field, nothing, wrong types", async () => {
    const bodies: unknown[] = [
      { timeZone: "Mars/Olympus" },
      { timeZone: "+07:00" },
      { timeZone: "" },
      { timeZone: 7 },
      { joinCode: "AAAAAAAA" },
      { status: "ended" },
      { city: "Huế", extra: 1 },
      {},
      { title: "" },
      { title: "x".repeat(201) },
      { shortName: "x".repeat(51) },
      { city: "bad\u0000byte" },
      { language: "fr" },
      { startsAt: "tomorrow" },
      [],
      null,
    ];
    for (const body of bodies) {
      const answer = await patch(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe("invalid");
    }
    expect((await api(srv.url, `/api/conferences/${conf.id}`)).body).toMatchObject({ city: "Hà Nội", timeZone: "Asia/Ho_Chi_Minh" });
  });

  it("still corrects the facts while live and after the end", async () => {
    await chair.must({ type: "conference.start" });
    expect((await patch({ title: "Giao ban quý IV năm 2021" })).status).toBe(200);
    await chair.must({ type: "conference.end" });
    const answer = await patch({ shortName: "LHHVN", timeZone: "UTC" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "ended", shortName: "LHHVN", timeZone: "UTC", title: "Giao ban quý IV năm 2021" });
    await delegate.waitFor(() => delegate.events.some((e) => e.type === "conference.updated" && e.data.fields.timeZone === "UTC"));
  });
});

describe("a conference stored before v1.1", () => {
  it("loads without the new fields: they are defaulted in the snapshot and in GET", async () => {
    const old = await startServer();
    try {
      const created = await createConference(old.url, { title: "Hội nghị cũ", organisation: "VUSTA" });
      const added = await addParticipant(old.url, created, { name: "Đại biểu", role: "delegate" });
      const first = await TestClient.connect(old.url, added.token); // checks them in
      first.close();
      await old.stop();

      // Rewrite the file as v1 stored it: no facts of v1.1, no `leftAt`.
      const file = join(old.dataDir, "conferences", created.id, "conference.json");
      const stored = JSON.parse(await readFile(file, "utf8"));
      for (const key of ["parentOrganisation", "shortName", "city", "timeZone"]) delete stored.state.conference[key];
      for (const p of stored.state.participants) delete p.leftAt;
      await writeFile(file, JSON.stringify(stored));

      const restarted = await startServer({ dataDir: old.dataDir });
      try {
        const got = await api(restarted.url, `/api/conferences/${created.id}`);
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ title: "Hội nghị cũ", parentOrganisation: "", shortName: "", city: "", timeZone: DEFAULT_TIME_ZONE });
        const client = await TestClient.connect(restarted.url, created.chairToken);
        try {
          expect(client.snapshot!.conference).toMatchObject({ parentOrganisation: "", shortName: "", city: "", timeZone: DEFAULT_TIME_ZONE });
          expect(client.snapshot!.participants.every((p) => p.leftAt === null)).toBe(true);
          // The delegate connected before: still present (the chair's own check-in follows the snapshot).
          expect(client.snapshot!.attendance).toMatchObject({ registered: 2, present: 1, voters: 2, votersPresent: 1 });
          expect((await api(restarted.url, `/api/conferences/${created.id}`, { method: "PATCH", token: created.chairToken, body: { city: "Đà Nẵng" } })).status).toBe(200);
          await client.waitFor(() => client.events.some((e) => e.type === "conference.updated"));
        } finally {
          client.close();
        }
      } finally {
        await restarted.dispose();
      }
    } finally {
      await old.dispose();
    }
  });
});
