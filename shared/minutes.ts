/** The minutes' wire constants, for the server, the web client and outside clients alike. */

/** Where the minutes' websocket lives: `/yjs/<conferenceId>?token=…` (y-websocket protocol). */
export const YJS_PATH_PREFIX = "/yjs/";

/** The name of the Y.XmlFragment that holds the minutes' text (TipTap's `field`). */
export const MINUTES_FIELD = "minutes";

/**
 * The time zone of the reference meetings, and the default of every time printed for a
 * conference (the exported minutes, the one-click records).
 */
export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";
