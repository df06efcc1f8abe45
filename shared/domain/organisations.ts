import type { InternalCommand } from "../commands.ts";
import type { DomainEvent, OrganisationChanges } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { ConferenceState, Organisation, Participant } from "../state.ts";
import { isVoter } from "../roles.ts";
import { accept, refuse, type Decision } from "./decision.ts";

/**
 * How an organisation's name is recognised whatever the case, spacing and Unicode form it was typed
 * in: "Tổng hội  XÂY DỰNG Việt Nam" and "tổng hội xây dựng việt nam" are one organisation. Diacritics
 * count ("Hội" is not "Hồi"): two names that differ only by them are two organisations.
 */
export function organisationKey(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("vi");
}

/**
 * What a search compares: `organisationKey` without diacritics, and đ as d, so that "xay dung"
 * finds "Xây dựng" on a phone without a Vietnamese keyboard. For finding, never for identity.
 */
export function searchKey(text: string): string {
  return organisationKey(text).normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d");
}

/** Whether `query` (any part of a name, diacritics optional) finds this organisation, by name or short name. */
export function organisationMatches(organisation: Pick<Organisation, "name" | "shortName">, query: string): boolean {
  const wanted = searchKey(query);
  return wanted === "" || searchKey(organisation.name).includes(wanted) || searchKey(organisation.shortName).includes(wanted);
}

export function findOrganisation(state: Pick<ConferenceState, "organisations">, organisationId: string): Organisation | undefined {
  return state.organisations.find((o) => o.id === organisationId);
}

/** The roster's organisation of this name (`organisationKey`), or undefined. */
export function organisationNamed(state: Pick<ConferenceState, "organisations">, name: string): Organisation | undefined {
  const key = organisationKey(name);
  return key === "" ? undefined : state.organisations.find((o) => organisationKey(o.name) === key);
}

/**
 * Whether a join naming an organisation that is not on the roster adds it: the chair allows open
 * registration, or no chair has put an organisation on the roster yet (a conference run v1's way,
 * where the organisations are the names delegates type).
 */
export function registrationIsOpen(state: Pick<ConferenceState, "conference" | "organisations">): boolean {
  return state.conference.openRegistration || !state.organisations.some((o) => o.source === "roster");
}

/** Whether a participant votes: their role does (chairs, delegates) and they are no guest. */
export function votes(participant: Pick<Participant, "role" | "guest">): boolean {
  return isVoter(participant.role) && !participant.guest;
}

/** The member who casts this organisation's vote, if one is named (removed participants are not). */
export function representativeOf(state: Pick<ConferenceState, "participants">, organisationId: string): Participant | undefined {
  return state.participants.find((p) => p.organisationId === organisationId && p.representative && p.removedAt == null);
}

/** A cluster's name as stored: trimmed; empty is none. */
export function clusterOf(cluster: string | null | undefined): string | null {
  const trimmed = cluster?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

type OrganisationCommand = Extract<InternalCommand, { type: "organisations.add" | "organisations.update" }>;

/**
 * - `organisations.add`: a new name (409 `conflict` when the roster has it already, as
 *   `organisationKey` compares).
 * - `organisations.update`: the fields that differ (none: no event); a new name may not be another's.
 */
export function decideOrganisations(state: ConferenceState, command: OrganisationCommand): Decision {
  switch (command.type) {
    case "organisations.add": {
      if (state.organisations.length >= LIMITS.organisations) {
        return refuse("conflict", `a conference holds at most ${LIMITS.organisations} organisations`);
      }
      const existing = organisationNamed(state, command.name);
      if (existing) return refuse("conflict", `the roster already has this organisation: ${existing.name}`);
      const organisation: Organisation = {
        id: command.organisationId,
        name: command.name,
        shortName: command.shortName ?? "",
        cluster: clusterOf(command.cluster),
        source: command.source,
      };
      return accept([{ type: "organisation.added", data: { organisation } }], { id: organisation.id });
    }
    case "organisations.update": {
      const organisation = findOrganisation(state, command.organisationId);
      if (!organisation) return refuse("not_found", "no such organisation");
      const { name, shortName } = command.fields;
      const fields: OrganisationChanges = {};
      if (name !== undefined && name !== organisation.name) {
        const other = organisationNamed(state, name);
        if (other && other.id !== organisation.id) return refuse("conflict", `the roster already has this organisation: ${other.name}`);
        fields.name = name;
      }
      if (shortName !== undefined && shortName !== organisation.shortName) fields.shortName = shortName;
      if (command.fields.cluster !== undefined) {
        const cluster = clusterOf(command.fields.cluster);
        if (cluster !== organisation.cluster) fields.cluster = cluster;
      }
      if (Object.keys(fields).length === 0) return accept([]);
      return accept([{ type: "organisation.updated", data: { organisationId: organisation.id, fields } }]);
    }
  }
}

/** Folds an organisation event; a new name reaches its members' displayed `organisation`. */
export function evolveOrganisations(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `organisation.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "organisation.added":
      return { ...state, organisations: [...state.organisations, event.data.organisation] };
    case "organisation.updated": {
      const { organisationId, fields } = event.data;
      const { name, shortName, cluster } = fields;
      const organisations = state.organisations.map((o) =>
        o.id === organisationId
          ? { ...o, ...(name !== undefined && { name }), ...(shortName !== undefined && { shortName }), ...(cluster !== undefined && { cluster }) }
          : o,
      );
      const participants =
        name === undefined ? state.participants : state.participants.map((p) => (p.organisationId === organisationId ? { ...p, organisation: name } : p));
      return { ...state, organisations, participants };
    }
  }
}
