import type { Millis } from "../../../shared/state.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared/minutes.ts";
import { datePartsOf } from "../../../shared/officialMinutes.ts";

/** The file name of the export: `bien-ban-2021-11-15.docx`, dated the meeting day in its time zone. */
export function exportFileName(stem: string, at: Millis, timeZone = DEFAULT_TIME_ZONE): string {
  const d = datePartsOf(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${d.year}-${pad(d.month)}-${pad(d.day)}.docx`;
}
