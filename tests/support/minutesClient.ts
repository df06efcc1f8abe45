import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export interface MinutesClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The minutes as XML text. */
  text(): string;
  /** Resolves when `condition` holds, checked after every update the document receives. */
  until(condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** A real y-websocket client on the conference's minutes, synced before it is answered. */
export async function connectMinutes(url: string, conferenceId: string, token: string): Promise<MinutesClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/yjs`, conferenceId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once("sync", () => resolve()));
  return {
    doc,
    provider,
    text: () => doc.getXmlFragment("minutes").toString(),
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
