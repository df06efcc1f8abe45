/** The client's pages, matched from `location.pathname`. */
export type Route =
  | { page: "landing" }
  | { page: "join"; conferenceId: string }
  /** `/join`: the join code alone is typed, as on Slido. */
  | { page: "join_code" }
  /**
   * `/c/:id`: the role's view; `/c/:id/invitations`: the chair's printable invitation cards;
   * `/c/:id/minutes/print`: the minutes in their official frame, for printing (chair, secretary).
   */
  | { page: "conference"; conferenceId: string; view: ConferenceView }
  | { page: "not_found" };

export type ConferenceView = "console" | "invitations" | "minutesPrint";

const ID = "([A-Za-z0-9_-]{1,64})";
const JOIN = new RegExp(`^/c/${ID}/join/?$`);
const CONFERENCE = new RegExp(`^/c/${ID}/?$`);
const INVITATIONS = new RegExp(`^/c/${ID}/invitations/?$`);
const MINUTES_PRINT = new RegExp(`^/c/${ID}/minutes/print/?$`);

export function matchRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "landing" };
  if (/^\/join\/?$/.test(pathname)) return { page: "join_code" };
  const join = JOIN.exec(pathname);
  if (join) return { page: "join", conferenceId: join[1]! };
  const conference = CONFERENCE.exec(pathname);
  if (conference) return { page: "conference", conferenceId: conference[1]!, view: "console" };
  const invitations = INVITATIONS.exec(pathname);
  if (invitations) return { page: "conference", conferenceId: invitations[1]!, view: "invitations" };
  const minutesPrint = MINUTES_PRINT.exec(pathname);
  if (minutesPrint) return { page: "conference", conferenceId: minutesPrint[1]!, view: "minutesPrint" };
  return { page: "not_found" };
}

/** The join page's address for a conference, with the code when known. */
export function joinPath(conferenceId: string, joinCode?: string): string {
  return `/c/${encodeURIComponent(conferenceId)}/join${joinCode ? `?code=${encodeURIComponent(joinCode)}` : ""}`;
}

/** A conference's page for its participants (the token is the browser's). */
export function conferencePath(conferenceId: string): string {
  return `/c/${encodeURIComponent(conferenceId)}`;
}

/** The chair's printable invitation cards. */
export function invitationsPath(conferenceId: string): string {
  return `/c/${encodeURIComponent(conferenceId)}/invitations`;
}

/** The minutes laid out for printing on A4 (chair, secretary). */
export function minutesPrintPath(conferenceId: string): string {
  return `/c/${encodeURIComponent(conferenceId)}/minutes/print`;
}
