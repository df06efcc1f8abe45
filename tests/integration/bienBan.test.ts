import JSZip from "jszip";
import { SaxesParser } from "saxes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMinutes, roundTrip } from "../support/minutesClient.ts";
import { addParticipant, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";
import * as Y from "yjs";

/**
 * The biên bản as Decree 30/2020/ND-CP form 1.9 sets it out, from a meeting played over the real
 * server: each element, in order, with the meeting's own date, city, times and names.
 */
let srv: TestServer;
let conf: Conference;
let xml = "";
let headerXml = "";
let paragraphs: string[] = [];
let started = 0;
let ended = 0;

/** Paragraph texts of a document.xml, read with a real XML parser (entities decoded). */
function paragraphsOf(source: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let inText = false;
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    if (tag.name === "w:p") current = "";
    if (tag.name === "w:t") inText = true;
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "w:t") inText = false;
    if (tag.name === "w:p" && current !== null) {
      out.push(current);
      current = null;
    }
  });
  parser.on("text", (text) => {
    if (inText && current !== null) current += text;
  });
  parser.write(source).close();
  return out;
}

const hanoi = (at: number) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return parts as Record<"day" | "month" | "year" | "hour" | "minute", string>;
};

beforeAll(async () => {
  srv = await startServer();
  conf = await createConference(srv.url, {
    title: "Hội nghị giao ban các hội ngành toàn quốc năm 2023",
    organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
    parentOrganisation: "Đảng đoàn Liên hiệp Hội Việt Nam",
    shortName: "LHHVN",
    city: "Hà Nội",
    venue: "Hội trường Liên hiệp Hội, 53 Nguyễn Du",
    chairName: "Phan Xuân Dũng",
  });
  const secretaryOne = await addParticipant(srv.url, conf, { name: "Nguyễn Thị Thư", role: "secretary", organisation: "Văn phòng" });
  const secretaryTwo = await addParticipant(srv.url, conf, { name: "Trần Văn Ký", role: "secretary", organisation: "Văn phòng" });
  const hall = await addParticipant(srv.url, conf, { name: "Phạm Hữu Duệ", role: "delegate", organisation: "Tổng hội Xây dựng Việt Nam", attendance: "hall" });
  const online = await addParticipant(srv.url, conf, { name: "Lê Công Lương", role: "delegate", organisation: "Hội Cơ học Việt Nam", attendance: "online" });
  await addParticipant(srv.url, conf, { name: "Vắng Mặt", role: "delegate", organisation: "Hội Tin học Việt Nam" });
  const chair = await TestClient.connect(srv.url, conf.chairToken);
  const voter = await TestClient.connect(srv.url, online.token);
  await chair.must({ type: "conference.start" });
  started = (await chair.sync() as { ok: true; state: { conference: { startedAt: number } } }).state.conference.startedAt;
  await chair.must({ type: "participants.checkIn", participantId: hall.id });
  await chair.must({ type: "participants.checkIn", participantId: secretaryOne.id });
  await chair.must({ type: "minutes.setSigner", participantId: secretaryTwo.id });
  const first = (await chair.must({ type: "polls.create", question: "Thông qua đề án thành lập các cụm hoạt động" })).id as string;
  const second = (await chair.must({ type: "polls.create", question: "Thông qua quy chế phối hợp" })).id as string;
  for (const pollId of [first, second]) {
    await chair.must({ type: "polls.open", pollId });
    await voter.must({ type: "polls.vote", pollId, optionId: "yes" });
    await chair.must({ type: "polls.close", pollId });
  }
  await chair.must({ type: "conference.end" });
  ended = (await chair.sync() as { ok: true; state: { conference: { endedAt: number } } }).state.conference.endedAt;
  voter.close();
  chair.close();
  // The secretaries inserted the first poll's record themselves: the export must not repeat it.
  const writer = await connectMinutes(srv.url, conf.id, secretaryOne.token);
  const fragment = writer.doc.getXmlFragment("minutes");
  writer.doc.transact(() => {
    for (const line of ["Đồng chí Phan Xuân Dũng phát biểu khai mạc.", "Kết quả biểu quyết: Thông qua đề án thành lập các cụm hoạt động", "Tán thành: 2"]) {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(line)]);
      fragment.push([p]);
    }
  });
  await roundTrip(writer);
  writer.close();
  const response = await fetch(`${srv.url}/api/conferences/${conf.id}/minutes.docx`, { headers: { authorization: `Bearer ${secretaryOne.token}` } });
  expect(response.status).toBe(200);
  const zip = await JSZip.loadAsync(await response.arrayBuffer());
  xml = await zip.file("word/document.xml")!.async("string");
  const headers = Object.keys(zip.files).filter((name) => /^word\/header\d*\.xml$/.test(name));
  headerXml = (await Promise.all(headers.map((name) => zip.file(name)!.async("string")))).join("\n");
  paragraphs = paragraphsOf(xml).filter((p) => p.trim() !== "");
});
afterAll(() => srv.dispose());

describe("the biên bản (form 1.9)", () => {
  it("has each element of the form, in order, with the meeting's own facts", () => {
    const s = hanoi(started);
    const e = hanoi(ended);
    const expected: (string | RegExp)[] = [
      "ĐẢNG ĐOÀN LIÊN HIỆP HỘI VIỆT NAM",
      "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM",
      "Số: ....../BB-LHHVN",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      `Hà Nội, ngày ${s.day} tháng ${s.month} năm ${s.year}`,
      "BIÊN BẢN",
      "Hội nghị giao ban các hội ngành toàn quốc năm 2023",
      `Thời gian bắt đầu: ${s.hour} giờ ${s.minute}, ngày ${s.day} tháng ${s.month} năm ${s.year}`,
      "Địa điểm: Hội trường Liên hiệp Hội, 53 Nguyễn Du",
      "Hình thức: trực tiếp tại hội trường kết hợp trực tuyến",
      "Chủ tọa: Phan Xuân Dũng",
      "Thư ký: Trần Văn Ký (Văn phòng); Nguyễn Thị Thư (Văn phòng)",
      /^Thành phần tham dự: Có mặt: 4 người \(tại hội trường: 3; trực tuyến: 1\); vắng mặt: 2 người\.$/,
      "Tại hội trường (3): ",
      "– Tổng hội Xây dựng Việt Nam: Phạm Hữu Duệ",
      "Trực tuyến (1): ",
      "– Hội Cơ học Việt Nam: Lê Công Lương",
      "Vắng mặt (2): ",
      "– Văn phòng: Trần Văn Ký",
      "– Hội Tin học Việt Nam: Vắng Mặt",
      "NỘI DUNG HỘI NGHỊ",
      "Đồng chí Phan Xuân Dũng phát biểu khai mạc.",
      "KẾT QUẢ BIỂU QUYẾT",
      "1. Thông qua quy chế phối hợp",
      /^Thông qua: 1\/3 đại biểu có mặt tán thành \(33,3\s?%\), nhiều hơn số không tán thành$/,
      `Hội nghị kết thúc lúc ${e.hour} giờ ${e.minute}, ngày ${e.day} tháng ${e.month} năm ${e.year}.`,
      "THƯ KÝ",
      "Trần Văn Ký",
      "Nơi nhận:",
      "- Lưu: VT, LHHVN.",
    ];
    let at = 0;
    for (const item of expected) {
      const found = paragraphs.findIndex((p, i) => i >= at && (typeof item === "string" ? p.trim() === item.trim() : item.test(p)));
      expect(found, `"${String(item)}" after paragraph ${at} (${JSON.stringify(paragraphs[at])})`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(paragraphs).toContain("CHỦ TỌA");
    expect(paragraphs).toContain("Phan Xuân Dũng");
  });

  it("says nothing twice and nothing it does not know: one result per poll, one closing line, no export day, no 'no organisation'", () => {
    expect(paragraphs.filter((p) => p.includes("Thông qua đề án thành lập các cụm hoạt động"))).toHaveLength(1);
    expect(paragraphs.filter((p) => p.startsWith("Hội nghị kết thúc lúc"))).toHaveLength(1);
    expect(paragraphs.join("\n")).not.toMatch(/Không thuộc tổ chức|BB-\s*$/m);
    const exportDay = hanoi(Date.now());
    if (exportDay.day !== hanoi(started).day) expect(paragraphs.join("\n")).not.toContain(`ngày ${exportDay.day} tháng ${exportDay.month}`);
  });

  it("numbers its pages from the second, at the top centre", () => {
    expect(xml).toContain("w:titlePg");
    expect(headerXml).toMatch(/PAGE/);
  });

  it("is in the conference's time zone when it is another", async () => {
    await api(srv.url, `/api/conferences/${conf.id}`, { method: "PATCH", token: conf.chairToken, body: { timeZone: "UTC" } });
    const response = await fetch(`${srv.url}/api/conferences/${conf.id}/minutes.docx`, { headers: { authorization: `Bearer ${conf.chairToken}` } });
    const text = paragraphsOf(await (await JSZip.loadAsync(await response.arrayBuffer())).file("word/document.xml")!.async("string")).join("\n");
    const utc = new Date(started);
    expect(text).toContain(`Thời gian bắt đầu: ${String(utc.getUTCHours()).padStart(2, "0")} giờ ${String(utc.getUTCMinutes()).padStart(2, "0")}`);
  });
});
