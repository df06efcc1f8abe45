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

/**
 * The code of a 500 answer: an unexpected server error, outside the contract's codes. Clients
 * also read it for any code they do not know.
 */
export const INTERNAL_ERROR_CODE = "internal";

/** A code a client may find in an error body: one of the contract's, or `internal`. */
export type AnyErrorCode = ErrorCode | typeof INTERNAL_ERROR_CODE;

/** An error as REST and acks carry it: `{code, message}`; the message is English, for people and logs. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** The error codes, as a list (for clients that map a code to words). */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** `err.message` of a Socket.IO `connect_error` the server sends. */
export const ConnectRefusal = {
  unauthorized: "unauthorized",
  rateLimited: "rate_limited",
  /** The client speaks another PROTOCOL_VERSION; `err.data.protocolVersion` is the server's. */
  incompatibleProtocol: "incompatible_protocol",
} as const;

/** Close codes of the minutes websocket. */
export const YjsCloseCode = {
  unauthorized: 4401,
  notFound: 4404,
  /** v1.1: the participant's role changed; connect again (as a writer or a reader of the new role). */
  roleChanged: 4000,
  /** It sent far more messages than its allowance, for long enough (docs/protocol.md, "Minutes websocket limits"). */
  rateLimited: 4429,
  /** It did not read what it was sent: its unsent queue passed MINUTES_LIMITS.hardBufferBytes. */
  tooSlow: 4413,
  /** v1.1: a reader while the draft is not shared (PROTOCOL.md: 4403). */
  notShared: 4403,
  /** v1.1: a writer's edit after the minutes were approved: discarded; connect again to read. */
  approved: 4423,
} as const;
