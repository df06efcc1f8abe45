import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { labelsFor } from "../../server/minutes/export/labels.ts";
import { acceptsFromClient, classifyMessage, sendsToClient } from "../../server/minutes/sync/messages.ts";
import { MINUTES_LOG, MINUTES_SNAPSHOT, MinutesStore } from "../../server/minutes/sync/MinutesStore.ts";
import { exportFileName } from "../../server/minutes/export/officialMinutes.ts";
import { datePartsOf, dateTimeWords, officialFrame, placeDate, placeOf } from "../../shared/officialMinutes.ts";
import { attendanceOf } from "../../shared/minutesFacts.ts";
import { blocksToText, proseMirrorToBlocks, type PmNode } from "../../server/minutes/export/proseMirror.ts";
import { decodeRecords, encodeRecord, encodeRecords } from "../../server/storage/recordLog.ts";
import type { Participant, Poll } from "../../shared/state.ts";
import { conference, motion } from "../support/fixtures.ts";

describe("the read-only filter", () => {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "x");
  const message = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    write(encoder);
    return encoding.toUint8Array(encoder);
  };
  const step1 = message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, doc)));
  const step2 = message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, doc)));
  const update = message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))));
  const awareness = message((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(new awarenessProtocol.Awareness(doc), [doc.clientID]));
  });

  it("tells the message types apart", () => {
    expect(classifyMessage(step1)).toBe("sync-step1");
    expect(classifyMessage(step2)).toBe("sync-step2");
    expect(classifyMessage(update)).toBe("sync-update");
    expect(classifyMessage(awareness)).toBe("awareness");
    expect(classifyMessage(new Uint8Array([3]))).toBe("other");
    expect(classifyMessage(new Uint8Array([0]))).toBe("malformed");
    expect(classifyMessage(new Uint8Array([]))).toBe("malformed");
  });

  it("lets readers only ask for the document", () => {
    for (const kind of ["sync-step2", "sync-update", "awareness", "other", "malformed"] as const) {
      expect(acceptsFromClient(kind, false)).toBe(false);
    }
    expect(acceptsFromClient("sync-step1", false)).toBe(true);
    for (const kind of ["sync-step1", "sync-step2", "sync-update", "awareness"] as const) {
      expect(acceptsFromClient(kind, true)).toBe(true);
    }
    expect(acceptsFromClient("malformed", true)).toBe(false);
  });

  it("sends readers the document but no cursors", () => {
    expect(sendsToClient("sync-update", false)).toBe(true);
    expect(sendsToClient("sync-step2", false)).toBe(true);
    expect(sendsToClient("awareness", false)).toBe(false);
    expect(sendsToClient("awareness", true)).toBe(true);
  });
});

describe("the update log's records", () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([4, 5, 6, 7, 8]);

  it("round-trips", () => {
    const decoded = decodeRecords(encodeRecords([a, b]));
    expect(decoded.updates).toEqual([a, b]);
    expect(decoded.torn).toBe(false);
    expect(decoded.validBytes).toBe(8 + 3 + 8 + 5);
  });

  it("stops at a torn last record, whatever its length", () => {
    const whole = encodeRecords([a, b]);
    for (let cut = 0; cut < encodeRecord(b).length; cut++) {
      const data = whole.subarray(0, encodeRecord(a).length + cut);
      const decoded = decodeRecords(data);
      expect(decoded.updates).toEqual([a]);
      expect(decoded.validBytes).toBe(encodeRecord(a).length);
      expect(decoded.torn).toBe(cut > 0);
    }
  });

  it("stops at zeros and at a damaged checksum", () => {
    expect(decodeRecords(Buffer.concat([encodeRecord(a), Buffer.alloc(64)])).updates).toEqual([a]);
    const damaged = encodeRecords([a, b]);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    expect(decodeRecords(damaged)).toMatchObject({ updates: [a], torn: true });
  });

  it("refuses to record an empty update", () => {
    expect(() => encodeRecord(new Uint8Array())).toThrow();
  });
});

describe("MinutesStore", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "giaoban-minutes-"));
    dirs.push(dir);
    return dir;
  };
  const write = (doc: Y.Doc, text: string) => {
    const paragraph = new Y.XmlElement("paragraph");
    const content = new Y.XmlText();
    content.insert(0, text);
    paragraph.insert(0, [content]);
    const fragment = doc.getXmlFragment("minutes");
    fragment.insert(fragment.length, [paragraph]);
  };
  const read = (store: MinutesStore) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, store.readState());
    return doc.getXmlFragment("minutes").toString();
  };

  it("logs each update and loads them back", async () => {
    const dir = await tempDir();
    const store = new MinutesStore(dir);
    const doc = new Y.Doc();
    store.attach(doc);
    write(doc, "một");
    write(doc, "hai");
    await store.flush();
    expect(store.logRecords).toBe(2);
    await store.close();
    const again = new MinutesStore(dir);
    const loaded = new Y.Doc();
    again.attach(loaded);
    expect(loaded.getXmlFragment("minutes").toString()).toBe(doc.getXmlFragment("minutes").toString());
    await again.close();
  });

  it("runs afterDurable callbacks in order, once the updates before them are on disk", async () => {
    const dir = await tempDir();
    const store = new MinutesStore(dir);
    const doc = new Y.Doc();
    store.attach(doc);
    const seen: string[] = [];
    write(doc, "một");
    store.afterDurable(() => seen.push(`first:${read(new MinutesStore(dir)).includes("một")}`));
    store.afterDurable(() => seen.push("second"));
    write(doc, "hai");
    store.afterDurable(() => seen.push(`third:${read(new MinutesStore(dir)).includes("hai")}`));
    await store.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["first:true", "second", "third:true"]);
    await store.close();
  });

  it("compacts into a snapshot when the log grows, and on the last client leaving", async () => {
    const dir = await tempDir();
    const store = new MinutesStore(dir, { maxRecords: 5, maxBytes: 1 << 20 });
    const doc = new Y.Doc();
    store.attach(doc);
    for (let i = 0; i < 12; i++) {
      write(doc, `dòng ${i}`);
      await store.flush();
    }
    expect(store.stats.compactions).toBeGreaterThanOrEqual(2);
    expect(store.logRecords).toBeLessThan(5);
    await store.detach(doc);
    expect((await stat(join(dir, MINUTES_LOG))).size).toBe(0);
    expect((await stat(join(dir, MINUTES_SNAPSHOT))).size).toBeGreaterThan(0);
    const loaded = new Y.Doc();
    const again = new MinutesStore(dir);
    again.attach(loaded);
    expect(loaded.getXmlFragment("minutes").toString()).toBe(doc.getXmlFragment("minutes").toString());
    await again.close();
  });

  it("cuts a torn tail before appending, so later records stay readable", async () => {
    const dir = await tempDir();
    const store = new MinutesStore(dir);
    const doc = new Y.Doc();
    store.attach(doc);
    write(doc, "trước");
    await store.close();
    await appendFile(join(dir, MINUTES_LOG), Buffer.from([9, 0, 0, 0, 1, 2]));

    const second = new MinutesStore(dir);
    const reopened = new Y.Doc();
    second.attach(reopened);
    write(reopened, "sau");
    await second.close();

    const log = await readFile(join(dir, MINUTES_LOG));
    expect(decodeRecords(log).torn).toBe(false);
    expect(read(new MinutesStore(dir))).toContain("sau");
    expect(read(new MinutesStore(dir))).toContain("trước");
  });

  it("reads a stored document without a live one", async () => {
    const dir = await tempDir();
    const source = new Y.Doc();
    write(source, "từ bản chụp");
    await writeFile(join(dir, MINUTES_SNAPSHOT), encodeRecord(Y.encodeStateAsUpdate(source)));
    expect(read(new MinutesStore(dir))).toContain("từ bản chụp");
  });
});

describe("ProseMirror JSON to blocks", () => {
  const text = (t: string, marks: string[] = []): PmNode => ({ type: "text", text: t, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });

  it("keeps headings, marks, lists and their nesting", () => {
    const blocks = proseMirrorToBlocks({
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [text("Mục 1")] },
        { type: "paragraph", content: [text("Thường "), text("đậm", ["bold"]), text(" và "), text("nghiêng", ["italic"])] },
        {
          type: "bulletList",
          content: [
            { type: "listItem", content: [{ type: "paragraph", content: [text("Ý một")] }] },
            {
              type: "listItem",
              content: [
                { type: "paragraph", content: [text("Ý hai")] },
                { type: "orderedList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("Con")] }] }] },
                { type: "paragraph", content: [text("Tiếp")] },
              ],
            },
          ],
        },
        { type: "orderedList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("Lại từ 1")] }] }] },
        { type: "paragraph" },
        { type: "paragraph", content: [text("a"), { type: "hardBreak" }, text("b")] },
      ],
    });
    expect(blocks[0]).toEqual({ kind: "heading", level: 2, runs: [{ text: "Mục 1" }] });
    expect(blocks[1]).toEqual({
      kind: "paragraph",
      indent: 0,
      runs: [{ text: "Thường " }, { text: "đậm", bold: true }, { text: " và " }, { text: "nghiêng", italic: true }],
    });
    expect(blocks[2]).toMatchObject({ kind: "listItem", ordered: false, depth: 0, runs: [{ text: "Ý một" }] });
    expect(blocks[3]).toMatchObject({ kind: "listItem", ordered: false, depth: 0, runs: [{ text: "Ý hai" }] });
    expect(blocks[4]).toMatchObject({ kind: "listItem", ordered: true, depth: 1, runs: [{ text: "Con" }] });
    expect(blocks[5]).toMatchObject({ kind: "paragraph", indent: 1, runs: [{ text: "Tiếp" }] });
    expect(blocks[6]).toMatchObject({ kind: "listItem", ordered: true, depth: 0 });
    // Separate lists are numbered separately.
    const lists = new Set(blocks.filter((b) => b.kind === "listItem").map((b) => (b.kind === "listItem" ? b.list : 0)));
    expect(lists.size).toBe(3);
    expect(blocks[7]).toEqual({ kind: "paragraph", indent: 0, runs: [] });
    expect(blocks[8]!.runs).toEqual([{ text: "a" }, { text: "b", break: true }]);
    expect(blocksToText(blocks)).toContain("Lại từ 1");
  });

  it("drops empty paragraphs at the start and the end", () => {
    const blocks = proseMirrorToBlocks({
      type: "doc",
      content: [{ type: "paragraph" }, { type: "paragraph", content: [text("giữa")] }, { type: "paragraph" }, { type: "paragraph", content: [text(" ")] }],
    });
    expect(blocks).toEqual([{ kind: "paragraph", indent: 0, runs: [{ text: "giữa" }] }]);
  });

  it("keeps the heading level in range and the text of unknown nodes", () => {
    const blocks = proseMirrorToBlocks({
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 9 }, content: [text("x")] },
        { type: "mystery", content: [{ type: "paragraph", content: [text("giữ lại")] }] },
        { type: "blockquote", content: [{ type: "paragraph", content: [text("trích")] }] },
      ],
    });
    expect(blocks[0]).toMatchObject({ kind: "heading", level: 6 });
    expect(blocks[1]).toMatchObject({ kind: "paragraph", runs: [{ text: "giữ lại" }] });
    expect(blocks[2]).toMatchObject({ kind: "paragraph", indent: 1 });
  });
});

describe("the official minutes' facts", () => {
  const person = (name: string, organisation: string, role: Participant["role"], attendance: Participant["attendance"]): Participant => ({
    id: name,
    name,
    organisation,
    organisationId: null,
    representative: false,
    guest: false,
    proxyId: null,
    role,
    attendance,
    online: false,
    joinedAt: 0,
    checkedInAt: 0,
    leftAt: null,
  });

  it("groups attendance by place and organisation, leaving out the hall's screens", () => {
    const summary = attendanceOf([
      person("A", "Hội X", "delegate", "hall"),
      person("B", "Hội Y", "delegate", "online"),
      person("C", "Hội X", "delegate", "hall"),
      person("Màn hình", "", "projector", "hall"),
      person("D", "", "chair", "hall"),
    ]);
    expect(summary).toMatchObject({ total: 4, hallCount: 3, onlineCount: 1 });
    expect(summary.hall).toEqual([
      { organisation: "Hội X", names: ["A", "C"] },
      { organisation: "", names: ["D"] },
    ]);
    expect(summary.online).toEqual([{ organisation: "Hội Y", names: ["B"] }]);
    expect(summary).toMatchObject({ absent: [], absentCount: 0 });
  });

  it("counts as absent whoever never checked in", () => {
    const summary = attendanceOf([
      person("A", "Hội X", "delegate", "hall"),
      { ...person("B", "Hội Y", "delegate", "online"), checkedInAt: null },
      { ...person("C", "Hội Y", "delegate", "hall"), checkedInAt: null },
    ]);
    expect(summary).toMatchObject({ total: 1, hallCount: 1, onlineCount: 0, absentCount: 2 });
    expect(summary.absent).toEqual([{ organisation: "Hội Y", names: ["B", "C"] }]);
  });

  it("frames the minutes from the meeting's facts (form 1.9): bodies, number, city and meeting day, actual times, who signs; never twice what the text says", () => {
    const startedAt = Date.UTC(2023, 11, 19, 1, 35); // 08:35 in Hanoi
    const endedAt = Date.UTC(2023, 11, 19, 4, 5);
    const poll = motion({ id: "p", question: "Thông qua đề án cụm?", status: "closed", openedAt: 0, closedAt: 1, eligible: 10, votesCast: 9, tally: { yes: 7, no: 1, abstain: 1 }, hallCounts: { yes: 2, no: 0, abstain: 0 }, outcome: "adopted" });
    const other = motion({ id: "q", question: "Thông qua quy chế?", status: "closed", openedAt: 0, closedAt: 2, eligible: 10, votesCast: 10, tally: { yes: 10, no: 0, abstain: 0 }, outcome: "adopted" });
    const base = conference();
    const state = {
      ...base,
      conference: { ...base.conference, organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", parentOrganisation: "Đảng đoàn", shortName: "LHHVN", city: "Hà Nội", venue: "Hội trường Liên hiệp Hội, 53 Nguyễn Du", startedAt, endedAt, status: "ended" as const },
      participants: [
        person("Chủ tịch", "", "chair", "hall"),
        person("Thư ký Một", "Văn phòng", "secretary", "hall"),
        person("Thư ký Hai", "Văn phòng", "secretary", "hall"),
        person("Đại biểu", "Hội A", "delegate", "online"),
      ],
      polls: [poll, other],
      minutes: { ...base.minutes, signerId: "Thư ký Hai" },
    };
    const t = labelsFor("vi").t;
    const format = { number: (n: number) => String(n), percent: (r: number) => `${(r * 100).toFixed(1)} %` };
    const text = "Kết quả biểu quyết: Thông qua đề án cụm?\nTán thành: 7";
    const frame = officialFrame({ state, text, now: Date.UTC(2026, 11, 1), t, format });
    expect(frame).toMatchObject({
      parentBody: "ĐẢNG ĐOÀN",
      issuingBody: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM",
      numberLine: "Số: ....../BB-LHHVN",
      placeDate: "Hà Nội, ngày 19 tháng 12 năm 2023",
      documentTitle: "BIÊN BẢN",
    });
    expect(frame.fields).toEqual([
      { label: "Thời gian bắt đầu", value: "08 giờ 35, ngày 19 tháng 12 năm 2023" },
      { label: "Địa điểm", value: "Hội trường Liên hiệp Hội, 53 Nguyễn Du" },
      { label: "Hình thức", value: "trực tiếp tại hội trường kết hợp trực tuyến" },
      { label: "Chủ tọa", value: "Chủ tịch" },
      { label: "Thư ký", value: "Thư ký Hai (Văn phòng); Thư ký Một (Văn phòng)" },
    ]);
    // The secretaries inserted the first poll's record: only the second is added.
    expect(frame.votes).toEqual([{ title: "1. Thông qua quy chế?", lines: ["Hình thức: bỏ phiếu công khai, mỗi người một phiếu", "Thông qua: 10/10 đại biểu có mặt tán thành (100.0 %), nhiều hơn số không tán thành", "Tán thành 10, không tán thành 0, không biểu quyết 0"] }]);
    expect(frame.closing).toBe("Hội nghị kết thúc lúc 11 giờ 05, ngày 19 tháng 12 năm 2023.");
    expect(officialFrame({ state, text: "Hội nghị kết thúc lúc 11 giờ 05.", now: 0, t, format }).closing).toBeNull();
    expect(frame.secretary).toMatchObject({ title: "THƯ KÝ", name: "Thư ký Hai" });
    expect(frame.chair).toMatchObject({ title: "CHỦ TỌA", name: "Chủ tịch" });
    expect(frame.recipients).toEqual(["- Các đơn vị tham dự hội nghị;", "- Lưu: VT, LHHVN."]);
    const all = JSON.stringify(frame);
    expect(all).not.toContain("Không thuộc tổ chức");
  });

  it("prints dates in the conference's time and the place from the city, else the venue", () => {
    const at = Date.UTC(2021, 10, 15, 1, 30); // 08:30 in Hanoi
    const parts = datePartsOf(at);
    expect(parts).toEqual({ day: 15, month: 11, year: 2021, hour: 8, minute: 30 });
    expect(placeDate(labelsFor("vi").t, placeOf("Hà Nội (trực tiếp và trực tuyến)"), parts)).toBe("Hà Nội, ngày 15 tháng 11 năm 2021");
    expect(placeDate(labelsFor("en").t, "Hanoi", parts)).toBe("Hanoi, 15 November 2021");
    expect(dateTimeWords(labelsFor("vi").t, parts)).toBe("08 giờ 30, ngày 15 tháng 11 năm 2021");
    expect(datePartsOf(at, "UTC").hour).toBe(1);
    expect(placeOf("Bà Rịa - Vũng Tàu, hội trường A")).toBe("Bà Rịa - Vũng Tàu");
    expect(exportFileName("bien-ban", at)).toBe("bien-ban-2021-11-15.docx");
  });
});
