import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";

export { buildClientIfNeeded } from "../../server/clientBuild.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
/** Shown in the test name when the browser tests cannot run, so the skip says why. */
export const SKIP_REASON = `skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Where the browser tests put their screenshots. */
export const SHOTS = resolve(import.meta.dirname, "../../test-output/screenshots");

/** Waits until the first match is visible (or hidden): what a person would wait for, never a fixed time. */
export const shown = (locator: Locator) => locator.first().waitFor({ state: "visible", timeout: 30_000 });
export const gone = (locator: Locator) => locator.first().waitFor({ state: "hidden", timeout: 30_000 });

/**
 * A describe block's Chromium: launched before its tests, each page in a context of its own
 * (`defaults`, then what `open` is given), every page error and console error noted in
 * `consoleErrors`, a screenshot of every page when a test fails (`<failurePrefix>-failure-<n>.png`),
 * everything closed after (after hooks run last registered first: a block that disposes its server
 * in its own `afterAll` calls `close` there first). Call it at the top of the describe block.
 */
export function browserPages(failurePrefix: string, defaults: BrowserContextOptions) {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });
  afterEach(async (test) => {
    if (test.task.result?.state !== "fail") return;
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(pages.map((page, i) => page.screenshot({ path: join(SHOTS, `${failurePrefix}-failure-${i}.png`) }).catch(() => undefined)));
  });
  /** Closes every page and the browser; call it before the server's dispose, which waits for their connections. */
  async function close(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
    await browser?.close();
  }
  afterAll(close);
  async function open(url: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "vi-VN", ...defaults, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(url);
    return page;
  }
  return { open, consoleErrors, close };
}
