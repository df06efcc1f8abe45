/** The client's pages, matched from `location.pathname`. */
export type Route =
  | { page: "landing" }
  | { page: "join"; conferenceId: string }
  /** `/join`: the join code alone is typed, as on Slido. */
  | { page: "join_code" }
  | { page: "conference"; conferenceId: string }
  | { page: "not_found" };

const ID = "([A-Za-z0-9_-]{1,64})";
const JOIN = new RegExp(`^/c/${ID}/join/?$`);
const CONFERENCE = new RegExp(`^/c/${ID}/?$`);

export function matchRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "landing" };
  if (/^\/join\/?$/.test(pathname)) return { page: "join_code" };
  const join = JOIN.exec(pathname);
  if (join) return { page: "join", conferenceId: join[1]! };
  const conference = CONFERENCE.exec(pathname);
  if (conference) return { page: "conference", conferenceId: conference[1]! };
  return { page: "not_found" };
}

/** The join page's address for a conference, with the code when known. */
export function joinPath(conferenceId: string, joinCode?: string): string {
  return `/c/${encodeURIComponent(conferenceId)}/join${joinCode ? `?code=${encodeURIComponent(joinCode)}` : ""}`;
}
