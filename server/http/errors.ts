import type { Response } from "express";
import { httpStatusOf, type ErrorCode } from "../../shared/errors.ts";

/** A refusal thrown by a route, answered as `{error: {code, message}}`. */
export class HttpError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** `{error: {code, message}}`, with `extra` beside `error` (an import's rows). */
export function sendError(res: Response, code: ErrorCode, message: string, extra?: object): void {
  res.status(httpStatusOf[code]).json({ ...extra, error: { code, message } });
}
