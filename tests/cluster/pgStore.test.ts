/**
 * The PostgreSQL store against a real PostgreSQL (issue 18): migrations, a conference stored and
 * reopened through ConferenceRoom, and the fences that keep two servers from both storing batch n.
 * The file uses its own schema and drops it (tests/support/postgres.ts).
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConferenceRoom } from "../../server/conferences/ConferenceRoom.ts";
import { migrate, MIGRATIONS } from "../../server/storage/pg/migrations.ts";
import { FencedError, PgConferenceStore } from "../../server/storage/pg/PgConferenceStore.ts";
import type { WireEvent } from "../../shared/events.ts";
import { emptyConference } from "../support/domain.ts";
import { makeDataDir } from "../support/server.ts";
import { postgresUnreachable, testSchema } from "../support/postgres.ts";

describe.skipIf(postgresUnreachable !== null)("the PostgreSQL store", () => {
  const pools: pg.Pool[] = [];
  const dirs: string[] = [];
  let schema: Awaited<ReturnType<typeof testSchema>>;
  /** A pool whose connections use the test's own schema. */
  const pool = () => {
    const p = new pg.Pool({ connectionString: schema.url, max: 4 });
    pools.push(p);
    return p;
  };
  let db: pg.Pool;

  beforeAll(async () => {
    schema = await testSchema();
    db = pool();
  });

  afterAll(async () => {
    for (const p of pools) await p.end();
    await schema.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("applies each numbered migration once, however many servers start together", async () => {
    const results = await Promise.all([migrate(pool()), migrate(pool()), migrate(pool())]);
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(await migrate(db)).toEqual([]);
    const versions = await db.query("select version from schema_migrations order by version");
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it("keeps a conference through ConferenceRoom: snapshot, log, and a reopen that folds the log", async () => {
    await migrate(db);
    const dir = await makeDataDir();
    dirs.push(dir);
    const broadcasts: WireEvent[][] = [];
    const created = await ConferenceRoom.create(dir, emptyConference(), (_r, events) => broadcasts.push(events), new PgConferenceStore(db, emptyConference().conference.id));
    const id = created.id;
    const chairAck = await created.addParticipant({ name: "Chủ trì", role: "chair", attendance: "hall", via: "chair" }, "hash-chair");
    if (!chairAck.ok) throw new Error("no chair");
    const chair = { participantId: chairAck.id as string, role: "chair" as const };
    const acks = await Promise.all(Array.from({ length: 30 }, (_, i) => created.execute({ type: "agenda.add", title: `Mục ${i + 1}` }, chair)));
    expect(acks.every((a) => a.ok)).toBe(true);
    await created.settled();
    const rows = await db.query("select n from conference_log where conference_id = $1 order by n", [id]);
    expect(rows.rowCount).toBeGreaterThan(0);
    expect(rows.rows.map((r) => Number(r.n))).toEqual(rows.rows.map((_, i) => i));

    const reopened = await ConferenceRoom.open(dir, () => undefined, new PgConferenceStore(db, id));
    expect(reopened!.published).toEqual(created.published);
    expect(reopened!.tokenHashes().get(chair.participantId)).toBe("hash-chair");
    // It goes on numbering where the first left off.
    const next = await reopened!.execute({ type: "agenda.add", title: "Sau khi mở lại" }, chair);
    expect(next).toMatchObject({ ok: true, seq: created.published.seq + 1 });
  });

  it("refuses a second store of batch n, and an append or snapshot of a superseded epoch", async () => {
    await migrate(db);
    const id = `fence-${randomBytes(4).toString("hex")}`;
    const state = emptyConference();
    const first = new PgConferenceStore(db, id);
    await first.write({ version: 1, state, tokenHashes: {} });
    const second = new PgConferenceStore(db, id);
    await second.load();
    await first.append({ events: [] });
    await expect(second.append({ events: [] })).rejects.toBeInstanceOf(FencedError);
    // A new owner takes the lease: the old epoch stores nothing more.
    await db.query("update conferences set epoch = epoch + 1 where id = $1", [id]);
    const stale = new PgConferenceStore(db, id, 0);
    await stale.load();
    await expect(stale.append({ events: [] })).rejects.toBeInstanceOf(FencedError);
    await expect(stale.write({ version: 1, state, tokenHashes: {} })).rejects.toBeInstanceOf(FencedError);
    const owner = new PgConferenceStore(db, id, 1);
    await owner.load();
    await owner.append({ events: [] });
    const stored = await db.query("select n, epoch from conference_log where conference_id = $1 order by n", [id]);
    expect(stored.rows.map((r) => [Number(r.n), Number(r.epoch)])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("a snapshot empties the log of what it holds, in one transaction", async () => {
    await migrate(db);
    const id = `snap-${randomBytes(4).toString("hex")}`;
    const state = emptyConference();
    const store = new PgConferenceStore(db, id);
    await store.write({ version: 1, state, tokenHashes: {} });
    for (let i = 0; i < 3; i++) await store.append({ events: [] });
    expect(store.logRecords).toBe(3);
    await store.write({ version: 1, state: { ...state, seq: 0 }, tokenHashes: { p: "h" } });
    expect(store.logRecords).toBe(0);
    expect((await db.query("select count(*)::int as n from conference_log where conference_id = $1", [id])).rows[0].n).toBe(0);
    const loaded = await new PgConferenceStore(db, id).load();
    expect(loaded!.file.logNext).toBe(3);
    expect(loaded!.file.tokenHashes).toEqual({ p: "h" });
    expect(loaded!.tail).toEqual([]);
  });
});
