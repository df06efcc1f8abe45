import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { withinShape } from "../../../shared/validation.ts";

/** y-websocket's outer message types (y-websocket `messageSync`, `messageAwareness`, ...). */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
/** y-protocols/sync submessage types. */
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** What a y-websocket message is, as far as the read-only filter cares. */
export type MessageKind = "sync-step1" | "sync-step2" | "sync-update" | "awareness" | "other" | "malformed";

/** Reads the message's type (and the sync submessage's type) without decoding its payload. */
export function classifyMessage(message: Uint8Array): MessageKind {
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const sub = decoding.readVarUint(decoder);
        if (sub === SyncType.step1) return "sync-step1";
        if (sub === SyncType.step2) return "sync-step2";
        if (sub === SyncType.update) return "sync-update";
        return "other";
      }
      case MessageType.awareness:
        return "awareness";
      default:
        return "other";
    }
  } catch {
    return "malformed";
  }
}

/**
 * Whether a message from a client reaches the shared document. Writers send everything the
 * server understands; readers only ask for the document (sync step 1): their step 2 and updates
 * would change it, and their awareness would be relayed to everyone.
 */
export function acceptsFromClient(kind: MessageKind, canWrite: boolean): boolean {
  switch (kind) {
    case "sync-step1":
      return true;
    case "sync-step2":
    case "sync-update":
    case "awareness":
      return canWrite;
    case "other":
    case "malformed":
      return false;
    default:
      return assertNever(kind);
  }
}

/**
 * Whether a message from the server goes out to a client. Readers show no carets, so the
 * writers' awareness is not fanned out to (possibly hundreds of) readers.
 */
export function sendsToClient(kind: MessageKind, canWrite: boolean): boolean {
  return kind === "awareness" ? canWrite : true;
}

/** A client's message with its framing checked: the kind and the payload it carries. */
export type Framed =
  | { kind: "sync-step1" | "sync-step2" | "sync-update" | "awareness"; payload: Uint8Array }
  | { kind: "malformed"; reason: string };

/**
 * Checks a client's message the way the library will read it (type, sync type, one
 * length-prefixed payload that fits), without decoding the payload. Anything else (an unknown
 * type, a length past the end) is malformed: the library would throw on it and log a stack trace.
 */
export function frameMessage(message: Uint8Array): Framed {
  const decoder = decoding.createDecoder(message);
  try {
    const type = decoding.readVarUint(decoder);
    let kind: Exclude<MessageKind, "other" | "malformed">;
    if (type === MessageType.awareness) kind = "awareness";
    else if (type !== MessageType.sync) return { kind: "malformed", reason: `unknown message type ${type}` };
    else {
      const sub = decoding.readVarUint(decoder);
      if (sub === SyncType.step1) kind = "sync-step1";
      else if (sub === SyncType.step2) kind = "sync-step2";
      else if (sub === SyncType.update) kind = "sync-update";
      else return { kind: "malformed", reason: `unknown sync message type ${sub}` };
    }
    const length = decoding.readVarUint(decoder);
    if (length > message.length - decoder.pos) return { kind: "malformed", reason: "a length past the end of the message" };
    return { kind, payload: message.subarray(decoder.pos, decoder.pos + length) };
  } catch {
    return { kind: "malformed", reason: "a truncated message" };
  }
}

/** Whether a sync step 1 carries a readable state vector (else the library throws answering it). */
export function isStateVector(payload: Uint8Array): boolean {
  try {
    Y.decodeStateVector(payload);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the JSON text nests arrays and objects at most `maxDepth` deep. A scan of the text
 * with no recursion and no parse, so a state nested 100,000 deep costs one pass that stops at
 * the bound (JSON.parse would build it, and JSON.stringify later overflows the stack on it).
 */
export function jsonDepthWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return false;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return true;
}

/** One entry of an awareness update: a Yjs client's cursor state (JSON text; "null" removes it). */
export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: string;
}

export interface AwarenessBounds {
  /** Entries in one message. */
  maxEntries: number;
  /** UTF-8 bytes of one state. */
  maxStateBytes: number;
  /** JSON nesting of one state. */
  maxDepth: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes an awareness update (y-protocols/awareness: a count, then per entry client id, clock
 * and the state as a JSON string) and checks each state against the bounds and for valid JSON,
 * so the library's JSON.parse never throws and its JSON.stringify never recurses deep.
 */
export function decodeAwareness(payload: Uint8Array, bounds: AwarenessBounds): { entries: AwarenessEntry[] } | { reason: string } {
  const decoder = decoding.createDecoder(payload);
  try {
    const count = decoding.readVarUint(decoder);
    if (count > bounds.maxEntries) return { reason: `an awareness update of ${count} entries` };
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const bytes = decoding.readVarUint8Array(decoder);
      if (bytes.length > bounds.maxStateBytes) return { reason: `an awareness state of ${bytes.length} bytes` };
      const state = utf8.decode(bytes);
      if (!jsonDepthWithin(state, bounds.maxDepth)) return { reason: "an awareness state nested too deep" };
      JSON.parse(state);
      entries.push({ clientID, clock, state });
    }
    return { entries };
  } catch {
    return { reason: "an unreadable awareness update" };
  }
}

/** The awareness message (outer type included) carrying these entries. */
export function encodeAwarenessMessage(entries: readonly AwarenessEntry[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientID);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.state);
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, MessageType.awareness);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

export interface UpdateBounds {
  /** Nesting of types (elements) in the document: the fragment's children are at depth 1. */
  maxTypeDepth: number;
  /** JSON nesting of values the update stores (attributes, marks, embeds). */
  maxValueDepth: number;
}

/**
 * Whether an update may be applied: `ok`, or why not. `gap` means it depends on something the
 * document does not have yet (an update that was dropped, or one still on its way): Yjs would keep
 * it aside, invisibly and without bound, so it is refused and the client asked for what is missing.
 */
export type UpdateVerdict = { ok: true } | { ok: false; gap: boolean; reason: string };

/** One struct of an update, as far as the checks need it. */
interface Struct {
  client: number;
  clock: number;
  length: number;
  /** An Item (content), not a GC or a Skip. */
  item: boolean;
  /** Its content is a type (an element, a text, a map...). */
  type: boolean;
  origin: Y.ID | null;
  rightOrigin: Y.ID | null;
  /** A root type's name, the ID of the parent type's item, or null (known from the origins). */
  parent: string | Y.ID | null;
}

/** A parent type, wherever it is: the root, a type already in the document, one in this update. */
type TypeRef = { at: "root" } | { at: "doc"; type: Y.AbstractType<unknown> } | { at: "update"; index: number } | null;

const ROOT: TypeRef = { at: "root" };
/** The low five bits of a struct's info: 0 a GC, 10 a Skip, else the content's kind (Yjs's struct reader). */
const ITEM_CONTENT_BITS = 0b11111;
const SKIP_INFO = 10;
const CONTENT = { deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9 } as const;
/** Yjs's type refs: 3 (XmlElement) and 5 (XmlHook) carry a name; 0..6 exist. */
const TYPE_REFS = 7;

/**
 * Checks an update (y-websocket sends the v1 format) against the document before it is applied,
 * reading it as Yjs does (UpdateDecoderV1, the same branches as Yjs's struct reader) but without
 * building Items:
 * - it decodes: anything Yjs would fail to read is refused here, not logged by the library;
 * - no struct is empty and no subdocument is embedded (the minutes have none);
 * - values it stores nest at most `maxValueDepth` (lib0 and JSON.stringify recurse on them);
 * - every struct it refers to is in the document or in the update, and each client's structs
 *   continue where the document has them (else `gap`);
 * - no type it creates sits deeper than `maxTypeDepth`, and no type it deletes has more levels
 *   than that below it. Yjs deletes and garbage-collects nested types recursively: measured here,
 *   deleting an element 5,000 levels deep overflows the stack inside applyUpdate and leaves the
 *   document half changed.
 * Linear in the update, plus a lookup in the document per reference of a new type and a walk of
 * what a deletion takes away (which Yjs walks too).
 */
export function checkUpdate(update: Uint8Array, doc: Y.Doc, bounds: UpdateBounds): UpdateVerdict {
  const structs: Struct[] = [];
  /** Per client, the indexes of its (present) structs in clock order. */
  const byClient = new Map<number, number[]>();
  const deletes: [client: number, clock: number, length: number][] = [];
  let types = 0;
  try {
    const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update));
    const rest = decoder.restDecoder;
    const clients = decoding.readVarUint(rest);
    for (let c = 0; c < clients; c++) {
      const count = decoding.readVarUint(rest);
      const client = decoder.readClient();
      let clock = decoding.readVarUint(rest);
      const own: number[] = byClient.get(client) ?? [];
      byClient.set(client, own);
      for (let s = 0; s < count; s++) {
        const info = decoder.readInfo();
        const ref = info & ITEM_CONTENT_BITS;
        if (ref === SKIP_INFO) {
          clock += decoding.readVarUint(rest);
          continue;
        }
        let struct: Struct;
        if (ref !== 0) {
          const origin = (info & 0x80) !== 0 ? decoder.readLeftID() : null;
          const rightOrigin = (info & 0x40) !== 0 ? decoder.readRightID() : null;
          const ownParent = (info & 0xc0) === 0;
          const parent = ownParent ? (decoder.readParentInfo() ? decoder.readString() : decoder.readLeftID()) : null;
          if (ownParent && (info & 0x20) !== 0) decoder.readString(); // parentSub: a map key
          const content = readContent(decoder, ref, bounds.maxValueDepth);
          if (typeof content === "string") return refuse(content);
          struct = { client, clock, length: content.length, item: true, type: content.type, origin, rightOrigin, parent };
          if (content.type) types++;
        } else {
          struct = { client, clock, length: decoder.readLen(), item: false, type: false, origin: null, rightOrigin: null, parent: null };
        }
        if (struct.length <= 0) return refuse("an empty struct");
        own.push(structs.length);
        structs.push(struct);
        clock += struct.length;
      }
    }
    const dsClients = decoding.readVarUint(rest);
    for (let c = 0; c < dsClients; c++) {
      decoder.resetDsCurVal();
      const client = decoding.readVarUint(rest);
      const ranges = decoding.readVarUint(rest);
      for (let r = 0; r < ranges; r++) deletes.push([client, decoder.readDsClock(), decoder.readDsLen()]);
    }
  } catch {
    return refuse("an unreadable update");
  }

  const store = doc.store;
  const inUpdate = (id: Y.ID): number => {
    const own = byClient.get(id.client);
    if (!own) return -1;
    let low = 0;
    let high = own.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const struct = structs[own[mid]!]!;
      if (id.clock < struct.clock) high = mid - 1;
      else if (id.clock >= struct.clock + struct.length) low = mid + 1;
      else return own[mid]!;
    }
    return -1;
  };
  const inDoc = (id: Y.ID): boolean => id.clock < Y.getState(store, id.client);

  // Each client's structs continue where the document (or the update itself) has them, and
  // whatever a struct refers to exists (its own client's earlier structs, or anyone's known ones).
  for (const [client, own] of byClient) {
    let known = Y.getState(store, client);
    for (const index of own) {
      const struct = structs[index]!;
      if (struct.clock > known) return gap(`client ${client} continues at ${struct.clock}, the document has ${known}`);
      known = Math.max(known, struct.clock + struct.length);
      for (const ref of [struct.origin, struct.rightOrigin, struct.parent]) {
        if (ref === null || typeof ref === "string") continue;
        const exists = ref.client === client ? ref.clock < struct.clock : inDoc(ref) || inUpdate(ref) >= 0;
        if (!exists) return gap(`a reference to ${ref.client}:${ref.clock}, which the document does not have`);
      }
    }
  }
  for (const [client, clock, length] of deletes) {
    const own = byClient.get(client);
    const last = own && own.length > 0 ? structs[own[own.length - 1]!]! : null;
    const end = Math.max(Y.getState(store, client), last ? last.clock + last.length : 0);
    if (clock + length > end) return gap(`a deletion of ${client}:${clock}+${length}, which the document does not have`);
    // Yjs deletes (and garbage-collects) a type's content recursively: a document stored before
    // this check, or restored, may hold a subtree that would overflow the stack when deleted.
    const stored = store.clients.get(client);
    if (!stored || clock >= Y.getState(store, client)) continue;
    for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i]!.id.clock < clock + length; i++) {
      const struct = stored[i]!;
      if (struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentType && deeperThan(struct.content.type, bounds.maxTypeDepth)) {
        return refuse(`a deletion of elements nested deeper than ${bounds.maxTypeDepth}`);
      }
    }
  }
  if (types === 0) return { ok: true };

  // The depth of every type the update creates, with explicit stacks: an update may nest 100,000.
  // Per struct index: its parent type once known (undefined: not yet), the depth of the type it
  // creates (0: not yet), whether parentOf is working on it.
  const parents: (TypeRef | undefined)[] = new Array(structs.length);
  const depths = new Int32Array(structs.length);
  const visiting = new Uint8Array(structs.length);
  const docDepths = new Map<Y.AbstractType<unknown>, number>();

  /** The type an ID names: the item of a type, in the update or in the document. */
  const typeAt = (id: Y.ID): TypeRef => {
    const index = inUpdate(id);
    if (index >= 0) return structs[index]!.type && structs[index]!.clock === id.clock ? { at: "update", index } : null;
    if (!inDoc(id)) return null;
    const found = Y.getItem(store, id) as Y.Item | Y.GC;
    return found instanceof Y.Item && found.content instanceof Y.ContentType ? { at: "doc", type: found.content.type } : null;
  };
  /** The struct an origin points into: in the update (an index), or in the document (a struct). */
  const neighbour = (id: Y.ID | null): { index: number } | { struct: Y.Item | Y.GC } | null => {
    if (id === null) return null;
    const index = inUpdate(id);
    if (index >= 0) return { index };
    if (!inDoc(id)) return null;
    const found = Y.getItem(store, id) as Y.Item | Y.GC;
    return found instanceof Y.Item || found instanceof Y.GC ? { struct: found } : null;
  };
  const isGC = (n: ReturnType<typeof neighbour>): boolean =>
    n !== null && ("index" in n ? !structs[n.index]!.item : n.struct instanceof Y.GC);

  /** The parent type of struct `start`, as Yjs's Item.getMissing finds it (origin first). */
  const parentOf = (start: number): TypeRef => {
    const stack = [start];
    while (stack.length > 0) {
      const index = stack[stack.length - 1]!;
      if (parents[index] !== undefined) {
        stack.pop();
        continue;
      }
      const struct = structs[index]!;
      visiting[index] = 1;
      let result: TypeRef | undefined;
      if (!struct.item) result = null;
      else if (typeof struct.parent === "string") result = ROOT;
      else if (struct.parent !== null) result = typeAt(struct.parent);
      else {
        const left = neighbour(struct.origin);
        const right = neighbour(struct.rightOrigin);
        const side = left ?? right;
        if (isGC(left) || isGC(right) || side === null) result = null;
        else if ("struct" in side) {
          const parent = (side.struct as Y.Item).parent;
          result = parent instanceof Y.AbstractType ? { at: "doc", type: parent } : null;
        } else if (parents[side.index] !== undefined) result = parents[side.index]!;
        else if (visiting[side.index] === 1) result = null; // a cycle: Yjs never integrates it
        else stack.push(side.index);
      }
      if (result !== undefined) {
        parents[index] = result;
        stack.pop();
      }
    }
    return parents[start]!;
  };
  const depthInDoc = (type: Y.AbstractType<unknown>): number => {
    const known = docDepths.get(type);
    if (known !== undefined) return known;
    let depth = 0;
    for (let t: Y.AbstractType<unknown> = type; t._item !== null && depth <= bounds.maxTypeDepth; depth++) {
      const parent = t._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      t = parent;
    }
    docDepths.set(type, depth);
    return depth;
  };
  /** The depth of the type that struct `start` creates: one below its parent's. */
  const depthOf = (start: number): number => {
    const chain: number[] = [];
    let base = 0;
    for (let index = start; ; ) {
      if (depths[index]! > 0) {
        base = depths[index]!;
        break;
      }
      chain.push(index);
      if (chain.length > bounds.maxTypeDepth) return Infinity;
      const parent = parentOf(index);
      if (parent === null || parent.at === "root") break;
      if (parent.at === "doc") {
        base = depthInDoc(parent.type);
        break;
      }
      if (chain.includes(parent.index)) break; // a cycle: never integrated
      index = parent.index;
    }
    for (let i = chain.length - 1; i >= 0; i--) depths[chain[i]!] = ++base;
    return depths[start]!;
  };

  for (let index = 0; index < structs.length; index++) {
    if (structs[index]!.type && depthOf(index) > bounds.maxTypeDepth) {
      return refuse(`elements nested deeper than ${bounds.maxTypeDepth}`);
    }
  }
  return { ok: true };
}

/** Whether types nest more than `maxDepth` levels below `root` (an explicit stack, no recursion). */
function deeperThan(root: Y.AbstractType<unknown>, maxDepth: number): boolean {
  const stack: [Y.AbstractType<unknown>, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [type, depth] = stack.pop()!;
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      if (depth + 1 > maxDepth) return true;
      stack.push([item.content.type, depth + 1]);
    }
  }
  return false;
}

/** Reads one item's content; answers its length and whether it is a type, or why it is refused. */
function readContent(decoder: Y.UpdateDecoderV1, ref: number, maxValueDepth: number): { length: number; type: boolean } | string {
  const shallow = (value: unknown) => withinShape(value, { maxDepth: maxValueDepth, maxNodes: Number.MAX_SAFE_INTEGER });
  switch (ref) {
    case CONTENT.deleted:
      return { length: decoder.readLen(), type: false };
    case CONTENT.json: {
      const length = decoder.readLen();
      for (let i = 0; i < length; i++) {
        const text = decoder.readString();
        if (!jsonDepthWithin(text, maxValueDepth)) return "a value nested too deep";
        if (text !== "undefined") JSON.parse(text);
      }
      return { length, type: false };
    }
    case CONTENT.binary:
      decoder.readBuf();
      return { length: 1, type: false };
    case CONTENT.string:
      return { length: decoder.readString().length, type: false };
    case CONTENT.embed:
    case CONTENT.format: {
      if (ref === CONTENT.format) decoder.readKey();
      const text = decoding.readVarString(decoder.restDecoder);
      if (!jsonDepthWithin(text, maxValueDepth)) return "a value nested too deep";
      JSON.parse(text);
      return { length: 1, type: false };
    }
    case CONTENT.type: {
      const typeRef = decoder.readTypeRef();
      if (typeRef >= TYPE_REFS) return `an unknown type ${typeRef}`;
      if (typeRef === 3 || typeRef === 5) decoder.readKey();
      return { length: 1, type: true };
    }
    case CONTENT.any: {
      const length = decoder.readLen();
      // lib0's readAny recurses: a value deep enough to overflow it throws here, and is refused.
      for (let i = 0; i < length; i++) if (!shallow(decoder.readAny())) return "a value nested too deep";
      return { length, type: false };
    }
    case CONTENT.doc:
      return "a subdocument";
    default:
      return `unknown content ${ref}`;
  }
}

function refuse(reason: string): UpdateVerdict {
  return { ok: false, gap: false, reason };
}

function gap(reason: string): UpdateVerdict {
  return { ok: false, gap: true, reason };
}

function assertNever(value: never): never {
  throw new Error(`unexpected message kind ${String(value)}`);
}
