import type {
  JoinCodeLookup,
  ServerInfo,
  AddParticipantRequest,
  Admission,
  CreateConferenceRequest,
  CreatedConference,
  JoinRequest,
  PublicConference,
} from "../../shared/commands.ts";
import { ErrorCode, INTERNAL_ERROR_CODE, type AnyErrorCode } from "../../shared/errors.ts";

/** What every REST call answers: the body, or the error code the server gave (or `unavailable`). */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: AnyErrorCode; status: number };

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, code: ErrorCode.unavailable, status: 0 };
  }
  // The server's answer, trusted to follow the contract (shared/commands.ts and shared/errors.ts).
  const json = (await response.json().catch(() => null)) as { error?: { code?: AnyErrorCode } } | null;
  if (!response.ok) return { ok: false, code: json?.error?.code ?? INTERNAL_ERROR_CODE, status: response.status };
  return { ok: true, value: json as T };
}

/** Creates a conference (with the admin token when the server asks for one). */
export function createConference(body: CreateConferenceRequest, adminToken?: string) {
  return call<CreatedConference>("POST", "/api/conferences", body, adminToken);
}

/** The public face of a conference, for the join page. */
export function getServerInfo() {
  return call<ServerInfo>("GET", "/api/server");
}

export function getConference(id: string) {
  return call<PublicConference>("GET", `/api/conferences/${encodeURIComponent(id)}`);
}

/** Which conference a typed join code opens (the `/join` page). */
export function lookUpJoinCode(joinCode: string) {
  return call<JoinCodeLookup>("POST", "/api/join-codes", { joinCode });
}

/** Joins a conference as a delegate with its join code. */
export function joinConference(id: string, body: JoinRequest) {
  return call<Admission>("POST", `/api/conferences/${encodeURIComponent(id)}/join`, body);
}

/** Adds a participant (a chair's token): answers their token and link. */
export function addParticipant(id: string, token: string, body: AddParticipantRequest) {
  return call<Admission>("POST", `/api/conferences/${encodeURIComponent(id)}/participants`, body, token);
}
