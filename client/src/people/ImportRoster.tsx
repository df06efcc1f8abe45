import { useId, useState, type ChangeEvent } from "react";
import type { ImportPreview, ImportResult } from "../../../shared/commands.ts";
import { ROSTER_COLUMNS, type ImportRow } from "../../../shared/roster.ts";
import { importRoster, previewImport } from "../api.ts";
import { Icon } from "../components/Icon.tsx";
import { errorKey } from "../components/Notices.tsx";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../live/Session.ts";
import { invitationsPath } from "../model/routes.ts";
import { navigate } from "../navigation.ts";
import { rememberLinks } from "./knownLinks.ts";

type Step =
  | { kind: "idle" }
  | { kind: "reading" }
  /** The file cannot be read as a roster at all: the server's words (unknown columns, not UTF-8, …). */
  | { kind: "unreadable"; message: string; code: string }
  | { kind: "preview"; rows: ImportRow[] }
  | { kind: "importing"; rows: ImportRow[] }
  | { kind: "done"; result: ImportResult };

/** Whether a refused import's body carries its rows (`{error, rows}`). */
function rowsOf(body: unknown): ImportRow[] | null {
  const rows = (body as Partial<ImportPreview> | null)?.rows;
  return Array.isArray(rows) ? rows : null;
}

/**
 * The chair imports the roster from a CSV or XLSX file: the server reads and checks every row first
 * (a dry run, nothing changes), the preview shows each with what is wrong with it, and only a file
 * without errors can be imported, all of it in one change. The new personal links stay in this
 * page for the invitation cards.
 */
export function ImportRoster() {
  const { t } = useI18n();
  const { conferenceId, token } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const inputId = useId();

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    // Emptied at once, so that choosing the same file again, corrected, reads it again.
    event.target.value = "";
    if (!chosen) return;
    setFile(chosen);
    setStep({ kind: "reading" });
    const answer = await previewImport(conferenceId, token, chosen);
    if (answer.ok) return setStep({ kind: "preview", rows: answer.value.rows });
    setStep({ kind: "unreadable", message: answer.message, code: answer.code });
  };

  const run = async (rows: ImportRow[]) => {
    if (!file) return;
    setStep({ kind: "importing", rows });
    const answer = await importRoster(conferenceId, token, file);
    if (answer.ok) {
      rememberLinks(conferenceId, answer.value.participants);
      setFile(null);
      return setStep({ kind: "done", result: answer.value });
    }
    // The roster changed since the preview (someone added the same person): the rows say how.
    const refused = rowsOf(answer.body);
    if (refused) return setStep({ kind: "preview", rows: refused });
    setStep({ kind: "unreadable", message: answer.message, code: answer.code });
  };

  const template = () => {
    const header = ROSTER_COLUMNS.map((c) => t(`roster.columns.${c}`));
    const example = [t("import.exampleName"), t("import.exampleOrganisation"), t("role.delegate"), t("attendance.hall"), "x", t("import.exampleCluster")];
    const csv = `\uFEFF${[header, example].map((row) => row.map((cell) => (/[",;\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(",")).join("\r\n")}\r\n`;
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = t("import.templateFile");
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const rows = step.kind === "preview" || step.kind === "importing" ? step.rows : null;
  const wrong = rows?.filter((r) => r.errors.length > 0).length ?? 0;

  return (
    <details className="add-person import">
      <summary>
        <Icon name="upload" /> {t("import.title")}
      </summary>
      <div className="form">
        <p className="hint">
          {t("import.hint", { columns: ROSTER_COLUMNS.map((c) => t(`roster.columns.${c}`)).join(", ") })}{" "}
          <button type="button" className="link-button" onClick={template}>
            {t("import.template")}
          </button>
        </p>
        {/* The browser's own file button speaks the browser's language; ours speaks the page's. */}
        <div className="file-pick">
          <input
            id={inputId}
            className="file-pick__input"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => void choose(e)}
          />
          <label htmlFor={inputId} className="btn btn--small file-pick__button">
            <Icon name="upload" /> {t("import.file")}
          </label>
        </div>
        {file && step.kind !== "done" && (
          <p className="import__file">
            {t("import.chosen", { name: file.name })}
          </p>
        )}
        {step.kind === "reading" && <p className="muted" role="status">{t("import.reading")}</p>}
        {step.kind === "unreadable" && (
          <div className="form__error" role="alert">
            <p>{step.code === "invalid" ? t("import.unreadable") : t(errorKey(step.code))}</p>
            {step.code === "invalid" && <p className="import__server">{step.message}</p>}
          </div>
        )}
        {rows && (
          <>
            <p className={wrong > 0 ? "import__summary import__summary--wrong" : "import__summary"} role="status">
              {wrong > 0
                ? t("import.summaryWrong", { count: rows.length, n: rows.length, wrong })
                : t("import.summaryOk", { count: rows.length, n: rows.length })}
            </p>
            {wrong > 0 && (
              <ul className="import__problems" aria-label={t("import.problems")}>
                {rows
                  .filter((r) => r.errors.length > 0)
                  .map((r) => (
                    <li key={r.line}>
                      <strong>{t("import.lineOf", { line: r.line, name: r.name || "—" })}</strong> {r.errors.join("; ")}
                    </li>
                  ))}
              </ul>
            )}
            <ImportPreviewTable rows={rows} />
            {wrong > 0 && <p className="hint">{t("import.fixAndChoose")}</p>}
            <div className="form__actions">
              <button type="button" className="btn btn--primary" disabled={wrong > 0 || step.kind === "importing"} onClick={() => void run(rows)}>
                {step.kind === "importing" ? t("import.importing") : t("import.submit", { count: rows.length, n: rows.length })}
              </button>
            </div>
          </>
        )}
        {step.kind === "done" && (
          <div className="added" role="status">
            <p>{t("import.done", { count: step.result.added, n: step.result.added })}</p>
            <p className="hint">{t("import.linksKept")}</p>
            <p>
              <button type="button" className="btn btn--primary btn--small" onClick={() => navigate(invitationsPath(conferenceId))}>
                <Icon name="print" /> {t("cards.open")}
              </button>
            </p>
          </div>
        )}
      </div>
    </details>
  );
}

/** The rows as the server read them, those with errors marked and their errors beneath. */
function ImportPreviewTable({ rows }: { rows: readonly ImportRow[] }) {
  const { t } = useI18n();
  return (
    <div className="import__scroll">
      <table className="table import__table">
        <caption className="visually-hidden">{t("import.previewCaption")}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t("import.line")}</th>
            <th scope="col">{t("roster.columns.name")}</th>
            <th scope="col">{t("roster.columns.organisation")}</th>
            <th scope="col">{t("roster.columns.role")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <ImportPreviewRow key={row.line} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportPreviewRow({ row }: { row: ImportRow }) {
  const { t } = useI18n();
  const wrong = row.errors.length > 0;
  return (
    <>
      <tr className={wrong ? "import__row import__row--wrong" : "import__row"}>
        <td className="num">{row.line}</td>
        <td>
          {row.name || <span className="muted">—</span>}
          {row.representative && (
            <span className="rep" title={t("people.representative")}>
              {" "}
              <Icon name="star" />
              <span className="visually-hidden">{t("people.representative")}</span>
            </span>
          )}
        </td>
        <td>
          {row.organisation || <span className="muted">—</span>}
          {row.cluster && <span className="muted"> · {row.cluster}</span>}
        </td>
        <td>
          {t(`role.${row.role}`)}
          <span className="muted"> · {t(`attendance.${row.attendance}`)}</span>
        </td>
      </tr>
      {wrong && (
        <tr className="import__row import__row--wrong import__errors">
          <td />
          <td colSpan={3}>
            <ul>
              {row.errors.map((error) => (
                <li key={error}>
                  <Icon name="close" /> {error}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}
