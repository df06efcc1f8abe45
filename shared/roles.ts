/** Who a participant is in a conference; one role per token. */
export const ROLES = ["chair", "secretary", "delegate", "observer", "projector"] as const;
export type Role = (typeof ROLES)[number];

export const ATTENDANCES = ["hall", "online"] as const;
export type Attendance = (typeof ATTENDANCES)[number];

/** Chairs and delegates vote; secretaries, observers and projectors do not. */
export function isVoter(role: Role): boolean {
  return role === "chair" || role === "delegate";
}

/** Roles that see the join code (the projector shows it as a QR code). */
export function seesJoinCode(role: Role): boolean {
  return role === "chair" || role === "secretary" || role === "projector";
}

/** Roles that write the minutes; every other role only reads them. */
export function writesMinutes(role: Role): boolean {
  return role === "chair" || role === "secretary";
}

/** Roles that see who voted how in a closed named poll: the chair, and secretaries for the minutes. */
export function seesBallots(role: Role): boolean {
  return role === "chair" || role === "secretary";
}
