import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { ERROR_CODES, INTERNAL_ERROR_CODE } from "../../../shared/errors.ts";
import { useI18n } from "../i18n/index.ts";

interface Notice {
  id: number;
  /** A key of the `common` namespace. */
  key: string;
  tone: "error" | "info";
}

interface NoticeApi {
  show(key: string, tone?: Notice["tone"]): void;
}

const NoticeContext = createContext<NoticeApi>({ show: () => undefined });

/** The translation key for an error code from the server (or `unavailable` when offline). */
export function errorKey(code: string): string {
  return `errors.${(ERROR_CODES as readonly string[]).includes(code) ? code : INTERNAL_ERROR_CODE}`;
}

/** Small messages at the bottom of the screen (refusals, "link copied"); announced politely. */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const api = useMemo<NoticeApi>(
    () => ({
      show(key, tone = "error") {
        const id = next.current++;
        setNotices((all) => [...all.slice(-2), { id, key, tone }]);
        setTimeout(() => dismiss(id), 6000);
      },
    }),
    [dismiss],
  );
  return (
    <NoticeContext.Provider value={api}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice notice--${n.tone}`}>
            <span>{t(n.key)}</span>
            <button type="button" className="notice__close" onClick={() => dismiss(n.id)} aria-label={t("action.dismiss")}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

/** Shows a notice (a key of the `common` namespace) from anywhere below the `NoticeProvider`. */
export function useNotice(): NoticeApi {
  return useContext(NoticeContext);
}
