import type { CommandOf, CommandType } from "../../../shared/commands.ts";
import type { AckOf } from "../../../shared/socketEvents.ts";
import { errorKey, useNotice } from "../components/Notices.tsx";
import { useSend } from "./useLive.ts";

/** Sends a command and shows the server's refusal, translated by its error code; answers the typed ack. */
export function useCommand(): <T extends CommandType>(command: CommandOf<T>) => Promise<AckOf<T>> {
  const send = useSend();
  const notice = useNotice();
  return async (command) => {
    const ack = await send(command);
    if (!ack.ok) notice.show(errorKey(ack.error.code));
    return ack;
  };
}
