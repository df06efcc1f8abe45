import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportPreview, ImportResult, IssuedTokens } from "../../shared/commands.ts";
import type { Organisation } from "../../shared/state.ts";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

let srv: TestServer;
let conf: Conference;
let chair: TestClient;
const CSV = "text/csv";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const path = (rest = "") => `/api/conferences/${conf.id}${rest}`;
const asChair = (rest: string, init: Parameters<typeof api>[2] = {}) => api(srv.url, path(rest), { token: conf.chairToken, ...init });
const importFile = (file: string | Uint8Array, options: { dryRun?: boolean; contentType?: string; token?: string } = {}) =>
  api(srv.url, path(`/participants/import${options.dryRun ? "?dryRun=1" : ""}`), {
    token: options.token ?? conf.chairToken,
    rawBody: file,
    contentType: options.contentType ?? CSV,
  });

async function state(client: TestClient = chair) {
  const synced = await client.sync();
  if (!synced.ok) throw new Error("sync refused");
  return synced.state;
}

/** A minimal XLSX workbook (inline strings) built with JSZip: what Excel or LibreOffice would save, without the styles. */
async function workbook(rows: string[][], zip = new JSZip()): Promise<Uint8Array> {
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const column = (i: number) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map((cells, r) => `<row r="${r + 1}">${cells.map((c, i) => `<c r="${column(i)}${r + 1}" t="inlineStr"><is><t>${escape(c)}</t></is></c>`).join("")}</row>`)
    .join("");
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    "xl/workbook.xml",
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.file(
    "xl/_rels/workbook.xml.rels",
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  );
  zip.file("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, { title: "Hội nghị giao ban các hội ngành toàn quốc" });
  chair = await TestClient.connect(srv.url, conf.chairToken);
});
afterAll(async () => {
  chair?.close();
  await srv.dispose();
});

describe("organisations", () => {
  let xayDung = "";

  it("POST adds one (201 {id}); the same name in another case, spacing or Unicode form is 409; the snapshot lists it", async () => {
    const added = await asChair("/organisations", { body: { name: "Tổng hội Xây dựng Việt Nam", shortName: "THXD", cluster: "Hội ngành" } });
    expect(added.status).toBe(201);
    expect(Object.keys(added.body)).toEqual(["id"]);
    xayDung = added.body.id;
    for (const name of ["  tổng hội   XÂY DỰNG việt nam ", "Tổng hội Xây dựng Việt Nam".normalize("NFD")]) {
      const again = await asChair("/organisations", { body: { name } });
      expect(again.status, name).toBe(409);
      expect(again.body.error.code).toBe("conflict");
    }
    const snapshot = await state();
    expect(snapshot.organisations).toEqual([{ id: xayDung, name: "Tổng hội Xây dựng Việt Nam", shortName: "THXD", cluster: "Hội ngành", source: "roster" }]);
    expect(snapshot.attendance).toMatchObject({ organisations: 1, organisationsPresent: 0 });
    // Public, for the join page.
    const listed = await api<Organisation[]>(srv.url, path("/organisations"));
    expect(listed.body.map((o) => o.name)).toEqual(["Tổng hội Xây dựng Việt Nam"]);
  });

  it("only a chair; a bad body is 400; an unknown id 404", async () => {
    const secretary = await addParticipant(srv.url, conf, { name: "Thư ký", role: "secretary" });
    expect((await api(srv.url, path("/organisations"), { token: secretary.token, body: { name: "Hội X" } })).status).toBe(403);
    expect((await api(srv.url, path("/organisations"), { body: { name: "Hội X" } })).status).toBe(401);
    expect((await asChair("/organisations", { body: { name: "" } })).status).toBe(400);
    expect((await asChair("/organisations", { body: { name: "Hội X", members: 3 } })).status).toBe(400);
    expect((await asChair("/organisations/nope", { method: "PATCH", body: { name: "Hội Y" } })).status).toBe(404);
  });

  it("a chair adding someone with a name on the roster puts them on it; a new name joins the roster", async () => {
    const member = await addParticipant(srv.url, conf, { name: "Phạm Văn A", role: "delegate", organisation: "TỔNG HỘI XÂY DỰNG VIỆT NAM" });
    const other = await addParticipant(srv.url, conf, { name: "Lê Thị B", role: "delegate", organisation: "Hội Cơ học Việt Nam" });
    const snapshot = await state();
    const a = snapshot.participants.find((p) => p.id === member.id)!;
    const b = snapshot.participants.find((p) => p.id === other.id)!;
    expect(a).toMatchObject({ organisationId: xayDung, organisation: "Tổng hội Xây dựng Việt Nam", representative: false, guest: false });
    const coHoc = snapshot.organisations.find((o) => o.name === "Hội Cơ học Việt Nam")!;
    expect(coHoc).toMatchObject({ source: "participant", cluster: null });
    expect(b.organisationId).toBe(coHoc.id);
    expect((await asChair("/participants", { body: { name: "C", role: "delegate", organisationId: "nope" } })).status).toBe(400);
    expect((await asChair("/participants", { body: { name: "C", role: "delegate", organisationId: xayDung, organisation: "X" } })).status).toBe(400);
  });

  it("PATCH renames (409 for another's name) and every member shows the new name", async () => {
    const renamed = await asChair(`/organisations/${xayDung}`, { method: "PATCH", body: { name: "Tổng hội Xây dựng VN", cluster: null } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: xayDung, name: "Tổng hội Xây dựng VN", cluster: null });
    const snapshot = await state();
    expect(snapshot.participants.filter((p) => p.organisationId === xayDung).map((p) => p.organisation)).toEqual(["Tổng hội Xây dựng VN"]);
    expect((await asChair(`/organisations/${xayDung}`, { method: "PATCH", body: { name: "hội cơ học việt nam" } })).status).toBe(409);
  });
});

describe("joining with the roster", () => {
  const join = (body: Record<string, unknown>) => api(srv.url, path("/join"), { body: { joinCode: conf.joinCode, attendance: "online", ...body } });

  it("by organisationId: a voting delegate of that organisation", async () => {
    const xayDung = (await state()).organisations.find((o) => o.shortName === "THXD")!;
    const joined = await join({ name: "Nguyễn Văn Dũng", organisationId: xayDung.id });
    expect(joined.status).toBe(201);
    const client = await TestClient.connect(srv.url, joined.body.token);
    expect(client.snapshot!.me).toMatchObject({ role: "delegate", voting: true, organisationId: xayDung.id, organisation: xayDung.name });
    client.close();
    expect((await join({ name: "X", organisationId: "nope" })).status).toBe(400);
  });

  it("a name not on the roster makes a guest: a delegate on no organisation who does not vote", async () => {
    const joined = await join({ name: "Trần Khách", organisation: "Báo Khoa học và Đời sống" });
    expect(joined.status).toBe(201);
    const client = await TestClient.connect(srv.url, joined.body.token);
    expect(client.snapshot!.me).toMatchObject({ role: "delegate", voting: false, organisationId: null, organisation: "Báo Khoa học và Đời sống" });
    expect(client.snapshot!.organisations.some((o) => o.name === "Báo Khoa học và Đời sống")).toBe(false);
    // A chair puts the guest on an organisation: a member who votes.
    const coHoc = client.snapshot!.organisations.find((o) => o.name === "Hội Cơ học Việt Nam")!;
    const patched = await asChair(`/participants/${joined.body.id}`, { method: "PATCH", body: { organisationId: coHoc.id } });
    expect(patched.body).toMatchObject({ organisationId: coHoc.id, organisation: "Hội Cơ học Việt Nam", guest: false });
    client.close();
  });

  it("with open registration, a new name joins the roster (source: join)", async () => {
    expect((await asChair("", { method: "PATCH", body: { openRegistration: true } })).body).toMatchObject({ openRegistration: true });
    const joined = await join({ name: "Đỗ Mới", organisation: "Hội Tin học Việt Nam" });
    const snapshot = await state();
    const tinHoc = snapshot.organisations.find((o) => o.name === "Hội Tin học Việt Nam")!;
    expect(tinHoc.source).toBe("join");
    expect(snapshot.participants.find((p) => p.id === joined.body.id)).toMatchObject({ organisationId: tinHoc.id, guest: false });
    await asChair("", { method: "PATCH", body: { openRegistration: false } });
  });
});

describe("representatives", () => {
  it("one per organisation: naming another takes over; without an organisation or a vote it is 400", async () => {
    const { organisations } = await state();
    const coHoc = organisations.find((o) => o.name === "Hội Cơ học Việt Nam")!;
    const first = await addParticipant(srv.url, conf, { name: "Trưởng đoàn 1", role: "delegate", organisationId: coHoc.id, representative: true });
    const second = await addParticipant(srv.url, conf, { name: "Trưởng đoàn 2", role: "delegate", organisationId: coHoc.id });
    expect((await asChair(`/participants/${second.id}`, { method: "PATCH", body: { representative: true } })).body).toMatchObject({ representative: true });
    const after = await state();
    const reps = after.participants.filter((p) => p.organisationId === coHoc.id && p.representative).map((p) => p.id);
    expect(reps).toEqual([second.id]);
    expect(after.participants.find((p) => p.id === first.id)!.representative).toBe(false);
    const alone = await addParticipant(srv.url, conf, { name: "Một mình", role: "delegate" });
    expect((await asChair(`/participants/${alone.id}`, { method: "PATCH", body: { representative: true } })).status).toBe(400);
    const observer = await addParticipant(srv.url, conf, { name: "Quan sát", role: "observer", organisationId: coHoc.id });
    expect((await asChair(`/participants/${observer.id}`, { method: "PATCH", body: { representative: true } })).status).toBe(400);
    // Moving to another organisation ends it.
    const xayDung = after.organisations.find((o) => o.shortName === "THXD")!;
    expect((await asChair(`/participants/${second.id}`, { method: "PATCH", body: { organisationId: xayDung.id } })).body).toMatchObject({ representative: false, organisationId: xayDung.id });
  });
});

describe("import", () => {
  const header = "Họ và tên;Đơn vị;Vai trò;Hình thức;Trưởng đoàn;Cụm";

  it("dry run: every row with its errors, in the conference's language; nothing changes", async () => {
    const before = await state();
    const file = `\uFEFF${header}\r\nNguyễn Thị Hoa;Liên hiệp hội tỉnh Bắc Ninh;Đại biểu;Trực tuyến;x;Đồng bằng sông Hồng\r\n;Liên hiệp hội tỉnh Hà Nam;;;;\r\nLê Văn Nam;Liên hiệp hội tỉnh Bắc Ninh;Phóng viên;Ở nhà;có;Miền núi\r\n"Trần, Quang";"Liên hiệp hội tỉnh Hà Nam";delegate;hall;;\r\n`;
    const preview = await importFile(file, { dryRun: true });
    expect(preview.status).toBe(200);
    const rows = (preview.body as ImportPreview).rows;
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ name: "Nguyễn Thị Hoa", organisation: "Liên hiệp hội tỉnh Bắc Ninh", role: "delegate", attendance: "online", representative: true, cluster: "Đồng bằng sông Hồng", errors: [] });
    expect(rows[1]!.errors).toEqual(["Thiếu họ và tên"]);
    expect(rows[2]!.errors).toHaveLength(4); // role, attendance, a second representative, another cluster
    expect(rows[2]!.errors.join(" ")).toContain("Phóng viên");
    expect(rows[3]).toMatchObject({ name: "Trần, Quang", attendance: "hall", errors: [] });
    const after = await state();
    expect(after.participants).toHaveLength(before.participants.length);
    expect(after.organisations).toHaveLength(before.organisations.length);
    expect(after.seq).toBe(before.seq);
  });

  it("one bad row blocks them all: 400 invalid with the rows, nothing added", async () => {
    const before = await state();
    const refused = await importFile(`name,organisation,role\nGood Person,Hội A,delegate\nBad Person,Hội A,king\n`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid");
    expect(refused.body.rows[1].errors).toHaveLength(1);
    expect((await state()).participants).toHaveLength(before.participants.length);
  });

  it("what is wrong with the file says which: unknown columns, no name column, not UTF-8, not a workbook, too big, wrong type", async () => {
    const unknown = await importFile("Họ và tên,Email\nA,a@b.c\n");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("Email");
    expect((await importFile("Đơn vị\nHội A\n")).body.error.message).toContain("name");
    const latin1 = new Uint8Array([...Buffer.from("name\n"), 0x4e, 0x67, 0x75, 0x79, 0xea, 0x6e, 0x0a]);
    expect((await importFile(latin1)).body.error.message).toContain("UTF-8");
    expect((await importFile("not a zip at all", { contentType: XLSX })).body.error.message).toContain("XLSX");
    expect((await importFile("name\nA\n", { contentType: "application/pdf" })).status).toBe(400);
    expect((await importFile("")).status).toBe(400);
    expect((await importFile("name\n")).body.error.message).toContain("no rows");
    const huge = await importFile(`name\n${"x".repeat(3 * 1024 * 1024)}\n`);
    expect(huge.status).toBe(413);
    const secretary = await addParticipant(srv.url, conf, { name: "Thư ký 2", role: "secretary" });
    expect((await importFile("name\nA\n", { token: secretary.token })).status).toBe(403);
  });

  it("500 rows in one change, with their organisations and links; the server takes well under a second", async () => {
    const before = await state();
    const lines = [header];
    for (let i = 0; i < 500; i++) lines.push(`Đại biểu số ${i};Liên hiệp hội tỉnh ${i % 63};Đại biểu;${i % 2 ? "Trực tuyến" : "Tại hội trường"};${i < 63 ? "x" : ""};Cụm ${(i % 63) % 7}`);
    const started = performance.now();
    const imported = await importFile(lines.join("\n"));
    const elapsed = performance.now() - started;
    expect(imported.status).toBe(201);
    const result = imported.body as ImportResult;
    expect(result.added).toBe(500);
    expect(result.participants[0]).toEqual({ id: expect.any(String), name: "Đại biểu số 0", token: expect.any(String), url: expect.stringContaining(result.participants[0]!.token) });
    console.log(`import of 500 rows: ${elapsed.toFixed(0)} ms round trip`);
    const after = await state();
    expect(after.participants).toHaveLength(before.participants.length + 500);
    const provinces = after.organisations.filter((o) => o.name.startsWith("Liên hiệp hội tỉnh "));
    expect(provinces).toHaveLength(63);
    expect(provinces.every((o) => o.source === "roster" && o.cluster?.startsWith("Cụm "))).toBe(true);
    expect(after.participants.filter((p) => p.representative && provinces.some((o) => o.id === p.organisationId))).toHaveLength(63);
    // One change: the seq moved by the events of one write, and every link works.
    const someone = await TestClient.connect(srv.url, result.participants[499]!.token);
    expect(someone.snapshot!.me).toMatchObject({ name: "Đại biểu số 499", voting: true });
    someone.close();
    // Importing the same file again: every row is already on the roster.
    const again = await importFile(lines.join("\n"), { dryRun: true });
    expect((again.body as ImportPreview).rows.every((r) => r.errors.includes("Đã có trong danh sách"))).toBe(true);
  });

  it("an XLSX workbook's first sheet, the same rules", async () => {
    const file = await workbook([
      ["Name", "Organisation", "Role", "Attendance"],
      ["Hoàng Thị Lan", "Hội Hóa học Việt Nam", "Delegate", "Online"],
      ["Vũ Minh", "Hội Hóa học Việt Nam", "Khách mời", ""],
    ]);
    const preview = await importFile(file, { dryRun: true, contentType: XLSX });
    expect(preview.status).toBe(200);
    expect((preview.body as ImportPreview).rows).toMatchObject([
      { line: 2, name: "Hoàng Thị Lan", role: "delegate", attendance: "online", errors: [] },
      { line: 3, name: "Vũ Minh", role: "observer", attendance: "hall", errors: [] },
    ]);
    const imported = await importFile(file, { contentType: XLSX });
    expect(imported.status).toBe(201);
    expect((imported.body as ImportResult).added).toBe(2);
  });

  it("a workbook whose directory claims more than it may unpack is refused before anything is unpacked", async () => {
    const zip = new JSZip();
    // 40 MB of one letter compresses to some 40 KB: a small file that unpacks big.
    zip.file("xl/sharedStrings.xml", "a".repeat(40 * 1024 * 1024));
    const bomb = await workbook([["name"], ["A"]], zip);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const refused = await importFile(bomb, { contentType: XLSX });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("unpacks");
    expect((await api(srv.url, "/api/health")).status).toBe(200);
  });
});

describe("export, links and who a token is", () => {
  it("GET participants.csv: the import's columns and the status, which imports again", async () => {
    const secretary = await addParticipant(srv.url, conf, { name: "Thư ký 3", role: "secretary" });
    const response = await fetch(`${srv.url}${path("/participants.csv")}`, { headers: { authorization: `Bearer ${secretary.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM by which Excel knows UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("Họ và tên,Đơn vị,Vai trò,Hình thức,Trưởng đoàn,Cụm,Trạng thái\r\n")).toBe(true);
    expect(text).toContain("Nguyễn Văn Dũng,Tổng hội Xây dựng VN,Đại biểu,Trực tuyến,,,Có mặt trực tuyến");
    const again = await importFile(text, { dryRun: true });
    expect(again.status).toBe(200);
    expect((again.body as ImportPreview).rows.every((r) => r.errors.length > 0 && r.errors.includes("Đã có trong danh sách"))).toBe(true);
    // A cell that a spreadsheet would run as a formula goes out quoted, and comes back as it was.
    const formula = await addParticipant(srv.url, conf, { name: "=HYPERLINK(\"x\")", role: "delegate" });
    const quoted = await (await fetch(`${srv.url}${path("/participants.csv")}`, { headers: { authorization: `Bearer ${secretary.token}` } })).text();
    expect(quoted).toContain(`"'=HYPERLINK(""x"")"`);
    const back = (await importFile(quoted, { dryRun: true })).body as ImportPreview;
    expect(back.rows.find((r) => r.name.includes("HYPERLINK"))).toMatchObject({ name: "=HYPERLINK(\"x\")", errors: ["Đã có trong danh sách"] });
    await asChair(`/participants/${formula.id}`, { method: "DELETE" });
    const delegate = await addParticipant(srv.url, conf, { name: "Đại biểu X", role: "delegate" });
    expect((await api(srv.url, path("/participants.csv"), { token: delegate.token })).status).toBe(403);
  });

  it("GET /me answers who a token is, and 401 once it is re-issued; many links at once revoke the old ones", async () => {
    const a = await addParticipant(srv.url, conf, { name: "Người A", role: "delegate" });
    const b = await addParticipant(srv.url, conf, { name: "Người B", role: "delegate" });
    expect((await api(srv.url, path("/me"), { token: a.token })).body).toMatchObject({ id: a.id, name: "Người A" });
    const live = await TestClient.connect(srv.url, a.token);
    const gone = new Promise((resolve) => live.socket.once("disconnect", resolve));
    const issued = await asChair("/participants/tokens", { body: { participantIds: [a.id, b.id, "nobody"] } });
    expect(issued.status).toBe(201);
    const answer = issued.body as IssuedTokens;
    expect(answer.tokens.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(answer.refused).toEqual([{ id: "nobody", code: "not_found", message: expect.any(String) }]);
    await gone;
    expect((await api(srv.url, path("/me"), { token: a.token })).status).toBe(401);
    expect((await api(srv.url, path("/me"), { token: b.token })).status).toBe(401);
    const fresh = answer.tokens.find((t) => t.id === a.id)!;
    expect((await api(srv.url, path("/me"), { token: fresh.token })).body).toMatchObject({ id: a.id });
    expect(fresh.url).toContain(fresh.token);
  });

  it("organisations present count once a member connects", async () => {
    const { attendance, organisations } = await state();
    const xayDung = organisations.find((o) => o.shortName === "THXD")!;
    const member = await addParticipant(srv.url, conf, { name: "Có mặt", role: "delegate", organisationId: xayDung.id });
    const before = attendance.organisationsPresent;
    const client = await TestClient.connect(srv.url, member.token);
    const counted = await state();
    expect(counted.attendance.organisationsPresent).toBeGreaterThanOrEqual(before);
    expect(counted.participants.find((p) => p.id === member.id)!.checkedInAt).not.toBeNull();
    expect(counted.attendance.organisations).toBe(counted.organisations.length);
    client.close();
  });
});
