import express from "express";

/** What Express's `trust proxy` setting takes from the environment. */
export type TrustProxy = boolean | number | string;

/**
 * Reads `TRUST_PROXY` as Express understands it: `true`/`false`, a hop count (`1`: trust the
 * first proxy in front of us), or names and addresses (`loopback`, `linklocal`, `uniquelocal`,
 * addresses and CIDR ranges, comma-separated). Unset or empty: trust nothing. A value Express would
 * refuse throws here, with the reason, before the server starts.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? "";
  if (value === "" || value.toLowerCase() === "false") return false;
  if (value.toLowerCase() === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  try {
    // Express compiles the setting at once: its own parser is the judge of what it accepts.
    express().set("trust proxy", value);
  } catch (error) {
    throw new Error(`TRUST_PROXY=${JSON.stringify(value)} is not understood: ${(error as Error).message}`);
  }
  return value;
}
