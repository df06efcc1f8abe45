import { useSyncExternalStore } from "react";
import { useServerClock } from "./useLive.ts";

/**
 * One ticking clock for the whole page: a single timer, started by the first component that asks
 * for the time and stopped with the last one, fires on each second boundary and re-renders every
 * subscriber together (so clocks on one screen never drift apart).
 */
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let tick = Math.floor(Date.now() / 1000);

function schedule() {
  timer = setTimeout(() => {
    tick = Math.floor(Date.now() / 1000);
    for (const notify of subscribers) notify();
    schedule();
  }, 1000 - (Date.now() % 1000) + 5);
}

function subscribe(notify: () => void): () => void {
  subscribers.add(notify);
  if (timer === null) schedule();
  return () => {
    subscribers.delete(notify);
    if (subscribers.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const getTick = () => tick;

/** The local clock's second, re-rendering once a second. */
export function useSecondTick(): number {
  return useSyncExternalStore(subscribe, getTick, getTick);
}

/** Server time now (ms), re-rendering once a second. Use it for every clock and countdown. */
export function useServerNow(): number {
  useSecondTick();
  return useServerClock()();
}
