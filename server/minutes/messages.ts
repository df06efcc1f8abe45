import * as decoding from "lib0/decoding";

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

function assertNever(value: never): never {
  throw new Error(`unexpected message kind ${String(value)}`);
}
