import type { ConferenceState } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import type { Me } from "../../../shared/view.ts";
import type { ConnectionStatus } from "./ConferenceConnection.ts";
import { useLive } from "./useLive.ts";

/** The live conference for views rendered once the first snapshot has arrived. */
export function useConference(): { state: ConferenceState; me: Me; status: ConnectionStatus } {
  const live = useLive();
  if (!live.conference || !live.me) throw new Error("useConference before the first snapshot");
  return { state: live.conference, me: live.me, status: live.status };
}

/** `useI18n` with times in the conference's time zone: what every view inside a conference uses for times. */
export function useConferenceI18n(): ReturnType<typeof useI18n> {
  const live = useLive();
  return useI18n(live.conference?.conference.timeZone);
}
