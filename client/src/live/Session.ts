import { createContext, useContext } from "react";

/** Who this page is signed in as: the conference and the bearer token (for REST and the minutes). */
export interface Session {
  conferenceId: string;
  token: string;
  /** Takes a new token for this participant (their own link was re-issued): stored, and used from now on. */
  adoptToken(token: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a SessionContext provider");
  return session;
}
