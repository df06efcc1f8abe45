import { networkInterfaces } from "node:os";

/**
 * This machine's IPv4 address on the local network (the hall's Wi-Fi), or null. Private ranges
 * come first, so a laptop with a VPN or a container bridge still offers the address phones reach.
 */
export function lanAddress(): string | null {
  const candidates = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === "IPv4" && !entry.internal)
    .map((entry) => entry!.address);
  const isPrivate = (address: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address);
  return candidates.find(isPrivate) ?? candidates[0] ?? null;
}
