import i18next from "i18next";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import en from "../../shared/i18n/en/minutes.json";
import vi from "../../shared/i18n/vi/minutes.json";
import { minutesAccess } from "../../client/src/minutes/minutesAccess.ts";
import { projectorShowsMinutes } from "../../client/src/minutes/projectorMinutes.ts";
import { recordToContent, speakingTimeRecord, type Translate } from "../../client/src/minutes/records.ts";
import { minutesPlainText } from "../../client/src/minutes/renderMinutes.tsx";
import { speakingTimeCsvPath } from "../../client/src/minutes/SpeakingTime.tsx";
import { matchRoute, minutesPrintPath } from "../../client/src/model/routes.ts";
import { INITIAL_MINUTES } from "../../shared/domain/minutes.ts";
import { ROLES } from "../../shared/roles.ts";
import type { ConferenceState, MinutesState } from "../../shared/state.ts";
import { conference, item, motion, person, T0 } from "../support/fixtures.ts";

const i18n = i18next.createInstance();
await i18n.init({ resources: { vi: { minutes: vi }, en: { minutes: en } }, lng: "vi", ns: ["minutes"], interpolation: { escapeValue: false } });
const tVi = i18n.getFixedT("vi", "minutes") as unknown as Translate;
const tEn = i18n.getFixedT("en", "minutes") as unknown as Translate;
const VI = { locale: "vi-VN", timeZone: "Asia/Ho_Chi_Minh" };
const EN = { locale: "en-GB", timeZone: "Asia/Ho_Chi_Minh" };

const speech = (requestId: string, participantId: string, itemId: string | null, startedAt: number, seconds: number) => ({
  requestId,
  participantId,
  itemId,
  kind: "speech" as const,
  startedAt,
  endedAt: startedAt + seconds * 1000,
});

/** Three organisations on two items; one speaker on none, one speech under way. */
function meeting(): ConferenceState {
  return conference({
    participants: [
      person("a", "Nguyễn Văn An", { organisation: "Liên hiệp Hội Nghệ An" }),
      person("b", "Lê Thị Bích", { organisation: "Liên hiệp Hội Nghệ An" }),
      person("c", "Trần Quốc Cường", { organisation: "Liên hiệp Hội Hà Tĩnh" }),
      person("d", "Khách mời", { organisation: "" }),
    ],
    agenda: [item("i1", { title: "Khai mạc", status: "done", startedAt: T0 }), item("i2", { title: "Thảo luận", status: "active", startedAt: T0 + 600_000 })],
    currentItemId: "i2",
    speakers: {
      limitSeconds: 180,
      queue: [],
      history: [speech("r1", "a", "i1", T0, 120), speech("r2", "c", "i2", T0 + 600_000, 90), speech("r3", "b", "i2", T0 + 700_000, 30), speech("r4", "d", "i2", T0 + 800_000, 60)],
      current: { requestId: "r5", participantId: "a", kind: "speech", startedAt: T0 + 900_000, limitSeconds: 180, itemId: "i2" },
    },
  });
}

describe("speaking time as a minutes record", () => {
  it("words one line an organisation on the item, longest first, counting the speech under way", () => {
    const state = meeting();
    // 45 s into the current speech by An (Nghệ An): Nghệ An 30 + 45 = 75 s, Hà Tĩnh 90 s, none 60 s.
    const record = speakingTimeRecord(state, T0 + 945_000, "i2", tVi, VI)!;
    expect(record.title).toBe("Thời gian phát biểu theo đơn vị – Thảo luận");
    expect(record.items.map((i) => i.text)).toEqual([
      "Liên hiệp Hội Hà Tĩnh: 1 lượt, 1 phút 30 giây (40%)",
      "Liên hiệp Hội Nghệ An: 2 lượt, 1 phút 15 giây (33,3%)",
      "(không thuộc đơn vị): 1 lượt, 1 phút 0 giây (26,7%)",
    ]);
  });

  it("covers the whole meeting without an item, in English for an English conference", () => {
    const record = speakingTimeRecord(meeting(), T0 + 945_000, undefined, tEn, EN)!;
    expect(record.title).toBe("Speaking time by organisation");
    expect(record.items[0]!.text).toBe("Liên hiệp Hội Nghệ An: 3 speeches, 3 min 15 s (56.5%)");
    expect(record.items).toHaveLength(3);
  });

  it("is nothing where nobody spoke, and inserts as a bold title over a bullet list", () => {
    const state = { ...meeting(), agenda: [...meeting().agenda, item("i3", { title: "Bế mạc" })] };
    expect(speakingTimeRecord(state, T0, "i3", tVi, VI)).toBeNull();
    const content = recordToContent(speakingTimeRecord(meeting(), T0 + 945_000, "i2", tVi, VI)!);
    expect(content[0]).toMatchObject({ type: "paragraph", content: [{ marks: [{ type: "bold" }] }] });
    expect(content[1]!.type).toBe("bulletList");
    expect(content[1]!.content).toHaveLength(3);
  });

  it("asks the server's CSV for the same scope", () => {
    expect(speakingTimeCsvPath("c 1")).toBe("/api/conferences/c%201/speaking-time.csv");
    expect(speakingTimeCsvPath("c1", "i/2")).toBe("/api/conferences/c1/speaking-time.csv?itemId=i%2F2");
  });
});

describe("who reads and who writes the minutes", () => {
  const draft: MinutesState = INITIAL_MINUTES;
  const shared: MinutesState = { ...draft, shared: true };
  const approved: MinutesState = { ...draft, status: "approved", approvedAt: T0, approvedBy: "chair" };

  it("keeps an unshared draft to chairs and secretaries, as the server does", () => {
    const readers = ROLES.filter((role) => minutesAccess(draft, role).readable);
    expect(readers).toEqual(["chair", "secretary"]);
    expect(ROLES.every((role) => minutesAccess(shared, role).readable)).toBe(true);
    expect(ROLES.every((role) => minutesAccess({ ...approved, shared: false }, role).readable)).toBe(true);
  });

  it("lets nobody edit approved minutes", () => {
    expect(ROLES.filter((role) => minutesAccess(shared, role).editable)).toEqual(["chair", "secretary"]);
    expect(ROLES.filter((role) => minutesAccess(approved, role).editable)).toEqual([]);
  });
});

describe("the projector's reading of the adopted minutes", () => {
  const approvedAt = T0 + 3_600_000;
  const base = (): ConferenceState => ({
    ...meeting(),
    minutes: { ...INITIAL_MINUTES, status: "approved", approvedAt, approvedBy: "chair" },
  });

  it("shows from the approval until the meeting moves on", () => {
    expect(projectorShowsMinutes(base())).toBe(true);
    expect(projectorShowsMinutes({ ...base(), minutes: INITIAL_MINUTES })).toBe(false);
    // An item that was already running, and a poll opened before, do not hide it.
    expect(projectorShowsMinutes({ ...base(), polls: [motion({ status: "open", openedAt: approvedAt - 1 })] })).toBe(true);
    expect(projectorShowsMinutes({ ...base(), polls: [motion({ status: "open", openedAt: approvedAt + 1 })] })).toBe(false);
    expect(projectorShowsMinutes({ ...base(), agenda: [item("i9", { status: "active", startedAt: approvedAt + 1 })] })).toBe(false);
    // Reopened: back to the usual screen.
    expect(projectorShowsMinutes({ ...base(), minutes: { ...base().minutes, status: "draft", approvedAt: null } })).toBe(false);
  });
});

describe("the minutes' plain text", () => {
  it("has one line a paragraph, heading or list item, marks aside", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("minutes");
    const el = (name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, string> = {}) => {
      const e = new Y.XmlElement(name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      e.insert(0, children);
      return e;
    };
    const text = (s: string, bold = false) => {
      const t = new Y.XmlText();
      t.insert(0, s, bold ? { bold: true } : undefined);
      return t;
    };
    // A bold lead and plain words after it in one text node (inserted before the node joins the document).
    const bold = text("Thông qua?");
    bold.insert(0, "Kết quả biểu quyết: ", { bold: true });
    fragment.insert(0, [
      el("heading", [text("I. Khai mạc")], { level: "1" }),
      el("paragraph", [bold]),
      el("bulletList", [el("listItem", [el("paragraph", [text("Tán thành: 2")])]), el("listItem", [el("paragraph", [text("Không tán thành: 0")])])]),
      el("paragraph", []),
    ]);
    expect(minutesPlainText(fragment)).toBe("I. Khai mạc\nKết quả biểu quyết: Thông qua?\nTán thành: 2\nKhông tán thành: 0");
  });
});

describe("the print view's address", () => {
  it("is a view of the conference page", () => {
    expect(minutesPrintPath("abc")).toBe("/c/abc/minutes/print");
    expect(matchRoute("/c/abc/minutes/print")).toEqual({ page: "conference", conferenceId: "abc", view: "minutesPrint" });
    expect(matchRoute("/c/abc/minutes")).toEqual({ page: "not_found" });
  });
});
