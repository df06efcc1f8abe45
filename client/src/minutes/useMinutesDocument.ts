import { YJS_PATH_PREFIX } from "../../../shared/minutes.ts";
import { useEffect, useState } from "react";
import { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export type MinutesStatus = "connecting" | "connected" | "offline";

export interface MinutesDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** Readers send nothing, so they ask for the document now and then: y-websocket drops a socket that hears nothing for 30 s. */
const READER_RESYNC_MS = 15_000;

/** `ws(s)://<this host>/yjs`: the minutes' socket lives on the page's own server. */
export function minutesServerUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  // y-websocket appends `/<room>` itself: the prefix without its trailing slash.
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${YJS_PATH_PREFIX.replace(/\/$/, "")}`;
}

/**
 * The conference's minutes as a Y.Doc kept in sync over y-websocket (`/yjs/<conferenceId>`).
 * y-websocket reconnects with backoff after a blip and merges what either side wrote meanwhile.
 * A reader's awareness starts (and stays) empty, so it publishes no presence.
 */
export function useMinutesDocument(conferenceId: string, token: string, canWrite: boolean): {
  session: MinutesDocument | null;
  status: MinutesStatus;
  synced: boolean;
} {
  const [session, setSession] = useState<MinutesDocument | null>(null);
  const [status, setStatus] = useState<MinutesStatus>("connecting");
  const [synced, setSynced] = useState(false);

  useEffect(() => {
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
    const onStatus = ({ status: next }: { status: "connected" | "disconnected" | "connecting" }) =>
      setStatus(next === "connected" ? "connected" : next === "connecting" ? "connecting" : "offline");
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    const onError = () => setStatus("offline");
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.on("connection-error", onError);
    setSession({ doc, provider });
    return () => {
      provider.off("status", onStatus);
      provider.off("sync", onSync);
      provider.off("connection-error", onError);
      provider.destroy();
      awareness.destroy();
      doc.destroy();
      setSession(null);
      setSynced(false);
      setStatus("connecting");
    };
  }, [conferenceId, token, canWrite]);

  return { session, status, synced };
}
