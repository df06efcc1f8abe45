import { useEffect, useRef, useState, type ReactNode } from "react";
import { useI18n } from "../i18n/index.ts";

interface Props {
  children: ReactNode;
  /** The question shown in place of the button, e.g. "Clear the whole queue?" */
  question: string;
  onConfirm: () => void;
  className?: string;
  disabled?: boolean;
  "aria-label"?: string;
}

/** A button that asks once more, in place, before doing something that cannot be undone. */
export function ConfirmButton({ children, question, onConfirm, className = "", disabled, ...rest }: Props) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className={className} disabled={disabled} aria-label={rest["aria-label"]} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm__q">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="btn btn--danger btn--small"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t("action.confirm")}
      </button>
      <button type="button" className="btn btn--small" onClick={() => setAsking(false)}>
        {t("action.cancel")}
      </button>
    </span>
  );
}

/**
 * The same question shown somewhere else than the button that raised it (a table row's actions
 * have no room for it): the question, confirm (focused) and cancel.
 */
export function ConfirmPrompt({ question, onConfirm, onCancel }: { question: string; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <span className="confirm confirm--block" role="group" aria-label={question}>
      <span className="confirm__q">{question}</span>
      <span className="confirm__buttons">
        <button ref={confirmRef} type="button" className="btn btn--danger btn--small" onClick={onConfirm}>
          {t("action.confirm")}
        </button>
        <button type="button" className="btn btn--small" onClick={onCancel}>
          {t("action.cancel")}
        </button>
      </span>
    </span>
  );
}
