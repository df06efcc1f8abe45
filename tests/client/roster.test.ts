import { describe, expect, it } from "vitest";
import { indexParticipants, presenceSummary, sortedAttendees } from "../../client/src/model/participants.ts";
import { findOrganisations, nameComparer, organisationRows, rosterView, statusCounts, type RosterQuery } from "../../client/src/model/roster.ts";
import { pagesOf } from "../../client/src/people/InvitationSheet.tsx";
import { resolveChoice } from "../../client/src/people/OrganisationPicker.tsx";
import type { Organisation } from "../../shared/state.ts";
import { person, T0 } from "../support/fixtures.ts";

const org = (id: string, name: string, extra: Partial<Organisation> = {}): Organisation => ({ id, name, shortName: "", cluster: null, source: "roster", ...extra });

describe("removed participants in the views", () => {
  it("are out of the people list and the counts, but their names still resolve", () => {
    const kept = person("a", "An");
    const removed = person("b", "Bình", { removedAt: T0 });
    const people = [kept, removed];
    expect(sortedAttendees(people, "vi").map((p) => p.id)).toEqual(["a"]);
    expect(presenceSummary(people).total).toBe(1);
    expect(indexParticipants(people).get("b")?.name).toBe("Bình");
  });
});

describe("the chair's roster table", () => {
  const people = [
    person("an", "Nguyễn Văn An", { organisation: "Liên hiệp Hội tỉnh Nghệ An", organisationId: "na", attendance: "hall" }),
    person("binh", "Trần Thị Bình", { organisation: "Liên hiệp Hội TP. Hồ Chí Minh", organisationId: "hcm", attendance: "online" }),
    person("chi", "Lê Văn Chi", { organisation: "Liên hiệp Hội tỉnh Nghệ An", organisationId: "na", representative: true, checkedInAt: null }),
    person("dung", "Phạm Thị Dung", { organisation: "", role: "secretary", leftAt: T0 + 1 }),
    person("screen", "Màn hình hội trường", { role: "projector" }),
    person("gone", "Đỗ Văn Gone", { removedAt: T0 }),
  ];
  const query: RosterQuery = { text: "", status: "all", sort: "organisation" };

  it("sorts Vietnamese names by the given name, the last word", () => {
    const names = ["Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Chi", "Anh"].sort(nameComparer("vi"));
    expect(names).toEqual(["Nguyễn Văn An", "Anh", "Trần Thị Bình", "Lê Văn Chi"]);
  });

  it("keeps screens and removed people apart from the people", () => {
    const view = rosterView(people, query, "vi");
    expect(view.rows.map((p) => p.id)).not.toContain("screen");
    expect(view.rows.map((p) => p.id)).not.toContain("gone");
    expect(view.total).toBe(4);
    expect(view.screens.map((p) => p.id)).toEqual(["screen"]);
    expect(view.removed.map((p) => p.id)).toEqual(["gone"]);
  });

  it("orders by organisation (its representative first, nobody's last), status, role or name", () => {
    expect(rosterView(people, query, "vi").rows.map((p) => p.id)).toEqual(["chi", "an", "binh", "dung"]);
    expect(rosterView(people, { ...query, sort: "status" }, "vi").rows.map((p) => p.id)).toEqual(["an", "binh", "chi", "dung"]);
    expect(rosterView(people, { ...query, sort: "role" }, "vi").rows.map((p) => p.id)).toEqual(["dung", "an", "binh", "chi"]);
    expect(rosterView(people, { ...query, sort: "name" }, "vi").rows.map((p) => p.id)).toEqual(["an", "binh", "chi", "dung"]);
  });

  it("filters by status and finds words without diacritics", () => {
    const ids = (q: Partial<RosterQuery>) => rosterView(people, { ...query, ...q }, "vi").rows.map((p) => p.id);
    expect(ids({ status: "present" })).toEqual(["an", "binh"]);
    expect(ids({ status: "invited" })).toEqual(["chi"]);
    expect(ids({ status: "left" })).toEqual(["dung"]);
    expect(ids({ text: "nghe an" })).toEqual(["chi", "an"]);
    expect(ids({ text: "BINH ho chi" })).toEqual(["binh"]);
    expect(ids({ text: "nghe an", status: "present" })).toEqual(["an"]);
    expect(statusCounts(people)).toEqual({ all: 4, present: 2, invited: 1, left: 1 });
  });

  it("counts each organisation's members and names its representative", () => {
    const rows = organisationRows([org("na", "Liên hiệp Hội tỉnh Nghệ An"), org("hcm", "Liên hiệp Hội TP. Hồ Chí Minh"), org("x", "Hội Xây dựng")], people, "vi");
    expect(rows.map((r) => [r.organisation.id, r.present, r.members, r.representative?.id ?? null])).toEqual([
      ["x", 0, 0, null],
      ["na", 1, 2, "chi"],
      ["hcm", 1, 1, null],
    ]);
  });
});

describe("the join page's organisation search", () => {
  const roster = [
    org("xd", "Tổng hội Xây dựng Việt Nam", { shortName: "THXD" }),
    org("na", "Liên hiệp Hội tỉnh Nghệ An"),
    org("ht", "Liên hiệp Hội tỉnh Hà Tĩnh"),
    org("dt", "Liên hiệp Hội tỉnh Đồng Tháp"),
  ];

  it("finds an organisation by part of its name or short name, diacritics optional", () => {
    expect(findOrganisations(roster, "xay dung", "vi").shown.map((o) => o.id)).toEqual(["xd"]);
    expect(findOrganisations(roster, "thxd", "vi").shown.map((o) => o.id)).toEqual(["xd"]);
    expect(findOrganisations(roster, "dong thap", "vi").shown.map((o) => o.id)).toEqual(["dt"]);
    expect(findOrganisations(roster, "lien hiep", "vi")).toMatchObject({ found: 3 });
    expect(findOrganisations(roster, "", "vi", 2)).toMatchObject({ found: 4, shown: [{ id: "dt" }, { id: "ht" }] });
  });

  it("joins with the one picked, the only one found, or a name not on the list; several found must be picked", () => {
    expect(resolveChoice({ kind: "roster", id: "na" }, "", roster, "vi")).toEqual({ organisationId: "na" });
    expect(resolveChoice({ kind: "none" }, "xay dung", roster, "vi")).toEqual({ organisationId: "xd" });
    expect(resolveChoice({ kind: "none" }, "Hội Tin học", roster, "vi")).toEqual({ organisation: "Hội Tin học" });
    expect(resolveChoice({ kind: "none" }, "lien hiep", roster, "vi")).toBe("ambiguous");
    expect(resolveChoice({ kind: "other", name: " Hội Tin học " }, "tin", roster, "vi")).toEqual({ organisation: "Hội Tin học" });
    expect(resolveChoice({ kind: "none" }, "  ", roster, "vi")).toEqual({});
  });
});

describe("the invitation sheet", () => {
  it("puts eight cards on a page", () => {
    expect(pagesOf([...Array(17).keys()]).map((page) => page.length)).toEqual([8, 8, 1]);
    expect(pagesOf([])).toEqual([]);
  });
});
