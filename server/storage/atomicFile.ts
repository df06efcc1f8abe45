import { closeSync, fsyncSync, openSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Where `replaceFile` stages the new content of `path`: a hidden file beside it, so the rename
 * stays inside one directory (and one file system).
 */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/**
 * Replaces `path` by `data` so that a crash at any moment leaves either the old content or the
 * new, never a mixture: the data goes to a temporary file which is fsynced, renamed over `path`,
 * and the directory fsynced, so once this resolves the new content survives a crash of the
 * process or of the machine. On failure `path` is untouched; the temporary file may be left
 * behind (`discardTemp` removes it).
 */
export async function replaceFile(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathOf(path);
  const file = await open(temp, "w");
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/** Removes the temporary file an interrupted `replaceFile(path, …)` may have left behind. */
export async function discardTemp(path: string): Promise<void> {
  await unlink(tempPathOf(path)).catch(() => undefined);
}

/** Makes a rename or a creation inside `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `syncDirectory` for callers that cannot wait: the minutes open their log synchronously, because
 * the websocket library does not wait for its persistence hook.
 */
export function syncDirectorySync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
