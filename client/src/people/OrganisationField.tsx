import { useId } from "react";
import { organisationNamed } from "../../../shared/domain/organisations.ts";
import { LIMITS } from "../../../shared/limits.ts";
import type { Organisation } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";

/**
 * An organisation for the chair's forms: picked from the roster as one types (a datalist of its
 * names), or a new name, which the server adds to the roster. Says which it will be.
 */
export function OrganisationField({ value, onChange, organisations }: { value: string; onChange: (value: string) => void; organisations: Organisation[] }) {
  const { t } = useI18n();
  const listId = useId();
  const hintId = useId();
  const typed = value.trim();
  const known = typed === "" ? undefined : organisationNamed({ organisations }, typed);
  return (
    <div className="field">
      <label htmlFor={`${listId}-input`}>
        <span className="field__label">{t("join.organisation")}</span>
      </label>
      <input
        id={`${listId}-input`}
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={LIMITS.organisation}
        autoComplete="off"
        aria-describedby={hintId}
      />
      <datalist id={listId}>
        {organisations.map((o) => (
          <option key={o.id} value={o.name}>
            {o.shortName || undefined}
          </option>
        ))}
      </datalist>
      <p className="hint field__hint" id={hintId}>
        {typed === "" ? t("people.orgNone") : known ? t("people.orgOnRoster", { name: known.name }) : t("people.orgNew", { name: typed })}
      </p>
    </div>
  );
}

/** The roster's organisation of a typed name, or null for none; a new name is added first (chair's REST). */
export async function organisationIdFor(
  name: string,
  organisations: Organisation[],
  add: (name: string) => Promise<{ ok: true; value: { id: string } } | { ok: false; code: string }>,
): Promise<{ ok: true; id: string | null } | { ok: false; code: string }> {
  const typed = name.trim();
  if (typed === "") return { ok: true, id: null };
  const known = organisationNamed({ organisations }, typed);
  if (known) return { ok: true, id: known.id };
  const added = await add(typed);
  return added.ok ? { ok: true, id: added.value.id } : { ok: false, code: added.code };
}
