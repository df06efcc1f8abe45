import type { ConferenceInfo, Language } from "../../shared/state.ts";
import type { Role, Attendance } from "../../shared/roles.ts";

/** What every REST call answers: the body, or the error code the server gave (or `unavailable`). */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; status: number };

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, code: "unavailable", status: 0 };
  }
  const json = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
  if (!response.ok) return { ok: false, code: json?.error?.code ?? "internal", status: response.status };
  return { ok: true, value: json as T };
}

export interface CreatedConference {
  id: string;
  chairToken: string;
  joinCode: string;
  url: string;
}

export interface NewConference {
  title: string;
  organisation?: string;
  venue?: string;
  startsAt?: number;
  language?: Language;
  chairName?: string;
}

export function createConference(body: NewConference, adminToken?: string) {
  return call<CreatedConference>("POST", "/api/conferences", body, adminToken);
}

/** The public face of a conference, for the join page. */
export type PublicConference = Omit<ConferenceInfo, "joinCode">;

export function getConference(id: string) {
  return call<PublicConference>("GET", `/api/conferences/${encodeURIComponent(id)}`);
}

export interface Admission {
  id: string;
  token: string;
  url: string;
}

export function joinConference(
  id: string,
  body: { joinCode: string; name: string; organisation?: string; attendance: Attendance },
) {
  return call<Admission>("POST", `/api/conferences/${encodeURIComponent(id)}/join`, body);
}

export function addParticipant(
  id: string,
  token: string,
  body: { name: string; organisation?: string; role: Role; attendance?: Attendance },
) {
  return call<Admission>("POST", `/api/conferences/${encodeURIComponent(id)}/participants`, body, token);
}
