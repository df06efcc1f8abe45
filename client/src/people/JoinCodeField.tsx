import { useI18n } from "../i18n/index.ts";

/** The join code's input, as on the hall's screen: capitals, no autocomplete, monospaced. */
export function JoinCodeField({
  value,
  onChange,
  autoFocus,
  describedBy,
}: {
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
  describedBy?: string;
}) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{t("join.code")} *</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        maxLength={32}
        autoCapitalize="characters"
        autoComplete="off"
        autoFocus={autoFocus}
        aria-describedby={describedBy}
        className="mono"
      />
    </label>
  );
}
