/**
 * Issue 12, items 8 and 1, on the minutes' websocket: malformed messages (and what they cost the
 * log), cursors published under another client's id, and payloads nested 100,000 deep. Against
 * the real server in its own process, whose stderr is read; afterwards it must still serve.
 */
import { describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { MINUTES_LIMITS } from "../../shared/limits.ts";
import { checkUpdate } from "../../server/minutes/sync/messages.ts";
import { appendParagraph, connectMinutes, type MinutesClient } from "../support/minutesClient.ts";
import { addParticipant, shareMinutes, createConference } from "../support/server.ts";
import { awarenessMessage, openRaw, probeHealth, syncStep1, syncTypeOf, syncUpdate, type RawMinutes, cleanupAfterEach, spawnFresh } from "./minutesWire.ts";

const cleanup = cleanupAfterEach();

/** A server process (its stderr kept) with a conference, three secretaries and a delegate. */
async function hall() {
  const server = await spawnFresh(cleanup);
  let stderr = "";
  server.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const conference = await createConference(server.url, { title: "Giao ban – dữ liệu độc hại" });
  await shareMinutes(server.url, conference);
  const add = (name: string, role: string) => addParticipant(server.url, conference, { name, role });
  const [a, b, c, d, delegate, delegate2] = await Promise.all([
    add("Thư ký A", "secretary"),
    add("Thư ký B", "secretary"),
    add("Thư ký C", "secretary"),
    add("Thư ký D", "secretary"),
    add("Đại biểu", "delegate"),
    add("Đại biểu khác", "delegate"),
  ]);
  const connect = async (token: string, reader = false) => {
    const client = await connectMinutes(server.url, conference.id, token, { reader });
    cleanup(() => client.close());
    return client;
  };
  const raw = async (token: string) => {
    const socket = await openRaw(server.url, conference.id, token);
    cleanup(() => socket.ws.terminate());
    return socket;
  };
  return { server, conference, a: a!, b: b!, c: c!, d: d!, delegate: delegate!, delegate2: delegate2!, connect, raw, stderr: () => stderr };
}

/** Sends a sync step 1 and waits for its answer: everything sent before has been handled. */
async function roundTrip(socket: RawMinutes): Promise<void> {
  const answers = () => socket.received.filter((m) => syncTypeOf(m) === 1).length;
  const before = answers();
  socket.send(syncStep1());
  await socket.until(() => answers() > before, "the answer to a sync step 1");
}

/** A writer's line reaches a reader: the minutes still work for everyone else. */
async function stillServes(writer: MinutesClient, reader: MinutesClient, line: string): Promise<void> {
  appendParagraph(writer.doc, line);
  await reader.until(() => reader.plainText().includes(line));
}

/** The name on the cursor of Yjs client `id`, as `client` sees it. */
function nameAt(client: MinutesClient, id: number): string | undefined {
  return (client.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
}

/** Resolves once `client` sees client `id`'s cursor named `name` (checked on every awareness change). */
function cursorNamed(client: MinutesClient, id: number, name: string, timeoutMs = 20_000): Promise<void> {
  const awareness = client.provider.awareness;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      awareness.off("change", check);
      reject(new Error(`timed out waiting for the cursor of ${id} named ${name}`));
    }, timeoutMs);
    function check() {
      if (nameAt(client, id) !== name) return;
      clearTimeout(timer);
      awareness.off("change", check);
      resolve();
    }
    awareness.on("change", check);
    check();
  });
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Assorted malformed y-websocket messages, about `bytes` of them. */
function malformedMessages(bytes: number): Uint8Array[] {
  const next = random(12);
  const bytesOf = (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
  const fixed = [
    new Uint8Array([]),
    new Uint8Array([0]),
    new Uint8Array([0, 0]),
    new Uint8Array([0, 7, 1, 0]), // unknown sync type
    new Uint8Array([9, 0]), // unknown message type
    new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // a varuint past 2^53
    new Uint8Array([0, 0, 200, 1]), // a length past the end
    new Uint8Array([0, 0, 3, 0xff, 0xff, 0xff]), // an unreadable state vector
    new Uint8Array([0, 2, 4, 1, 1, 1, 1]), // an unreadable update
    new Uint8Array([0, 1, 5, 1, 1, 5, 0, 31]), // a struct of unknown content
    new Uint8Array([1]), // awareness without a payload
    new Uint8Array([1, 3, 1, 2, 3]), // awareness cut short
    awarenessMessage([{ clientID: 7, clock: 1, state: "{" }]), // not JSON
    awarenessMessage([{ clientID: 7, clock: 1, state: '{"a":' }]),
    awarenessMessage(Array.from({ length: 50 }, (_, i) => ({ clientID: i, clock: 1, state: "{}" }))), // too many entries
  ];
  const out: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; total < bytes; i++) {
    const message = i < fixed.length ? fixed[i]! : (() => {
      const body = bytesOf(1 + Math.floor(next() * 40));
      // Mostly a plausible type in front, so the payloads get decoded, not just the type.
      const prefix = [[0, 0], [0, 1], [0, 2], [1], []][Math.floor(next() * 5)]!;
      return Uint8Array.from([...prefix, body.length, ...body]);
    })();
    out.push(message);
    total += message.length;
  }
  return out;
}

describe("malformed messages", () => {
  it("8 KB of them cost a line or two of log, no stack trace, and nothing else", { timeout: 60_000 }, async () => {
    const { server, a, b, delegate, delegate2, connect, raw, stderr } = await hall();
    const writer = await connect(a.token);
    const reader = await connect(delegate.token, true);
    const hostileWriter = await raw(b.token);
    const logBefore = stderr().length;

    const messages = malformedMessages(8 * 1024);
    // Within a writer's allowance: it is the content that is refused, not the rate.
    expect(messages.length).toBeLessThan(MINUTES_LIMITS.writerBurst);
    for (const message of messages) hostileWriter.send(message);
    hostileWriter.ws.send("a text frame");
    await roundTrip(hostileWriter);

    // A reader's (fewer: its allowance is small) are refused the same way.
    const hostileReader = await raw(delegate2.token);
    for (const message of messages.slice(0, MINUTES_LIMITS.readerBurst - 2)) hostileReader.send(message);
    await roundTrip(hostileReader);

    const log = stderr().slice(logBefore);
    expect(log.length).toBeLessThan(1024);
    expect(log.split("\n").filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).toContain("refused");
    await stillServes(writer, reader, "Sau các thông điệp hỏng.");
    expect(hostileWriter.ws.readyState).toBe(hostileWriter.ws.OPEN);
    expect((await probeHealth(server.url, () => true))[0]).toBeLessThan(1000);
  });
});

describe("cursors", () => {
  it("a writer can neither publish nor remove another writer's cursor", { timeout: 30_000 }, async () => {
    const { a, b, c, connect, raw } = await hall();
    const owner = await connect(a.token);
    owner.provider.awareness.setLocalStateField("user", { name: "Thư ký A" });
    const watcher = await connect(c.token);
    await cursorNamed(watcher, owner.doc.clientID, "Thư ký A");

    const impostor = await raw(b.token);
    const forged = JSON.stringify({ user: { name: "Giả mạo" } });
    impostor.send(awarenessMessage([{ clientID: owner.doc.clientID, clock: 1_000, state: forged }]));
    impostor.send(awarenessMessage([{ clientID: owner.doc.clientID, clock: 1_001, state: "null" }]));
    // Its own cursor, sent last, shows that everything before it was handled.
    const ownId = 424_242;
    impostor.send(awarenessMessage([{ clientID: ownId, clock: 1, state: JSON.stringify({ user: { name: "Thư ký B" } }) }, { clientID: owner.doc.clientID, clock: 1_002, state: forged }]));
    await cursorNamed(watcher, ownId, "Thư ký B");
    expect(nameAt(watcher, owner.doc.clientID)).toBe("Thư ký A");
    expect(nameAt(owner, ownId)).toBe("Thư ký B");
  });
});

/** An update creating `depth` elements, each inside the previous one, by Yjs client `clientID`. */
function nested(depth: number, clientID?: number, nodeName = "blockquote"): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment("minutes");
    for (let i = 0; i < depth; i++) {
      const element = new Y.XmlElement(nodeName);
      parent.insert(0, [element]);
      parent = element;
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

describe("nesting 100,000 deep", () => {
  /** How deep elements nest in a document (iteratively). */
  function depthOf(doc: Y.Doc): number {
    let deepest = 0;
    const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[doc.getXmlFragment("minutes"), 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      deepest = Math.max(deepest, depth);
      for (const child of node.toArray()) if (child instanceof Y.XmlElement) stack.push([child, depth + 1]);
    }
    return deepest;
  }

  it("in a cursor's state, or in the document's elements, is refused before anything walks it", { timeout: 90_000 }, async () => {
    const { server, a, b, c, d, delegate, connect, raw, stderr } = await hall();
    const writer = await connect(a.token);
    const watcher = await connect(c.token);
    const reader = await connect(delegate.token, true);
    const logBefore = stderr().length;

    // The document: 100,000 nested elements in one update (1.3 MB: most of a writer's burst, so
    // it comes from a writer of its own).
    const deepUpdate = await raw(d.token);
    deepUpdate.send(syncUpdate(nested(100_000, undefined, "p")));
    await roundTrip(deepUpdate);

    const hostile = await raw(b.token);
    const deepJson = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
    hostile.send(awarenessMessage([{ clientID: 777, clock: 1, state: deepJson(100_000) }]));
    hostile.send(awarenessMessage([{ clientID: 777, clock: 2, state: deepJson(2_000) }])); // 4 KB, 2,000 deep
    hostile.send(awarenessMessage([{ clientID: 777, clock: 3, state: `{"user":${"{\"a\":".repeat(40)}1${"}".repeat(40)}}` }]));
    // And 3,000 levels sent in 50-level pieces in reverse order (each waits for the one before
    // it, which Yjs would keep aside until it came).
    const pieces: Uint8Array[] = [];
    const piecewise = new Y.Doc();
    piecewise.on("update", (update: Uint8Array) => pieces.push(update));
    let parent: Y.XmlFragment | Y.XmlElement = piecewise.getXmlFragment("minutes");
    for (let piece = 0; piece < 60; piece++) {
      piecewise.transact(() => {
        for (let i = 0; i < 50; i++) {
          const element = new Y.XmlElement("blockquote");
          parent.insert(0, [element]);
          parent = element;
        }
      });
    }
    for (const update of pieces.reverse()) hostile.send(syncUpdate(update));
    await roundTrip(hostile);
    // A state of ordinary depth from the same connection is relayed.
    hostile.send(awarenessMessage([{ clientID: 777, clock: 4, state: JSON.stringify({ user: { name: "Thư ký B" } }) }]));
    await cursorNamed(watcher, 777, "Thư ký B");

    // The server is up, serves, and holds nothing deeper than the bound.
    await stillServes(writer, reader, "Sau dữ liệu lồng sâu.");
    expect((await probeHealth(server.url, () => true))[0]).toBeLessThan(1000);
    const fresh = await connect(delegate.token, true);
    expect(depthOf(fresh.doc)).toBeLessThanOrEqual(MINUTES_LIMITS.documentDepth);
    expect(fresh.plainText()).toContain("Sau dữ liệu lồng sâu.");
    const log = stderr().slice(logBefore);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toMatch(/Maximum call stack/);
  });
});

describe("the update check", () => {
  const bounds = { maxTypeDepth: MINUTES_LIMITS.documentDepth, maxValueDepth: MINUTES_LIMITS.valueDepth };

  it("takes a real editing session, a long paste and lists nested as deep as the bound", () => {
    const editor = new Y.Doc();
    const updates: Uint8Array[] = [];
    editor.on("update", (update: Uint8Array) => updates.push(update));
    const fragment = editor.getXmlFragment("minutes");
    const heading = new Y.XmlElement("heading");
    heading.setAttribute("level", 2 as unknown as string);
    const title = new Y.XmlText();
    heading.insert(0, [title]);
    fragment.insert(0, [heading]);
    for (const char of "Diễn biến hội nghị") title.insert(title.length, char);
    title.format(0, 6, { bold: true });
    title.delete(2, 3);
    editor.transact(() => {
      for (let i = 0; i < 2_000; i++) {
        const paragraph = new Y.XmlElement("paragraph");
        const text = new Y.XmlText();
        text.insert(0, `Dòng ${i}`);
        paragraph.insert(0, [text]);
        fragment.insert(fragment.length, [paragraph]);
      }
    });
    // Lists in lists, up to the bound exactly (each element one level, its text one more).
    let list: Y.XmlElement = new Y.XmlElement("bulletList");
    fragment.insert(1, [list]);
    for (let depth = 1; depth < bounds.maxTypeDepth - 1; depth++) {
      const inner = new Y.XmlElement("bulletList");
      list.insert(0, [inner]);
      list = inner;
    }
    const leaf = new Y.XmlText();
    list.insert(0, [leaf]);
    leaf.insert(0, "sâu nhất");

    const server = new Y.Doc();
    for (const update of updates) {
      expect(checkUpdate(update, server, bounds)).toEqual({ ok: true });
      Y.applyUpdate(server, update);
    }
    expect(server.getXmlFragment("minutes").toString()).toBe(fragment.toString());
    // The whole document at once (a writer's first sync) too.
    expect(checkUpdate(Y.encodeStateAsUpdate(editor), new Y.Doc(), bounds)).toEqual({ ok: true });
  });

  it("refuses one level past the bound, deep values, and updates that would wait for others", () => {
    const over = new Y.Doc();
    let parent: Y.XmlFragment | Y.XmlElement = over.getXmlFragment("minutes");
    for (let i = 0; i <= bounds.maxTypeDepth; i++) {
      const element = new Y.XmlElement("blockquote");
      parent.insert(0, [element]);
      parent = element;
    }
    expect(checkUpdate(Y.encodeStateAsUpdate(over), new Y.Doc(), bounds)).toMatchObject({ ok: false, gap: false });

    const deepValue = new Y.Doc();
    let value: unknown = "lá";
    for (let i = 0; i < 1_000; i++) value = { a: value };
    deepValue.getXmlFragment("minutes").insert(0, [new Y.XmlElement("paragraph")]);
    (deepValue.getXmlFragment("minutes").get(0) as Y.XmlElement).setAttribute("data", value as string);
    expect(checkUpdate(Y.encodeStateAsUpdate(deepValue), new Y.Doc(), bounds)).toMatchObject({ ok: false, gap: false });

    const typing = new Y.Doc();
    const updates: Uint8Array[] = [];
    typing.on("update", (update: Uint8Array) => updates.push(update));
    const text = new Y.XmlText();
    typing.getXmlFragment("minutes").insert(0, [text]);
    text.insert(0, "a");
    text.insert(1, "b");
    const server = new Y.Doc();
    Y.applyUpdate(server, updates[0]!);
    expect(checkUpdate(updates[2]!, server, bounds)).toMatchObject({ ok: false, gap: true });
    expect(checkUpdate(updates[1]!, server, bounds)).toEqual({ ok: true });
    expect(checkUpdate(new Uint8Array([1, 2, 3]), server, bounds)).toMatchObject({ ok: false, gap: false });
  });

  it("refuses deleting a stored subtree deeper than the bound (Yjs would overflow deleting it)", () => {
    // Stored before the bound existed, or restored from a backup: it loads, but Yjs deletes
    // recursively, and 3,000 levels overflow the stack inside applyUpdate.
    const stored = new Y.Doc();
    Y.applyUpdate(stored, nested(3_000, 1));
    Y.applyUpdate(stored, nested(10, 2));
    /** An update that only deletes the first struct of Yjs client `client`. */
    const deletion = (client: number) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0); // no structs
      encoding.writeVarUint(encoder, 1); // one client in the delete set
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, 1); // one range: clock 0, length 1
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 1);
      return encoding.toUint8Array(encoder);
    };
    expect(checkUpdate(deletion(1), stored, bounds)).toMatchObject({ ok: false, gap: false });
    expect(checkUpdate(deletion(2), stored, bounds)).toEqual({ ok: true });
    Y.applyUpdate(stored, deletion(2));
    expect(stored.getXmlFragment("minutes").length).toBe(1);
  });
});
