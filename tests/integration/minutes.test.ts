import { appendFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import JSZip from "jszip";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MINUTES_LOG } from "../../server/minutes/sync/MinutesStore.ts";
import { connectMinutes, roundTrip, upgradeStatus, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, shareMinutes, api, createConference, startServer, TestClient, type Conference, type TestServer } from "../support/server.ts";

/** Resolves when `condition` holds, checking every few ms until `timeoutMs` (for state without an event). */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const open: MinutesClient[] = [];
const servers: TestServer[] = [];

/** A synced minutes client whose `text()` is the plain text, closed after each test. */
async function connect(server: TestServer, conferenceId: string, token: string, options: { reader?: boolean } = {}): Promise<MinutesClient> {
  const client = await connectMinutes(server.url, conferenceId, token, options);
  open.push(client);
  return { ...client, text: client.plainText };
}

/** Appends a paragraph (or heading) with plain text, as the editor would. */
function typeParagraph(doc: Y.Doc, text: string, nodeName = "paragraph", attrs: Record<string, string | number> = {}): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment("minutes");
    const element = new Y.XmlElement(nodeName);
    for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
    const content = new Y.XmlText();
    content.insert(0, text);
    element.insert(0, [content]);
    fragment.insert(fragment.length, [element]);
  });
}


/** The HTTP status with which the server refuses (or 101 accepts) a websocket upgrade. */
function serverUpgradeStatus(server: TestServer, path: string): Promise<number> {
  return upgradeStatus(`${server.url}${path}`);
}

async function setup(options: { dataDir?: string; language?: "vi" | "en"; title?: string } = {}) {
  const server = await startServer(options.dataDir ? { dataDir: options.dataDir } : {});
  servers.push(server);
  const conference = await createConference(server.url, {
    title: options.title ?? "Hội nghị giao ban quý IV",
    organisation: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
    venue: "Hà Nội (trực tiếp và trực tuyến)",
    language: options.language ?? "vi",
  });
  await shareMinutes(server.url, conference);
  const secretary1 = await addParticipant(server.url, conference, { name: "Nguyễn Thị Thư", role: "secretary", organisation: "Văn phòng" });
  const secretary2 = await addParticipant(server.url, conference, { name: "Trần Văn Ký", role: "secretary", organisation: "Văn phòng" });
  const delegate = await addParticipant(server.url, conference, { name: "Lê Đại Biểu", role: "delegate", organisation: "Liên hiệp Hội Nghệ An" });
  return { server, conference, secretary1, secretary2, delegate };
}

afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.dispose();
});

describe("minutes over y-websocket", () => {
  it("carries one secretary's typing to another", async () => {
    const { server, conference, secretary1, secretary2 } = await setup();
    const a = await connect(server, conference.id, secretary1.token);
    const b = await connect(server, conference.id, secretary2.token);
    typeParagraph(a.doc, "Khai mạc hội nghị lúc 8 giờ 30.");
    await until(() => b.text().includes("Khai mạc hội nghị"), "the second secretary to see the text");
    typeParagraph(b.doc, "Đồng chí Chủ tịch phát biểu khai mạc.");
    await until(() => a.text().includes("phát biểu khai mạc"), "the first secretary to see the reply");
    expect(a.text()).toBe(b.text());
  });

  it("relays writers' cursors to writers", async () => {
    const { server, conference, secretary1, secretary2 } = await setup();
    const a = await connect(server, conference.id, secretary1.token);
    const b = await connect(server, conference.id, secretary2.token);
    a.provider.awareness.setLocalStateField("user", { name: "Nguyễn Thị Thư", color: "#0b3d91" });
    await until(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === "Nguyễn Thị Thư", "the cursor's name");
  });

  it("discards a delegate's changes and awareness, and sends readers no awareness", async () => {
    const { server, conference, secretary1, secretary2, delegate } = await setup();
    const secretary = await connect(server, conference.id, secretary1.token);
    secretary.provider.awareness.setLocalStateField("user", { name: "Thư ký" });
    typeParagraph(secretary.doc, "Nội dung chính thức.");
    const reader = await connect(server, conference.id, delegate.token);
    await until(() => reader.text().includes("Nội dung chính thức."), "the delegate to read the minutes");

    // A forged edit and a forged cursor from the reader's side.
    typeParagraph(reader.doc, "Sửa trái phép của đại biểu.");
    reader.provider.awareness.setLocalStateField("user", { name: "Đại biểu" });
    await roundTrip(reader);

    // The server handled both and kept neither: a fresh writer sees only the official text.
    const fresh = await connect(server, conference.id, secretary2.token);
    expect(fresh.text()).toBe("Nội dung chính thức.");
    await roundTrip(secretary);
    expect(secretary.text()).toBe("Nội dung chính thức.");
    expect(secretary.provider.awareness.getStates().has(reader.doc.clientID)).toBe(false);
    expect(fresh.provider.awareness.getStates().has(reader.doc.clientID)).toBe(false);
    // The writer's cursor reached the other writer but not the reader.
    await until(() => fresh.provider.awareness.getStates().has(secretary.doc.clientID), "the writer's cursor at the other writer");
    await roundTrip(reader);
    expect(reader.provider.awareness.getStates().has(secretary.doc.clientID)).toBe(false);
    // And nothing of it is on disk.
    await server.stop();
    const log = await readFile(join(server.dataDir, "conferences", conference.id, MINUTES_LOG)).catch(() => Buffer.alloc(0));
    expect(log.includes(Buffer.from("trái phép"))).toBe(false);
  });

  it("refuses bad tokens with 401 and unknown conferences with 404", async () => {
    const { server, conference } = await setup();
    const other = await createConference(server.url, { title: "Hội nghị khác" });
    expect(await serverUpgradeStatus(server, `/yjs/${conference.id}`)).toBe(401);
    expect(await serverUpgradeStatus(server, `/yjs/${conference.id}?token=not-a-token`)).toBe(401);
    expect(await serverUpgradeStatus(server, `/yjs/${conference.id}?token=${other.chairToken}`)).toBe(401);
    expect(await serverUpgradeStatus(server, `/yjs/no-such-conference?token=${conference.chairToken}`)).toBe(404);
    expect(await serverUpgradeStatus(server, `/yjs/%E0%A4%A?token=${conference.chairToken}`)).toBe(404);
    expect(await serverUpgradeStatus(server, `/yjs/${conference.id}/extra?token=${conference.chairToken}`)).toBe(404);
    expect(await serverUpgradeStatus(server, `/yjs/${conference.id}?token=${conference.chairToken}`)).toBe(101);
    // Socket.IO still upgrades on the same port.
    const client = await TestClient.connect(server.url, conference.chairToken);
    expect(client.snapshot?.conference.id).toBe(conference.id);
    client.close();
  });

  it("keeps the minutes across a restart on the same data directory", async () => {
    const first = await setup();
    const a = await connect(first.server, first.conference.id, first.secretary1.token);
    const b = await connect(first.server, first.conference.id, first.secretary2.token);
    typeParagraph(a.doc, "Phần một.");
    typeParagraph(a.doc, "Phần hai.");
    await until(() => b.text() === "Phần một.\nPhần hai.", "the text at the other secretary");
    a.close();
    b.close();
    await first.server.stop();

    const again = await startServer({ dataDir: first.server.dataDir });
    servers.push(again);
    const c = await connect(again, first.conference.id, first.secretary1.token);
    expect(c.text()).toBe("Phần một.\nPhần hai.");
  });

  it("tolerates a torn record at the end of the log, and appends after it", async () => {
    const first = await setup();
    const a = await connect(first.server, first.conference.id, first.secretary1.token);
    const b = await connect(first.server, first.conference.id, first.secretary2.token);
    typeParagraph(a.doc, "Trước sự cố.");
    await until(() => b.text() === "Trước sự cố.", "the text at the other secretary");
    // kill -9 in the middle of an append: the clients are still connected, so nothing was compacted.
    const logPath = join(first.server.dataDir, "conferences", first.conference.id, MINUTES_LOG);
    const before = (await stat(logPath)).size;
    expect(before).toBeGreaterThan(0);
    a.provider.disconnect();
    b.provider.disconnect();
    await first.server.stop();
    await appendFile(logPath, Buffer.from([0x40, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x01, 0x02]));

    const again = await startServer({ dataDir: first.server.dataDir });
    servers.push(again);
    const c = await connect(again, first.conference.id, first.secretary1.token);
    expect(c.text()).toBe("Trước sự cố.");
    typeParagraph(c.doc, "Sau sự cố.");
    const d = await connect(again, first.conference.id, first.secretary2.token);
    await until(() => d.text() === "Trước sự cố.\nSau sự cố.", "the new text at the other secretary");
    c.close();
    d.close();
    await again.stop();

    const third = await startServer({ dataDir: first.server.dataDir });
    servers.push(third);
    const e = await connect(third, first.conference.id, first.secretary1.token);
    expect(e.text()).toBe("Trước sự cố.\nSau sự cố.");
  });
});

describe("GET /api/conferences/:id/minutes.docx", () => {
  async function documentXml(server: TestServer, conference: Conference, token: string): Promise<{ xml: string; disposition: string | null }> {
    const response = await fetch(`${server.url}/api/conferences/${conference.id}/minutes.docx`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("wordprocessingml");
    const zip = await JSZip.loadAsync(await response.arrayBuffer());
    return { xml: await zip.file("word/document.xml")!.async("string"), disposition: response.headers.get("content-disposition") };
  }

  /** The text of a document.xml, one line per paragraph. */
  function paragraphsOf(xml: string): string[] {
    return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
      [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""),
    );
  }

  it("exports the official minutes with heading, attendance, text and votes", async () => {
    const { server, conference, secretary1 } = await setup();
    const noPhone = await addParticipant(server.url, conference, { name: "Phạm Hữu Duệ", role: "delegate", organisation: "Ban Tổ chức", attendance: "hall" });
    const online = await addParticipant(server.url, conference, { name: "Hoàng Trực Tuyến", role: "delegate", organisation: "Liên hiệp Hội Cà Mau", attendance: "online" });

    const chair = await TestClient.connect(server.url, conference.chairToken);
    const voter = await TestClient.connect(server.url, online.token);
    await chair.must({ type: "conference.start" });
    // In the hall without a phone, and a secretary at the desk: the chair checks them in.
    await chair.must({ type: "participants.checkIn", participantId: noPhone.id });
    await chair.must({ type: "participants.checkIn", participantId: secretary1.id });
    const { id: pollId } = (await chair.must({ type: "polls.create", question: "Thông qua đề án thành lập cụm hoạt động" })) as unknown as { id: string };
    await chair.must({ type: "polls.open", pollId });
    await voter.must({ type: "polls.vote", pollId, optionId: "yes" });
    await chair.must({ type: "polls.vote", pollId, optionId: "yes" });
    await chair.must({ type: "polls.close", pollId });
    await chair.must({ type: "conference.end" });
    chair.close();
    voter.close();

    const writer = await connect(server, conference.id, secretary1.token);
    typeParagraph(writer.doc, "Diễn biến hội nghị", "heading", { level: 2 });
    typeParagraph(writer.doc, "Các đại biểu thống nhất thành lập cụm <script>alert(1)</script>.");
    await roundTrip(writer);

    const { xml, disposition } = await documentXml(server, conference, secretary1.token);
    const text = paragraphsOf(xml).join("\n");
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain("LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT VIỆT NAM");
    expect(text).toMatch(/Hà Nội, ngày \d\d tháng \d\d năm \d{4}/);
    expect(text).toContain("BIÊN BẢN");
    expect(text).toContain("Hội nghị giao ban quý IV");
    expect(text).toContain("Thư ký: Nguyễn Thị Thư (Văn phòng); Trần Văn Ký (Văn phòng)");
    expect(text).toMatch(/Có mặt: 4 người \(tại hội trường: 3; trực tuyến: 1\)/);
    // never connected, never checked in
    expect(text).toContain("Vắng mặt (2)");
    expect(text).toContain("– Văn phòng: Trần Văn Ký");
    expect(text).toContain("– Liên hiệp Hội Nghệ An: Lê Đại Biểu");
    expect(text).toContain("– Liên hiệp Hội Cà Mau: Hoàng Trực Tuyến");
    expect(text).toContain("– Ban Tổ chức: Phạm Hữu Duệ");
    expect(text).toContain("Diễn biến hội nghị");
    // Markup in the text is text: escaped in the XML, literal in the document.
    expect(text).toContain("cụm &lt;script&gt;alert(1)&lt;/script&gt;.");
    expect(xml).not.toContain("<script>");
    expect(text).toContain("1. Thông qua đề án thành lập cụm hoạt động");
    expect(text).toMatch(/Thông qua: 2\/\d+ đại biểu có mặt tán thành \(\d+(,\d)?\s?%\), nhiều hơn số không tán thành/);
    expect(text).toContain("Tán thành 2, không tán thành 0, không biểu quyết 0");
    expect(text).toMatch(/Hội nghị kết thúc lúc \d\d giờ \d\d/);
    expect(text).toContain("THƯ KÝ");
    expect(text).toContain("CHỦ TỌA");
    expect(text).toContain("Nơi nhận:");
    expect(text).toContain("Số: ....../BB-");
    // A4 with the decree's margins, Times New Roman.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    expect(disposition).toMatch(/attachment; filename="bien-ban-\d{4}-\d\d-\d\d\.docx"/);
    const styles = await JSZip.loadAsync(await (await fetch(`${server.url}/api/conferences/${conference.id}/minutes.docx`, { headers: { authorization: `Bearer ${conference.chairToken}` } })).arrayBuffer());
    expect(await styles.file("word/styles.xml")!.async("string")).toContain("Times New Roman");
  });

  it("labels an English conference in English", async () => {
    const { server, conference } = await setup({ language: "en", title: "Quarterly <script>briefing</script>" });
    const { xml } = await documentXml(server, conference, conference.chairToken);
    const text = paragraphsOf(xml).join("\n");
    expect(text).toContain("MINUTES");
    expect(text).toContain("Quarterly &lt;script&gt;briefing&lt;/script&gt;");
    expect(text).not.toContain("CỘNG HÒA");
    expect(text).toContain("SECRETARY");
    expect(text).toContain("CHAIR");
  });

  it("answers 401 without a token and 403 to delegates", async () => {
    const { server, conference, delegate } = await setup();
    expect((await api(server.url, `/api/conferences/${conference.id}/minutes.docx`)).status).toBe(401);
    expect((await api(server.url, `/api/conferences/${conference.id}/minutes.docx`, { token: delegate.token })).status).toBe(403);
    expect((await api(server.url, `/api/conferences/nope/minutes.docx`, { token: delegate.token })).status).toBe(404);
  });
});
