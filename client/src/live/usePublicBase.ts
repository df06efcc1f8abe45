import { useEffect, useState } from "react";
import { getServerInfo } from "../api.ts";

let cached: Promise<string> | null = null;

/** The server's public base, asked once per page: its own origin unless the server says otherwise. */
function publicBase(): Promise<string> {
  cached ??= getServerInfo().then((answer) => (answer.ok && answer.value.publicUrl ? answer.value.publicUrl : window.location.origin));
  return cached;
}

/**
 * The base of the links a page shows and encodes in QR codes. A server started on the hall's
 * laptop says its address on the local network, so a console opened as "localhost" still draws a
 * QR code that phones can follow.
 */
export function usePublicBase(): string {
  const [base, setBase] = useState(() => window.location.origin);
  useEffect(() => {
    let live = true;
    void publicBase().then((found) => live && setBase(found));
    return () => {
      live = false;
    };
  }, []);
  return base;
}
