import type { ConferenceState } from "../../../shared/state.ts";
import type { Me } from "../../../shared/view.ts";
import type { ConnectionStatus } from "./ConferenceConnection.ts";
import { useLive } from "./useLive.ts";

/** The live conference for views rendered once the first snapshot has arrived. */
export function useConference(): { state: ConferenceState; me: Me; status: ConnectionStatus } {
  const live = useLive();
  if (!live.conference || !live.me) throw new Error("useConference before the first snapshot");
  return { state: live.conference, me: live.me, status: live.status };
}
