import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { downloadName } from "../../client/src/minutes/exportDocx.ts";
import { caretColor } from "../../client/src/minutes/caret.ts";
import en from "../../shared/i18n/en/minutes.json";
import vi from "../../shared/i18n/vi/minutes.json";
import {
  attendanceRecord,
  latestClosedPolls as closedPolls,
  formatDuration,
  pollRecord,
  recordToContent,
  speakersRecord,
  type Translate,
} from "../../client/src/minutes/records.ts";
import { recordedItemId } from "../../shared/minutesFacts.ts";
import { initialState } from "../../shared/initialState.ts";
import { motion } from "../support/fixtures.ts";
import type { ConferenceState, Participant, Poll } from "../../shared/state.ts";

const i18n = i18next.createInstance();
await i18n.init({ resources: { vi: { minutes: vi }, en: { minutes: en } }, lng: "vi", ns: ["minutes"], interpolation: { escapeValue: false } });
const tVi = i18n.getFixedT("vi", "minutes") as unknown as Translate;
const tEn = i18n.getFixedT("en", "minutes") as unknown as Translate;
const HANOI = { locale: "vi-VN", timeZone: "Asia/Ho_Chi_Minh" };
const at = (hh: number, mm: number, ss = 0) => Date.UTC(2021, 10, 15, hh - 7, mm, ss);

function person(id: string, name: string, organisation: string, attendance: Participant["attendance"], online = false, role: Participant["role"] = "delegate"): Participant {
  return { id, name, organisation, organisationId: null, representative: false, guest: false, proxyId: null, role, attendance, online, joinedAt: 0, checkedInAt: 0, leftAt: null };
}

function conference(language: "vi" | "en" = "vi"): ConferenceState {
  const state = initialState({
    id: "c",
    title: "Hội nghị",
    organisation: "VUSTA",
    venue: "Hà Nội",
    startsAt: null,
    language,
    joinCode: "X",
    createdAt: 0,
  });
  return {
    ...state,
    participants: [
      person("p1", "Phạm Hữu Duệ", "Ban Tổ chức", "hall", true),
      person("p2", "Dương Thị Nga", "Ban Hợp tác quốc tế", "online", true),
      person("p3", "Lê Công Lương", "Ban Tổ chức", "hall"),
      { ...person("p4", "Trần Vắng", "Liên hiệp Hội Cà Mau", "online", false), checkedInAt: null },
      person("screen", "Màn hình", "", "hall", true, "projector"),
      person("p5", "<script>alert(1)</script>", "", "hall"),
    ],
    agenda: [
      { id: "a1", title: "Khai mạc", presenter: "", plannedMinutes: 10, status: "done", startedAt: 0, endedAt: 0, spentMs: 0 },
      { id: "a2", title: "Thảo luận", presenter: "", plannedMinutes: 60, status: "active", startedAt: 0, endedAt: null, spentMs: 0 },
    ],
    currentItemId: "a2",
    speakers: {
      limitSeconds: 180,
      current: { requestId: "r4", participantId: "p3", kind: "speech", startedAt: at(9, 40), limitSeconds: 180, itemId: "a2" },
      queue: [],
      history: [
        { requestId: "r0", participantId: "p3", itemId: "a1", kind: "speech", startedAt: at(8, 30), endedAt: at(8, 35) },
        { requestId: "r2", participantId: "p2", itemId: "a2", kind: "question", startedAt: at(9, 20), endedAt: at(9, 21, 5) },
        { requestId: "r1", participantId: "p1", itemId: "a2", kind: "speech", startedAt: at(9, 5), endedAt: at(9, 8, 20) },
      ],
    },
  };
}

const closedMotion = motion({
  id: "m",
  itemId: "a2",
  question: "Thông qua đề án thành lập cụm",
  status: "closed",
  openedAt: 1,
  closedAt: 2,
  eligible: 60,
  votesCast: 55,
  tally: { yes: 50, no: 3, abstain: 2 },
  outcome: "adopted",
});

describe("one-click records", () => {
  it("lists who spoke on the current item, in order, with place, start and duration", () => {
    const record = speakersRecord(conference(), tVi, HANOI)!;
    expect(record.title).toBe("Phát biểu về nội dung “Thảo luận”:");
    expect(record.items.map((i) => i.text)).toEqual([
      "Phạm Hữu Duệ (Ban Tổ chức), tại hội trường, bắt đầu lúc 09:05, thời lượng 3 phút 20 giây",
      "Dương Thị Nga (Ban Hợp tác quốc tế) (đặt câu hỏi), trực tuyến, bắt đầu lúc 09:20, thời lượng 1 phút 5 giây",
      "Lê Công Lương (Ban Tổ chức), tại hội trường, bắt đầu lúc 09:40, thời lượng đang phát biểu",
    ]);
  });

  it("falls back to the item of the latest speech once the current item has none, or after the end", () => {
    const base = conference();
    const speechEnded = { ...base.speakers, current: null, history: [...base.speakers.history, { requestId: "r4", participantId: "p3", itemId: "a2", kind: "speech" as const, startedAt: at(9, 40), endedAt: at(9, 45) }] };
    const nextItem = { ...base, currentItemId: "a9", speakers: speechEnded };
    expect(recordedItemId(nextItem)).toBe("a2");
    expect(speakersRecord(nextItem, tVi, HANOI)!.title).toBe("Phát biểu về nội dung “Thảo luận”:");
    expect(speakersRecord(nextItem, tVi, HANOI)!.items).toHaveLength(3);
    const ended = { ...base, currentItemId: null, speakers: speechEnded };
    expect(recordedItemId(ended)).toBe("a2");
    // the current item, as soon as anyone has spoken on it
    expect(recordedItemId(base)).toBe("a2");
  });

  it("writes in the conference's language and answers null when nobody spoke", () => {
    const record = speakersRecord(conference("en"), tEn, { locale: "en-GB", timeZone: "Asia/Ho_Chi_Minh" })!;
    expect(record.items[0]!.text).toBe("Phạm Hữu Duệ (Ban Tổ chức), in the hall, from 09:05, 3 min 20 s");
    const base = conference();
    const quiet = { ...base, speakers: { ...base.speakers, current: null, history: [] } };
    expect(speakersRecord(quiet, tVi, HANOI)).toBeNull();
  });

  it("records a closed poll's counts and outcome", () => {
    const vi = { number: (n: number) => String(n), percent: (r: number) => `${(r * 100).toFixed(1).replace(".", ",")} %` };
    expect(pollRecord(closedMotion, tVi, vi)).toEqual({
      title: "Kết quả biểu quyết: Thông qua đề án thành lập cụm",
      items: [
        { text: "Hình thức: bỏ phiếu công khai, mỗi người một phiếu" },
        { text: "Tán thành: 50" },
        { text: "Không tán thành: 3" },
        { text: "Không biểu quyết: 2" },
        { text: "Thông qua: 50/60 đại biểu có mặt tán thành (83,3 %), nhiều hơn số không tán thành" },
      ],
    });
    const election: Poll = {
      ...closedMotion,
      kind: "election",
      options: [
        { id: "x", label: "Nguyễn A" },
        { id: "y", label: "Trần B" },
      ],
      tally: { x: 30, y: 25 },
      outcome: "elected",
      winnerOptionId: "x",
    };
    const en = { number: (n: number) => String(n), percent: (r: number) => `${Math.round(r * 100)}%` };
    const record = pollRecord({ ...election, secret: true, weighting: "organisation" }, tEn, en);
    expect(record.title).toBe("Election: Thông qua đề án thành lập cụm");
    expect(record.items[0]!.text).toMatch(/secret/i);
    expect(record.items.at(-1)!.text).toBe("Nguyễn A elected: 30 of 60 organisations present (50%), the most votes");
    const state = { ...conference(), polls: [closedMotion, { ...closedMotion, id: "open", status: "open" as const, closedAt: null }, { ...closedMotion, id: "later", closedAt: 9 }] };
    expect(closedPolls(state).map((p) => p.id)).toEqual(["later", "m"]);
  });

  it("records who is present by place and organisation", () => {
    const record = attendanceRecord(conference(), at(9, 45), tVi, HANOI);
    expect(record.title).toBe("Điểm danh lúc 09:45: có mặt 4 người");
    expect(record.items).toEqual([
      { text: "Tại hội trường: 3 người", children: ["Ban Tổ chức: Phạm Hữu Duệ, Lê Công Lương", "Khác: <script>alert(1)</script>"] },
      { text: "Trực tuyến: 1 người", children: ["Ban Hợp tác quốc tế: Dương Thị Nga"] },
      { text: "Chưa có mặt: 1 người", children: ["Liên hiệp Hội Cà Mau: Trần Vắng"] },
      { text: "Đại biểu biểu quyết có mặt: 4/5; đơn vị có mặt: 0/0" },
    ]);
  });

  it("turns a record into ProseMirror content with the text as text", () => {
    const content = recordToContent(attendanceRecord(conference(), at(9, 45), tVi, HANOI));
    expect(content[0]).toEqual({ type: "paragraph", content: [{ type: "text", text: "Điểm danh lúc 09:45: có mặt 4 người", marks: [{ type: "bold" }] }] });
    expect(content[1]!.type).toBe("bulletList");
    const first = content[1]!.content![0]!;
    expect(first.content![1]!.type).toBe("bulletList");
    expect(JSON.stringify(content)).toContain('"text":"Khác: <script>alert(1)</script>"');
  });

  it("formats durations", () => {
    expect(formatDuration(59_600, tVi)).toBe("1 phút 0 giây");
    expect(formatDuration(42_000, tEn)).toBe("42 s");
    expect(formatDuration(-5, tEn)).toBe("0 s");
  });
});

describe("the minutes' client helpers", () => {
  it("names the download after the server's file name, or the date", () => {
    expect(downloadName('attachment; filename="bien-ban-2021-11-15.docx"', "bien-ban")).toBe("bien-ban-2021-11-15.docx");
    expect(downloadName(null, "bien-ban", new Date(2021, 10, 5))).toBe("bien-ban-2021-11-05.docx");
  });

  it("gives each writer a stable caret colour the caret extension accepts", () => {
    expect(caretColor("p1")).toBe(caretColor("p1"));
    expect(caretColor("p1")).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("has the same keys in both languages", () => {
    const keys = (value: unknown, prefix = ""): string[] =>
      typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });
});
