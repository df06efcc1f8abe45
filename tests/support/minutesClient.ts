import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export interface MinutesClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The minutes as XML text. */
  text(): string;
  /** The plain text of the minutes, a line per top-level block. */
  plainText(): string;
  /** Resolves when `condition` holds, checked after every update the document receives. */
  until(condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * A real y-websocket client on the conference's minutes, synced before it is answered. A reader
 * publishes no awareness, as the web client's readers do.
 */
export async function connectMinutes(
  url: string,
  conferenceId: string,
  token: string,
  options: { reader?: boolean } = {},
): Promise<MinutesClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/yjs`, conferenceId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: false,
  });
  if (options.reader) provider.awareness.setLocalState(null);
  provider.connect();
  await new Promise<void>((resolve) => provider.once("sync", () => resolve()));
  return {
    doc,
    provider,
    text: () => doc.getXmlFragment("minutes").toString(),
    plainText: () => plainText(doc),
    until(condition, timeoutMs = 20_000) {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          doc.off("update", check);
          reject(new Error("timed out waiting for the minutes"));
        }, timeoutMs);
        const check = () => {
          if (!condition()) return;
          clearTimeout(timer);
          doc.off("update", check);
          resolve();
        };
        doc.on("update", check);
      });
    },
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Appends a paragraph with `line` to the minutes. */
export function appendParagraph(doc: Y.Doc, line: string): void {
  const fragment = doc.getXmlFragment("minutes");
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  text.insert(0, line);
  paragraph.insert(0, [text]);
  fragment.insert(fragment.length, [paragraph]);
}

/** The plain text of the minutes' fragment, a line per top-level block. */
export function plainText(doc: Y.Doc): string {
  return doc
    .getXmlFragment("minutes")
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : "")).join("") : ""))
    .join("\n");
}

/**
 * Sends sync step 1 on the provider's socket and waits for the server's step 2: everything sent
 * before it has been handled (the server answers in order).
 */
export async function roundTrip(client: MinutesClient, timeoutMs = 60_000): Promise<void> {
  const ws = client.provider.ws as unknown as WebSocket;
  const answered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no sync step 2")), timeoutMs);
    const onMessage = (data: ArrayBuffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2) {
        clearTimeout(timer);
        ws.off("message", onMessage);
        resolve();
      }
    };
    ws.on("message", onMessage);
  });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, client.doc);
  ws.send(encoding.toUint8Array(encoder));
  await answered;
}

/** The HTTP status with which a server refuses (or 101 accepts) a websocket upgrade to `url` (http or ws). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"));
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
