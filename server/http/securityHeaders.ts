/**
 * Headers on every HTTP answer, Express's and Socket.IO's polling alike. Only our own scripts run;
 * names and titles are data, never markup; the page talks only to its own origin (`'self'`
 * covers same-origin websockets).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};
