import { describe, expect, it } from "vitest";
import { evolve } from "../../shared/domain/index.ts";
import { decideInternal } from "../../shared/domain/decide.ts";
import { organisationKey, organisationMatches, organisationNamed, registrationIsOpen, searchKey } from "../../shared/domain/organisations.ts";
import type { DomainEvent } from "../../shared/events.ts";
import { upgradeState } from "../../shared/initialState.ts";
import { checkRows, columnOfHeader, decideImport, readTable, rosterTable, type ImportRow } from "../../shared/roster.ts";
import { rosterStatus } from "../../shared/domain/participants.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { emptyConference, fold, participant, testContext, withParticipants } from "../support/domain.ts";

/** Words for the tests: the key and its values, so that assertions name what was said. */
const t = (key: string, options?: Record<string, unknown>) => (options ? `${key} ${JSON.stringify(options)}` : key);

const XAY_DUNG = "Tổng hội Xây dựng Việt Nam";

describe("organisation names", () => {
  it("are one organisation whatever the case, spacing and Unicode form; diacritics count", () => {
    const key = organisationKey(XAY_DUNG);
    expect(organisationKey("  tổng hội   XÂY DỰNG việt nam ")).toBe(key);
    expect(organisationKey(XAY_DUNG.normalize("NFD"))).toBe(key);
    expect(organisationKey("Tổng hội\u00a0Xây dựng\tViệt Nam")).toBe(key);
    expect(organisationKey("Tong hoi Xay dung Viet Nam")).not.toBe(key);
    expect(organisationKey("Hội Hóa học")).not.toBe(organisationKey("Hồi Hóa học"));
  });

  it("are found by any part, with or without diacritics, đ as d, by short name too", () => {
    const org = { name: XAY_DUNG, shortName: "THXDVN" };
    for (const query of ["xay dung", "XÂY DỰNG", "tổng hội", "viet", "thxd", "", "  "]) expect(organisationMatches(org, query), query).toBe(true);
    expect(organisationMatches({ name: "Liên hiệp hội tỉnh Đắk Lắk", shortName: "" }, "dak lak")).toBe(true);
    expect(organisationMatches(org, "hoa hoc")).toBe(false);
    expect(searchKey("Đồng bằng sông Hồng")).toBe("dong bang song hong");
  });

  it("the roster's organisation of a name, and registration open until a chair puts one on the roster", () => {
    let state = emptyConference();
    expect(registrationIsOpen(state)).toBe(true);
    state = fold(state, [{ type: "organisation.added", data: { organisation: { id: "o1", name: XAY_DUNG, shortName: "", cluster: null, source: "join" } } }]);
    expect(organisationNamed(state, " tổng hội xây dựng việt nam")?.id).toBe("o1");
    expect(registrationIsOpen(state)).toBe(true);
    state = fold(state, [{ type: "organisation.added", data: { organisation: { id: "o2", name: "Hội B", shortName: "", cluster: null, source: "roster" } } }]);
    expect(registrationIsOpen(state)).toBe(false);
    state = fold(state, [{ type: "conference.updated", data: { fields: { openRegistration: true } } }]);
    expect(registrationIsOpen(state)).toBe(true);
  });
});

describe("reading a table", () => {
  it("knows the columns by English or Vietnamese header, case and diacritics aside, a BOM too", () => {
    expect(columnOfHeader("Họ và tên")).toBe("name");
    expect(columnOfHeader("\uFEFFHO VA TEN")).toBe("name");
    expect(columnOfHeader(" Đơn vị ")).toBe("organisation");
    expect(columnOfHeader("Organisation")).toBe("organisation");
    expect(columnOfHeader("Trưởng đoàn")).toBe("representative");
    expect(columnOfHeader("cụm")).toBe("cluster");
    expect(columnOfHeader("Trạng thái")).toBe("status");
    expect(columnOfHeader("Email")).toBeNull();
  });

  it("refuses unknown columns and a file without a name column, naming them", () => {
    expect(readTable([["Họ và tên", "Email", "Ghi chú"], ["A", "a@b", ""]], t)).toEqual({ ok: false, problem: { code: "unknown_columns", columns: ["Email", "Ghi chú"] } });
    expect(readTable([["Đơn vị"], ["Hội A"]], t)).toEqual({ ok: false, problem: { code: "no_name_column" } });
    expect(readTable([], t)).toEqual({ ok: false, problem: { code: "empty" } });
  });

  it("reads each row with defaults, skips blank rows, and says what is wrong with each cell", () => {
    const read = readTable(
      [
        ["Họ và tên", "Đơn vị", "Vai trò", "Hình thức", "Trưởng đoàn", "Cụm", ""],
        ["  Nguyễn   Văn A ", XAY_DUNG, "", "", "", "", "ignored"],
        ["", "", "", "", "", "", ""],
        ["Lê B", "Hội C", "Thư ký", "truc tuyen", "x", " Miền Trung ", ""],
        ["", "Hội D", "vua", "ở nhà", "maybe", "", ""],
        ["Bad\u0000Name", "", "delegate", "hall", "no", "", ""],
      ],
      t,
    );
    if (!read.ok) throw new Error("refused");
    expect(read.rows.map((r) => r.line)).toEqual([2, 4, 5, 6]);
    expect(read.rows[0]).toEqual({ line: 2, name: "Nguyễn   Văn A", organisation: XAY_DUNG, role: "delegate", attendance: "hall", representative: false, cluster: null, errors: [] });
    expect(read.rows[1]).toMatchObject({ role: "secretary", attendance: "online", representative: true, cluster: "Miền Trung", errors: [] });
    expect(read.rows[2]!.errors).toEqual([
      "import.errors.noName",
      'import.errors.badRole {"value":"vua"}',
      'import.errors.badAttendance {"value":"ở nhà"}',
      'import.errors.badFlag {"value":"maybe"}',
    ]);
    expect(read.rows[3]!.errors[0]).toContain("import.errors.badText");
  });

  it("takes NFD cells as NFC, as the API's own text fields do", () => {
    const read = readTable([["name", "organisation"], [XAY_DUNG.normalize("NFD"), XAY_DUNG.normalize("NFD")]], t);
    if (!read.ok) throw new Error("refused");
    expect(read.rows[0]!.name).toBe(XAY_DUNG.normalize("NFC"));
  });
});

function row(line: number, name: string, organisation: string, extra: Partial<ImportRow> = {}): ImportRow {
  return { line, name, organisation, role: "delegate", attendance: "hall", representative: false, cluster: null, errors: [], ...extra };
}

describe("checking rows against each other and the roster", () => {
  const roster = (): ConferenceState =>
    fold(withParticipants(emptyConference(), [participant("p1", "delegate", "Hội A")]), [
      { type: "participant.updated", data: { participantId: "p1", fields: { name: "Trần Văn Một" } } },
      { type: "organisation.updated", data: { organisationId: "o-hội a", fields: { cluster: "Cụm 1" } } },
    ]);

  it("someone twice, someone already there, two representatives, an organisation in two clusters", () => {
    const checked = checkRows(
      roster(),
      [
        row(2, "Lê Hai", "Hội B", { representative: true, cluster: "Cụm 2" }),
        row(3, "lê  hai", "HỘI B"),
        row(4, "Trần Văn Một", "hội a"),
        row(5, "Phạm Ba", "Hội B", { representative: true, cluster: "Cụm 3" }),
        row(6, "Vũ Bốn", "Hội A", { cluster: "Cụm 9" }),
        row(7, "Không Đơn Vị", "", { representative: true }),
        row(8, "Khách", "Hội B", { representative: true, role: "observer" }),
      ],
      t,
    );
    expect(checked.map((r) => r.errors)).toEqual([
      [],
      ['import.errors.duplicate {"line":2}'],
      ["import.errors.onRoster"],
      ['import.errors.twoRepresentatives {"line":2}', 'import.errors.twoClusters {"line":2,"cluster":"Cụm 2"}'],
      ['import.errors.clusterOnRoster {"cluster":"Cụm 1"}'],
      ["import.errors.representativeWithout"],
      ["import.errors.representativeRole"],
    ]);
  });

  it("the import adds new organisations once, sets a missing cluster, and hands the representative over", () => {
    let state = fold(withParticipants(emptyConference(), [participant("p1", "delegate", "Hội A")]), [
      { type: "participant.updated", data: { participantId: "p1", fields: { representative: true } } },
    ]);
    const decision = decideImport(
      state,
      [row(2, "Lê Hai", "hội a", { representative: true, cluster: "Cụm 1" }), row(3, "Phạm Ba", "Hội Mới"), row(4, "Vũ Bốn", "hội  MỚI"), row(5, "Một Mình", "")],
      testContext(),
    );
    if (!decision.ok) throw new Error(decision.error.message);
    const types = decision.events.map((e) => e.type);
    expect(types).toEqual(["organisation.updated", "organisation.added", "participant.updated", "participant.added", "participant.added", "participant.added", "participant.added"]);
    state = decision.events.reduce(evolve, state);
    expect(state.organisations.map((o) => [o.name, o.cluster, o.source])).toEqual([["Hội A", "Cụm 1", "roster"], ["Hội Mới", null, "roster"]]);
    const byName = (name: string) => state.participants.find((p) => p.name === name)!;
    expect(byName("Name of p1").representative).toBe(false);
    expect(byName("Lê Hai")).toMatchObject({ representative: true, organisationId: "o-hội a", organisation: "Hội A" });
    expect(byName("Vũ Bốn").organisationId).toBe(byName("Phạm Ba").organisationId);
    expect(byName("Một Mình")).toMatchObject({ organisationId: null, organisation: "" });
    expect((decision.result as { ids: string[] }).ids).toEqual(["Lê Hai", "Phạm Ba", "Vũ Bốn", "Một Mình"].map((n) => byName(n).id));
  });

  it("refuses the whole import when any row is wrong, against the roster as it is now", () => {
    const state = roster();
    const decision = decideImport(state, [row(2, "Mới", "Hội A"), row(3, "Trần Văn Một", "Hội A")], testContext());
    expect(decision).toMatchObject({ ok: false, error: { code: "invalid" } });
  });
});

describe("the roster as a table", () => {
  it("writes the import's columns and the status in the conference's language; leaves out projectors and the removed", () => {
    let state = withParticipants(emptyConference(), [participant("d1", "delegate", "Hội A"), participant("proj", "projector"), participant("gone", "delegate")]);
    const events: DomainEvent[] = [
      { type: "participant.checked_in", data: { participantId: "d1", at: 1 } },
      { type: "participant.removed", data: { participantId: "gone", at: 2 } },
      { type: "participant.updated", data: { participantId: "d1", fields: { representative: true } } },
    ];
    state = fold(state, events);
    expect(rosterTable(state, "vi")).toEqual([
      ["Họ và tên", "Đơn vị", "Vai trò", "Hình thức", "Trưởng đoàn", "Cụm", "Trạng thái"],
      ["Name of d1", "Hội A", "Đại biểu", "Tại hội trường", "x", "", "Có mặt tại hội trường"],
    ]);
    expect(rosterTable(state, "en")[0]).toEqual(["Name", "Organisation", "Role", "Attendance", "Representative", "Cluster", "Status"]);
    expect(rosterStatus({ checkedInAt: null, leftAt: null, attendance: "online" })).toBe("invited");
    expect(rosterStatus({ checkedInAt: 1, leftAt: 2, attendance: "online" })).toBe("left");
    expect(rosterStatus({ checkedInAt: 1, leftAt: null, attendance: "online" })).toBe("online");
  });
});

describe("joining and adding with the roster (the rules)", () => {
  const ctx = testContext();
  const withRoster = () =>
    fold(emptyConference(), [{ type: "organisation.added", data: { organisation: { id: "oA", name: "Hội A", shortName: "", cluster: null, source: "roster" } } }]);
  const add = (state: ConferenceState, fields: Record<string, unknown>) =>
    decideInternal(state, { type: "participants.add", participantId: "new", name: "Người mới", role: "delegate", attendance: "online", via: "join", ...fields }, ctx);

  it("a join naming an organisation not on the roster is a guest: a delegate on none who does not vote", () => {
    const decision = add(withRoster(), { organisation: "Hội Lạ" });
    if (!decision.ok) throw new Error(decision.error.message);
    const state = decision.events.reduce(evolve, withRoster());
    expect(state.participants[0]).toMatchObject({ role: "delegate", guest: true, organisationId: null, organisation: "Hội Lạ" });
    expect(state.organisations).toHaveLength(1);
  });

  it("a chair's addition of a new name puts it on the roster; a known one (any spelling) is matched", () => {
    const state = withRoster();
    const chairAdds = decideInternal(state, { type: "participants.add", participantId: "n", name: "X", role: "delegate", attendance: "hall", via: "chair", organisation: "Hội Lạ" }, ctx);
    if (!chairAdds.ok) throw new Error("refused");
    expect(chairAdds.events[0]).toMatchObject({ type: "organisation.added", data: { organisation: { name: "Hội Lạ", source: "participant" } } });
    const matched = add(state, { organisation: " HỘI a " });
    if (!matched.ok) throw new Error("refused");
    expect(matched.events).toHaveLength(1);
    expect(matched.events[0]).toMatchObject({ data: { participant: { organisationId: "oA", organisation: "Hội A", guest: false } } });
    expect(add(state, { organisationId: "nope" })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(add(state, { organisation: "Hội Lạ", representative: true })).toMatchObject({ ok: false, error: { code: "invalid" } });
  });
});

describe("a state stored before the roster", () => {
  it("gets organisations from the names its participants typed, everyone on theirs", () => {
    const old = withParticipants(emptyConference(), []);
    const { organisations: _o, ...rest } = old;
    const legacy = {
      ...rest,
      participants: [
        { ...participant("a", "delegate"), organisation: "Hội A", organisationId: undefined, representative: undefined, guest: undefined },
        { ...participant("b", "delegate"), organisation: " hội  a", organisationId: undefined, representative: undefined, guest: undefined },
        { ...participant("c", "delegate"), organisation: "", organisationId: undefined, representative: undefined, guest: undefined },
      ],
    } as unknown as ConferenceState;
    const upgraded = upgradeState(legacy);
    expect(upgraded.organisations).toEqual([{ id: "org-1", name: "Hội A", shortName: "", cluster: null, source: "participant" }]);
    expect(upgraded.participants.map((p) => [p.organisationId, p.organisation, p.representative, p.guest])).toEqual([
      ["org-1", "Hội A", false, false],
      ["org-1", "Hội A", false, false],
      [null, "", false, false],
    ]);
    expect(upgradeState(upgraded)).toBe(upgraded);
  });
});
