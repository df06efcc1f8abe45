import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLIENT_DIST } from "./app.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** The newest modification time of any file below `dir` (builds and dependencies aside). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the web client when it has never been built or its sources changed since. */
export async function buildClientIfNeeded(log: (line: string) => void = () => undefined): Promise<void> {
  const index = join(CLIENT_DIST, "index.html");
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs < Math.max(newest(join(ROOT, "client")), newest(join(ROOT, "shared")));
  if (!stale) return;
  log("Building the web client…");
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "client/vite.config.ts"), logLevel: "warn" });
}
