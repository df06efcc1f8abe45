import { createContext, useContext, useSyncExternalStore } from "react";
import type { CommandOf, CommandType } from "../../../shared/commands.ts";
import type { AckOf } from "../../../shared/socketEvents.ts";
import type { ConferenceConnection, LiveState } from "./ConferenceConnection.ts";

/** Sends a command (optionally waiting longer than usual for the ack); answers its typed ack. */
export type SendCommand = <T extends CommandType>(command: CommandOf<T>, timeoutMs?: number) => Promise<AckOf<T>>;

/** The page's connection, for the hooks below (tests provide a stand-in). */
export const ConnectionContext = createContext<ConferenceConnection | null>(null);

function useConnection(): ConferenceConnection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error("useLive needs a ConnectionContext provider");
  return connection;
}

/** The live conference state, re-rendering on every change. */
export function useLive(): LiveState {
  const connection = useConnection();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

/** Sends commands (optionally waiting longer than usual for the ack); components never touch the socket. */
export function useSend(): SendCommand {
  const connection = useConnection();
  return (command, timeoutMs) => connection.send(command, timeoutMs);
}

/** Server time, for clocks and countdowns. */
export function useServerClock(): () => number {
  const connection = useConnection();
  return () => connection.serverNow();
}

/** Replaces this page's token through `ConferenceConnection.renewToken` (the chair's own new link). */
export function useRenewToken(): ConferenceConnection["renewToken"] {
  const connection = useConnection();
  return (issue) => connection.renewToken(issue);
}
