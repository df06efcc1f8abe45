/** Error codes shared by REST, Socket.IO acks and the Yjs socket (see docs/protocol.md). */
export const ErrorCode = {
  invalid: "invalid",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  notFound: "not_found",
  conflict: "conflict",
  tooLarge: "too_large",
  rateLimited: "rate_limited",
  unavailable: "unavailable",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each error code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Close codes of the minutes websocket. */
export const YjsCloseCode = {
  unauthorized: 4401,
  notFound: 4404,
} as const;
