import { useSyncExternalStore } from "react";
import { matchRoute, type Route } from "./model/routes.ts";

const NAVIGATED = "giaoban:navigate";

function subscribe(notify: () => void) {
  window.addEventListener("popstate", notify);
  window.addEventListener(NAVIGATED, notify);
  return () => {
    window.removeEventListener("popstate", notify);
    window.removeEventListener(NAVIGATED, notify);
  };
}

const getPath = () => window.location.pathname;

/** The page for the current address; follows back/forward and `navigate`. */
export function useRoute(): Route {
  return matchRoute(useSyncExternalStore(subscribe, getPath, getPath));
}

/** Goes to another page of the client without reloading. */
export function navigate(to: string): void {
  window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo?.(0, 0);
}
