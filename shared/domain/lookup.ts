/**
 * Lookups into the state's arrays in constant time instead of a scan: what keeps a vote's decision
 * the same cost in a conference of 5,000 as in one of 50. The state is never mutated, so an index
 * built for an array stays right as long as the array lives; it is kept beside it in a WeakMap and
 * goes with it. Short arrays are scanned: building an index would cost more.
 */

/** Below this length an array is scanned. */
const SCAN_BELOW = 32;

const idIndexes = new WeakMap<readonly { id: string }[], Map<string, { id: string }>>();

/** The first item with this id. */
export function byId<T extends { id: string }>(items: readonly T[], id: string): T | undefined {
  if (items.length < SCAN_BELOW) return items.find((item) => item.id === id);
  let index = idIndexes.get(items);
  if (!index) {
    index = new Map();
    for (const item of items) if (!index.has(item.id)) index.set(item.id, item);
    idIndexes.set(items, index);
  }
  return index.get(id) as T | undefined;
}

/**
 * key → the position of its first occurrence, shared along a line of arrays each made from the one
 * before by `appendKeys`: an array holds a key when its position is below the array's length.
 * `tip` is the length of the newest array of the line: only that one may extend it.
 */
interface KeyIndex {
  positions: Map<string, number>;
  tip: number;
}

const keyIndexes = new WeakMap<readonly string[], KeyIndex>();

function indexOf(keys: readonly string[]): KeyIndex {
  let index = keyIndexes.get(keys);
  if (!index) {
    const positions = new Map<string, number>();
    keys.forEach((key, i) => {
      if (!positions.has(key)) positions.set(key, i);
    });
    index = { positions, tip: keys.length };
    keyIndexes.set(keys, index);
  }
  return index;
}

/** `keys.includes(key)`. */
export function includesKey(keys: readonly string[], key: string): boolean {
  if (keys.length < SCAN_BELOW) return keys.includes(key);
  const at = indexOf(keys).positions.get(key);
  return at !== undefined && at < keys.length;
}

/**
 * `[...keys, ...added]`. When `keys` is the newest of its line, the new array shares and extends
 * its index, so the next lookup needs no rebuild; an older one (a fork) gets its own when needed.
 */
export function appendKeys(keys: readonly string[], added: readonly string[]): string[] {
  const next = [...keys, ...added];
  const index = keyIndexes.get(keys);
  if (index && index.tip === keys.length) {
    added.forEach((key, i) => {
      if (!index.positions.has(key)) index.positions.set(key, keys.length + i);
    });
    index.tip = next.length;
    keyIndexes.set(next, index);
  }
  return next;
}
