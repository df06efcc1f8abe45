import { buildClientIfNeeded, hasChromium, SKIP_REASON } from "./browser.ts";

/** Builds the web client for the browser tests, once per run; says plainly when they will be skipped. */
export default async function setup() {
  if (!hasChromium) {
    console.warn(`\n[browser tests] ${SKIP_REASON}\n`);
    return;
  }
  await buildClientIfNeeded();
}
