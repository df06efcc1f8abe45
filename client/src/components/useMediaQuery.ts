import { useCallback, useSyncExternalStore } from "react";

/** Whether a CSS media query matches now, re-rendering when that changes (false where there is no `matchMedia`). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (notify: () => void) => {
      const list = typeof window !== "undefined" ? window.matchMedia?.(query) : undefined;
      list?.addEventListener?.("change", notify);
      return () => list?.removeEventListener?.("change", notify);
    },
    [query],
  );
  const get = () => (typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia(query).matches : false);
  return useSyncExternalStore(subscribe, get, () => false);
}

/** Where the consoles take their phone layout (the stylesheet's breakpoint too). */
export const PHONE_QUERY = "(max-width: 720px)";
