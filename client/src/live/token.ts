/**
 * Where a participant's token lives in the browser. A link carries it in the fragment
 * (`/c/<id>#t=<token>`, never sent to a server); the page keeps it in localStorage per conference
 * and drops it from the address bar.
 */
const key = (conferenceId: string) => `giaoban.token.${conferenceId}`;

export function takeTokenFromUrl(conferenceId: string): string | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = params.get("t");
  if (fromUrl) {
    saveToken(conferenceId, fromUrl);
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return fromUrl;
  }
  return storedToken(conferenceId);
}

/** The token this browser holds for the conference, if any (the join page's "continue as …"). */
export function storedToken(conferenceId: string): string | null {
  try {
    return localStorage.getItem(key(conferenceId));
  } catch {
    return null;
  }
}

export function saveToken(conferenceId: string, token: string): void {
  localStorage.setItem(key(conferenceId), token);
}

/**
 * Forgets the conference's token; with `only`, only if it is still that one (a token refused while
 * a newer one was being stored must not take the newer one with it).
 */
export function forgetToken(conferenceId: string, only?: string): void {
  try {
    if (only === undefined || localStorage.getItem(key(conferenceId)) === only) localStorage.removeItem(key(conferenceId));
  } catch {
    /* nothing stored */
  }
}
