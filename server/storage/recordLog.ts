import { crc32 } from "node:zlib";

/**
 * The record format of our append-only logs (the minutes' Yjs updates, a conference's events). Each record is
 *
 *   u32 LE payload length | u32 LE CRC-32 of the payload | payload (one Yjs update; one batch of events as JSON)
 *
 * appended as updates arrive. A crash can leave the last record torn (short) or, on some file
 * systems, followed by zeros; reading stops at the first record that is incomplete, empty,
 * implausibly long or fails its checksum, and reports how many bytes were sound so the opener
 * can cut the tail off before appending again.
 */
export const RECORD_HEADER_BYTES = 8;
/** No single update is larger than this; a longer length field means a damaged record. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One record around an update. */
export function encodeRecord(update: Uint8Array): Buffer {
  if (update.length === 0) throw new Error("an empty update has no record");
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + update.length);
  record.writeUInt32LE(update.length, 0);
  record.writeUInt32LE(crc32(update), 4);
  record.set(update, RECORD_HEADER_BYTES);
  return record;
}

/** Several records in one buffer, for one write (one allocation, however many updates). */
export function encodeRecords(updates: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const update of updates) {
    if (update.length === 0) throw new Error("an empty update has no record");
    total += RECORD_HEADER_BYTES + update.length;
  }
  const records = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const update of updates) {
    records.writeUInt32LE(update.length, offset);
    records.writeUInt32LE(crc32(update), offset + 4);
    records.set(update, offset + RECORD_HEADER_BYTES);
    offset += RECORD_HEADER_BYTES + update.length;
  }
  return records;
}

export interface DecodedLog {
  updates: Uint8Array[];
  /** Bytes from the start that hold whole, sound records. */
  validBytes: number;
  /** Whether anything after `validBytes` was ignored. */
  torn: boolean;
}

/** Reads records until the data ends or a record is damaged. */
export function decodeRecords(data: Uint8Array): DecodedLog {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const updates: Uint8Array[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= view.length) {
    const length = view.readUInt32LE(offset);
    const checksum = view.readUInt32LE(offset + 4);
    const start = offset + RECORD_HEADER_BYTES;
    if (length === 0 || length > MAX_RECORD_BYTES || start + length > view.length) break;
    const payload = view.subarray(start, start + length);
    if (crc32(payload) !== checksum) break;
    updates.push(new Uint8Array(payload));
    offset = start + length;
  }
  return { updates, validBytes: offset, torn: offset < view.length };
}
