/** Answers why a download failed, for the panel to show. */
export type ExportResult = { ok: true } | { ok: false; status: number | null };

/** `bien-ban-2021-11-15.docx` from the server's Content-Disposition, or a name of our own. */
export function downloadName(disposition: string | null, stem: string, now = new Date()): string {
  const match = disposition?.match(/filename="?([^";]+)"?/i);
  if (match?.[1]) return match[1];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.docx`;
}

/** Fetches the official minutes with the bearer token and hands them to the browser as a file. */
export async function downloadMinutesDocx(conferenceId: string, token: string, stem: string): Promise<ExportResult> {
  let response: Response;
  try {
    response = await fetch(`/api/conferences/${encodeURIComponent(conferenceId)}/minutes.docx`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    return { ok: false, status: null };
  }
  if (!response.ok) return { ok: false, status: response.status };
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = downloadName(response.headers.get("content-disposition"), stem);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true };
}
