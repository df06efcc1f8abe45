import type {
  JoinCodeLookup,
  ServerInfo,
  AddOrganisationRequest,
  AddParticipantRequest,
  Admission,
  CreateConferenceRequest,
  CreatedConference,
  ImportPreview,
  ImportResult,
  IssuedToken,
  IssuedTokens,
  JoinRequest,
  PublicConference,
  RosterParticipant,
  UpdateConferenceRequest,
  UpdateOrganisationRequest,
  UpdateParticipantRequest,
} from "../../shared/commands.ts";
import { ErrorCode, INTERNAL_ERROR_CODE, type AnyErrorCode } from "../../shared/errors.ts";
import type { Organisation } from "../../shared/state.ts";

/**
 * What every REST call answers: the body, or the error code the server gave (or `unavailable`),
 * with its message (English, for logs and for what has no words of ours: a file that cannot be
 * read) and the whole error body (a refused import carries its rows beside the error).
 */
export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: AnyErrorCode; status: number; message: string; body: unknown };

/** A body sent as it is (an imported file), with its Content-Type. */
interface RawBody {
  data: Blob;
  type: string;
}

async function call<T>(method: string, path: string, body?: unknown, token?: string, raw?: RawBody): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (raw) headers["Content-Type"] = raw.type;
  else if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, code: ErrorCode.unavailable, status: 0, message: "offline", body: null };
  }
  // The server's answer, trusted to follow the contract (shared/commands.ts and shared/errors.ts).
  const json = (await response.json().catch(() => null)) as { error?: { code?: AnyErrorCode; message?: string } } | null;
  if (!response.ok) {
    return {
      ok: false,
      code: json?.error?.code ?? INTERNAL_ERROR_CODE,
      status: response.status,
      message: json?.error?.message ?? response.statusText,
      body: json,
    };
  }
  return { ok: true, value: json as T };
}

const conf = (id: string) => `/api/conferences/${encodeURIComponent(id)}`;

/** Creates a conference (with the admin token when the server asks for one). */
export function createConference(body: CreateConferenceRequest, adminToken?: string) {
  return call<CreatedConference>("POST", "/api/conferences", body, adminToken);
}

/** The public face of a conference, for the join page. */
export function getServerInfo() {
  return call<ServerInfo>("GET", "/api/server");
}

export function getConference(id: string) {
  return call<PublicConference>("GET", conf(id));
}

/** A chair corrects the conference's facts (v1.1); answers them as `getConference` does. */
export function updateConference(id: string, token: string, body: UpdateConferenceRequest) {
  return call<PublicConference>("PATCH", conf(id), body, token);
}

/** Which conference a typed join code opens (the `/join` page). */
export function lookUpJoinCode(joinCode: string) {
  return call<JoinCodeLookup>("POST", "/api/join-codes", { joinCode });
}

/** Joins a conference as a delegate with its join code. */
export function joinConference(id: string, body: JoinRequest) {
  return call<Admission>("POST", `${conf(id)}/join`, body);
}

/** Who a stored token is; 401 once it no longer works (the join page's "continue as …"). */
export function getMe(id: string, token: string) {
  return call<RosterParticipant>("GET", `${conf(id)}/me`, undefined, token);
}

/** The roster's organisations (public: the join page's picker). */
export function getOrganisations(id: string) {
  return call<Organisation[]>("GET", `${conf(id)}/organisations`);
}

export function addOrganisation(id: string, token: string, body: AddOrganisationRequest) {
  return call<{ id: string }>("POST", `${conf(id)}/organisations`, body, token);
}

export function updateOrganisation(id: string, token: string, organisationId: string, body: UpdateOrganisationRequest) {
  return call<Organisation>("PATCH", `${conf(id)}/organisations/${encodeURIComponent(organisationId)}`, body, token);
}

/** Adds a participant (a chair's token): answers their token and link. */
export function addParticipant(id: string, token: string, body: AddParticipantRequest) {
  return call<Admission>("POST", `${conf(id)}/participants`, body, token);
}

export function updateParticipant(id: string, token: string, participantId: string, body: UpdateParticipantRequest) {
  return call<RosterParticipant>("PATCH", `${conf(id)}/participants/${encodeURIComponent(participantId)}`, body, token);
}

/** Removes a participant: their token stops working; they stay in the records (204). */
export function removeParticipant(id: string, token: string, participantId: string) {
  return call<null>("DELETE", `${conf(id)}/participants/${encodeURIComponent(participantId)}`, undefined, token);
}

/** A new personal link for one participant; their old one stops working at once. */
export function reissueToken(id: string, token: string, participantId: string) {
  return call<IssuedToken>("POST", `${conf(id)}/participants/${encodeURIComponent(participantId)}/token`, undefined, token);
}

/** New personal links for several participants (the invitation cards); each old one stops working. */
export function reissueTokens(id: string, token: string, participantIds: string[]) {
  return call<IssuedTokens>("POST", `${conf(id)}/participants/tokens`, { participantIds }, token);
}

export const CSV_TYPE = "text/csv";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The Content-Type a roster file is sent with: by its name (and type), XLSX or else CSV. */
export function rosterFileType(file: Pick<File, "name" | "type">): string {
  return file.type === XLSX_TYPE || /\.xlsx$/i.test(file.name) ? XLSX_TYPE : CSV_TYPE;
}

/** Reads a roster file and checks every row, changing nothing (`?dryRun=1`). */
export function previewImport(id: string, token: string, file: File) {
  return call<ImportPreview>("POST", `${conf(id)}/participants/import?dryRun=1`, undefined, token, { data: file, type: rosterFileType(file) });
}

/** Adds every row of a roster file in one change, or none (400 with the rows if one has an error). */
export function importRoster(id: string, token: string, file: File) {
  return call<ImportResult>("POST", `${conf(id)}/participants/import`, undefined, token, { data: file, type: rosterFileType(file) });
}

/**
 * Fetches a file that needs the bearer token (the roster as CSV, the minutes as DOCX) and hands
 * it to the browser as a download, named as the server's Content-Disposition says (else `fallback`).
 * Answers the HTTP status of a failure, null when offline.
 */
export async function downloadWithToken(path: string, token: string, fallback: string): Promise<{ ok: true } | { ok: false; status: number | null }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, status: null };
  }
  if (!response.ok) return { ok: false, status: response.status };
  const blob = await response.blob();
  const name = response.headers.get("content-disposition")?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true };
}

/** The roster as CSV (chair, secretary), saved as a file. */
export function downloadRosterCsv(id: string, token: string) {
  return downloadWithToken(`${conf(id)}/participants.csv`, token, `participants-${id}.csv`);
}
