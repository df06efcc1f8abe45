import { YJS_PATH_PREFIX } from "../../../shared/minutes.ts";
import { YjsCloseCode } from "../../../shared/errors.ts";
import { useEffect, useState } from "react";
import { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/** `notShared`: the server refused a reader while the draft is not shared (4403); it waits for the chair to share it. */
export type MinutesStatus = "connecting" | "connected" | "offline" | "notShared";

export interface MinutesDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Whether it was made for writing (awareness, no resync): an editor follows this, not the latest wish. */
  canWrite: boolean;
}

/** Readers send nothing, so they ask for the document now and then: y-websocket drops a socket that hears nothing for 30 s. */
const READER_RESYNC_MS = 15_000;

/**
 * A reader refused as "not shared" while the live state says the draft is shared: the refusal
 * overtook the change (the chair stopped sharing and shared again). Asked once more after this
 * long; a second refusal waits for the live state to change.
 */
const NOT_SHARED_RETRY_MS = 3_000;

/** `ws(s)://<this host>/yjs`: the minutes' socket lives on the page's own server. */
export function minutesServerUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  // y-websocket appends `/<room>` itself: the prefix without its trailing slash.
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${YJS_PATH_PREFIX.replace(/\/$/, "")}`;
}

/**
 * The conference's minutes as a Y.Doc kept in sync over y-websocket (`/yjs/<conferenceId>`).
 * y-websocket reconnects with backoff after a blip and merges what either side wrote meanwhile.
 * A reader's awareness starts (and stays) empty, so it publishes no presence.
 *
 * `enabled`: connect at all. Readers pass whether the live state lets them read
 * (`readsMinutes`), so a reader of an unshared draft never knocks; when it becomes readable, the
 * document connects. The server's 4xxx closes are final for y-websocket (it does not reconnect):
 * 4403 (not shared) shows as `notShared`; 4423 (an edit after approval) starts afresh with a new
 * document, so that what this writer typed after the approval, which the server discarded, does
 * not linger on this screen.
 */
export function useMinutesDocument(
  conferenceId: string,
  token: string,
  canWrite: boolean,
  enabled = true,
): {
  session: MinutesDocument | null;
  status: MinutesStatus;
  synced: boolean;
} {
  const [session, setSession] = useState<MinutesDocument | null>(null);
  const [status, setStatus] = useState<MinutesStatus>("connecting");
  const [synced, setSynced] = useState(false);
  /** Bumped to start over with a fresh document (after 4423). */
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    if (!canWrite) awareness.setLocalState(null);
    const provider = new WebsocketProvider(minutesServerUrl(), conferenceId, doc, {
      params: { token },
      awareness,
      // Tabs of one browser may hold different roles: each talks to the server, never to each other.
      disableBc: true,
      resyncInterval: canWrite ? -1 : READER_RESYNC_MS,
    });
    let refusedAgain = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // A refused reader stays "not shared" until it is let in, whatever y-websocket tries meanwhile.
    const onStatus = ({ status: next }: { status: "connected" | "disconnected" | "connecting" }) =>
      setStatus((previous) => (next === "connected" ? "connected" : previous === "notShared" ? previous : next === "connecting" ? "connecting" : "offline"));
    const onSync = (isSynced: boolean) => {
      setSynced(isSynced);
      if (isSynced) refusedAgain = false;
    };
    const onError = () => setStatus((previous) => (previous === "notShared" ? previous : "offline"));
    const onClosed = ({ code }: { code: number }) => {
      if (code === YjsCloseCode.approved) {
        setGeneration((g) => g + 1);
        return;
      }
      if (code === YjsCloseCode.notShared) {
        setStatus("notShared");
        setSynced(false);
        if (!refusedAgain) {
          refusedAgain = true;
          retry = setTimeout(() => provider.connect(), NOT_SHARED_RETRY_MS);
        }
        return;
      }
      setStatus("offline");
    };
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.on("connection-error", onError);
    provider.on("closed", onClosed);
    setSession({ doc, provider, canWrite });
    return () => {
      clearTimeout(retry);
      provider.off("status", onStatus);
      provider.off("sync", onSync);
      provider.off("connection-error", onError);
      provider.off("closed", onClosed);
      provider.destroy();
      awareness.destroy();
      doc.destroy();
      setSession(null);
      setSynced(false);
      setStatus("connecting");
    };
  }, [conferenceId, token, canWrite, enabled, generation]);

  // Between a change of mode (approved, reopened) and the new document, the old one is not handed
  // out: an editor would otherwise be remade in the new mode on a document about to be destroyed.
  return { session: enabled && session?.canWrite === canWrite ? session : null, status, synced };
}
