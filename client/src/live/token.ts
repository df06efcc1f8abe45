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
  return localStorage.getItem(key(conferenceId));
}

export function saveToken(conferenceId: string, token: string): void {
  localStorage.setItem(key(conferenceId), token);
}

export function forgetToken(conferenceId: string): void {
  localStorage.removeItem(key(conferenceId));
}
