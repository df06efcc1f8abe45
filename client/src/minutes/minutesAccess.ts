import { minutesOpenForEdits, readsMinutes } from "../../../shared/domain/minutes.ts";
import { writesMinutes, type Role } from "../../../shared/roles.ts";
import type { MinutesState } from "../../../shared/state.ts";
import { useOptionalLive } from "./useOptionalLive.ts";

/** What this participant may do with the minutes' document now. */
export interface MinutesAccess {
  /** The server lets them open the document (a reader of an unshared draft is refused with 4403). */
  readable: boolean;
  /** They write it now: a chair or secretary, while it is a draft (after approval it takes no edit). */
  editable: boolean;
}

/** The same rule the server applies to the minutes' websocket (shared/domain/minutes.ts). */
export function minutesAccess(minutes: MinutesState, role: Role): MinutesAccess {
  const writes = writesMinutes(role);
  return { readable: readsMinutes(minutes, writes), editable: writes && minutesOpenForEdits(minutes) };
}

/**
 * {@link minutesAccess} from the live state, with the minutes' state itself; null outside a
 * conference page (or before the first snapshot), where the caller decides by its own props.
 */
export function useMinutesAccess(): (MinutesAccess & { minutes: MinutesState }) | null {
  const live = useOptionalLive();
  if (!live?.conference || !live.me) return null;
  return { ...minutesAccess(live.conference.minutes, live.me.role), minutes: live.conference.minutes };
}
