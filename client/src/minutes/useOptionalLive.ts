import { useContext, useSyncExternalStore } from "react";
import type { LiveState } from "../live/ConferenceConnection.ts";
import { ConnectionContext } from "../live/useLive.ts";

const noSubscription = () => () => undefined;
const nothing = () => null;

/** The live conference state when the panel sits inside a conference page, else null (the editor works without it). */
export function useOptionalLive(): LiveState | null {
  const connection = useContext(ConnectionContext);
  return useSyncExternalStore(connection?.subscribe ?? noSubscription, connection?.getState ?? nothing);
}
