import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** A short random id for conferences, participants, items, requests and polls (72 bits). */
export function newId(): string {
  return randomBytes(9).toString("base64url");
}

/** A bearer token: 256 random bits. Only its hash is ever stored. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

// No 0/O, 1/I/L: the join code is read off a screen and typed on a phone.
const JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Eight characters from a 31-letter alphabet: about 40 bits, rate limited against guessing. */
export function newJoinCode(): string {
  return Array.from({ length: 8 }, () => JOIN_ALPHABET[randomInt(JOIN_ALPHABET.length)]).join("");
}

/** Join codes are compared without case, spaces or dashes. */
export function normaliseJoinCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

export function joinCodeMatches(expected: string, given: string): boolean {
  const a = Buffer.from(normaliseJoinCode(expected));
  const b = Buffer.from(normaliseJoinCode(given));
  return a.length === b.length && timingSafeEqual(a, b);
}
