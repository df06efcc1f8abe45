import { useId } from "react";
import { useI18n } from "../i18n/index.ts";
import { useNotice } from "./Notices.tsx";

/** A read-only link with a copy button (falls back to selecting the text). */
export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const notice = useNotice();
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      notice.show("copy.done", "info");
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      notice.show("copy.manual", "info");
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field__row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} className="mono" />
        <button type="button" className="btn btn--small" onClick={() => void copy()}>
          {t("copy.button")}
        </button>
      </div>
    </div>
  );
}
