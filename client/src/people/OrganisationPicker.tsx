import { useId } from "react";
import { LIMITS } from "../../../shared/limits.ts";
import type { Organisation } from "../../../shared/state.ts";
import { useI18n } from "../i18n/index.ts";
import { findOrganisations } from "../model/roster.ts";

/** What a joining delegate says of their organisation. */
export type OrganisationChoice =
  /** Picked from the roster. */
  | { kind: "roster"; id: string }
  /** Not on the list: the name they type (a guest unless registration is open). */
  | { kind: "other"; name: string }
  /** Nothing picked yet: the search box alone says what they meant (`resolveChoice`). */
  | { kind: "none" };

/**
 * What a join sends for the organisation: the picked one; else the one the search finds when it
 * finds exactly one; else, when it finds none, the typed words as a name not on the list. Several
 * found and none picked: `ambiguous`, the delegate has to pick.
 */
export function resolveChoice(
  choice: OrganisationChoice,
  query: string,
  organisations: readonly Organisation[],
  locale: string,
): { organisationId?: string; organisation?: string } | "ambiguous" {
  if (choice.kind === "roster") return { organisationId: choice.id };
  if (choice.kind === "other") return choice.name.trim() ? { organisation: choice.name.trim() } : {};
  const typed = query.trim();
  if (typed === "") return {};
  const { shown, found } = findOrganisations(organisations, typed, locale, 2);
  if (found === 1) return { organisationId: shown[0]!.id };
  if (found === 0) return { organisation: typed };
  return "ambiguous";
}

interface Props {
  organisations: readonly Organisation[];
  query: string;
  onQuery: (query: string) => void;
  choice: OrganisationChoice;
  onChoice: (choice: OrganisationChoice) => void;
  /** A name not on the list joins the roster (true) or makes a guest (false). */
  registrationOpen: boolean;
}

/**
 * The organisation on the join page, picked from the conference's roster: a search box (no
 * diacritics needed, so "xay dung" finds "Xây dựng" on any phone keyboard) over the list as
 * radio buttons, and "not on the list" with a free name, saying what that means.
 */
export function OrganisationPicker({ organisations, query, onQuery, choice, onChoice, registrationOpen }: Props) {
  const { t, fmt } = useI18n();
  const searchId = useId();
  const hintId = useId();
  const name = useId();
  const { shown, found } = findOrganisations(organisations, query, fmt.locale, 8);
  const picked = choice.kind === "roster" ? organisations.find((o) => o.id === choice.id) : undefined;
  // The picked one stays in view whatever the search shows.
  const options = picked && !shown.some((o) => o.id === picked.id) ? [picked, ...shown] : shown;
  const typed = query.trim();
  const other = choice.kind === "other";
  const guestNote = registrationOpen ? t("join.otherAdded") : t("join.otherGuest");

  return (
    <div className="field org-picker">
      <label htmlFor={searchId}>
        <span className="field__label">{t("join.organisation")}</span>
      </label>
      <input
        id={searchId}
        type="search"
        value={query}
        onChange={(e) => {
          onQuery(e.target.value);
          if (choice.kind === "roster") onChoice({ kind: "none" });
        }}
        placeholder={t("join.orgSearchPlaceholder")}
        maxLength={LIMITS.organisation}
        autoComplete="organization"
        aria-describedby={hintId}
      />
      <p className="hint field__hint" id={hintId}>
        {t("join.orgSearchHint", { count: organisations.length, n: fmt.number(organisations.length) })}
      </p>
      <fieldset className="org-picker__list">
        <legend className="visually-hidden">{t("join.orgPick")}</legend>
        {options.map((o) => (
          <label key={o.id} className="org-option">
            <input type="radio" name={name} checked={choice.kind === "roster" && choice.id === o.id} onChange={() => onChoice({ kind: "roster", id: o.id })} />
            <span>
              {o.name}
              {o.shortName && <small className="muted"> · {o.shortName}</small>}
            </span>
          </label>
        ))}
        {found > shown.length && <p className="hint">{t("join.orgMore", { n: fmt.number(found - shown.length) })}</p>}
        {found === 0 && typed && <p className="hint">{t("join.orgNotFound", { query: typed })}</p>}
        <label className="org-option org-option--other">
          <input type="radio" name={name} checked={other} onChange={() => onChoice({ kind: "other", name: typed })} />
          <span>{t("join.orgOther")}</span>
        </label>
      </fieldset>
      {other && (
        <label className="field">
          <span>{t("join.orgOtherName")}</span>
          <input value={choice.name} onChange={(e) => onChoice({ kind: "other", name: e.target.value })} maxLength={LIMITS.organisation} autoComplete="organization" />
        </label>
      )}
      {(other || (choice.kind === "none" && typed && found === 0)) && <p className="org-picker__note">{guestNote}</p>}
    </div>
  );
}
