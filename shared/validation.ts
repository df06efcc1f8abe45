import type { z } from "zod";

/** One readable line for the first problems zod found, e.g. `title: Too big: expected <=200 characters`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      const message =
        issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join("; ");
}

/** How deep and how large a decoded payload may be before anything walks it recursively. */
export interface ShapeBounds {
  /** Nesting levels of arrays and objects (a flat object is depth 1). */
  maxDepth: number;
  /** Values in all (objects, arrays, strings, numbers, ...). */
  maxNodes: number;
}

/** Bounds for one command or REST body: the deepest field of the contract is 3 levels down. */
export const PAYLOAD_SHAPE: ShapeBounds = { maxDepth: 8, maxNodes: 5_000 };

/**
 * Whether `value` stays within `bounds`, checked with an explicit stack so that a payload nested
 * 100,000 deep costs a few steps and never the call stack (zod, JSON.stringify and friends
 * recurse). Stops at the first bound passed, so a huge payload costs at most `maxNodes` steps.
 */
export function withinShape(value: unknown, bounds: ShapeBounds = PAYLOAD_SHAPE): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (++nodes > bounds.maxNodes) return false;
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > bounds.maxDepth) return false;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
    if (stack.length > bounds.maxNodes) return false;
  }
  return true;
}
