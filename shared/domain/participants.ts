import type { CommandOf, InternalCommand } from "../commands.ts";
import type { DomainEvent, ParticipantChanges } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { Actor, ConferenceState, Organisation, Participant } from "../state.ts";
import { accept, refuse, type DecideContext, type Decision } from "./decision.ts";
import { byId } from "./lookup.ts";
import { takeOffTheFloor } from "./cascades.ts";
import { decideOrganisations, findOrganisation, organisationKey, organisationNamed, registrationIsOpen, representativeOf, votes } from "./organisations.ts";

/** A participant's status on the roster: invited (never there), present in the hall or online, or left. */
export type RosterStatus = "invited" | "hall" | "online" | "left";

export function rosterStatus(participant: Pick<Participant, "checkedInAt" | "leftAt" | "attendance">): RosterStatus {
  if (participant.checkedInAt == null) return "invited";
  if (participant.leftAt != null) return "left";
  return participant.attendance;
}

export function findParticipant(state: ConferenceState, participantId: string): Participant | undefined {
  return byId(state.participants, participantId);
}

/** Whether a participant is there: checked in and not marked gone since. */
export function isPresent(participant: Pick<Participant, "checkedInAt" | "leftAt">): boolean {
  return participant.checkedInAt != null && participant.leftAt == null;
}

/** The event that checks a participant in (again, after they left), unless they are there. */
function checkIn(state: ConferenceState, participantId: string, now: number): Decision {
  const participant = findMember(state, participantId);
  if (!participant) return refuse("not_found", "no such participant");
  if (isPresent(participant)) return accept([]);
  return accept([{ type: "participant.checked_in", data: { participantId, at: now } }]);
}

/** The event that marks a participant as gone; again changes nothing, never there is a conflict. */
function leave(state: ConferenceState, participantId: string, now: number): Decision {
  const participant = findMember(state, participantId);
  if (!participant) return refuse("not_found", "no such participant");
  if (participant.checkedInAt == null) return refuse("conflict", "the participant has not checked in");
  if (participant.leftAt != null) return accept([]);
  return accept([{ type: "participant.left", data: { participantId, at: now } }]);
}

/**
 * A new participant and where they belong: `organisationId` must be on the roster (else `invalid`);
 * an `organisation` name is matched to the roster (`organisationNamed`), and one not on it joins the
 * roster when a chair adds them or registration is open (`registrationIsOpen`); otherwise the
 * joiner is a guest: a delegate who does not vote, with the name they typed, on no organisation. A
 * representative takes over from their organisation's previous one.
 */
function addParticipant(state: ConferenceState, command: Extract<InternalCommand, { type: "participants.add" }>, ctx: DecideContext): Decision {
  if (state.participants.length >= LIMITS.participants) {
    return refuse("conflict", `a conference holds at most ${LIMITS.participants} participants`);
  }
  const events: DomainEvent[] = [];
  let organisation: Organisation | undefined;
  const role = command.role;
  let typed = "";
  let guest = false;
  if (command.organisationId !== undefined) {
    organisation = findOrganisation(state, command.organisationId);
    if (!organisation) return refuse("invalid", "no such organisation on the roster");
  } else if (command.organisation !== undefined && organisationKey(command.organisation) !== "") {
    organisation = organisationNamed(state, command.organisation);
    if (!organisation && (command.via === "chair" || registrationIsOpen(state))) {
      const added = decideOrganisations(state, {
        type: "organisations.add",
        organisationId: ctx.newId(),
        name: command.organisation,
        source: command.via === "join" ? "join" : "participant",
      });
      if (!added.ok) return added;
      events.push(...added.events);
      organisation = (added.events[0] as Extract<DomainEvent, { type: "organisation.added" }>).data.organisation;
    } else if (!organisation) {
      // A guest: not on the roster, so not voting for anyone.
      typed = command.organisation;
      guest = true;
    }
  }
  const representative = command.representative ?? false;
  if (representative) {
    const problem = representativeProblem(organisation?.id ?? null, { role, guest });
    if (problem) return refuse("invalid", problem);
    const previous = representativeOf(state, organisation!.id);
    if (previous) events.push({ type: "participant.updated", data: { participantId: previous.id, fields: { representative: false } } });
  }
  const participant: Participant = {
    id: command.participantId,
    name: command.name,
    organisation: organisation?.name ?? typed,
    organisationId: organisation?.id ?? null,
    representative,
    guest,
    proxyId: null,
    role,
    attendance: command.attendance,
    online: false,
    joinedAt: ctx.now,
    checkedInAt: null,
    leftAt: null,
    removedAt: null,
  };
  events.push({ type: "participant.added", data: { participant } });
  return accept(events, { id: participant.id });
}

/** Why someone may not be their organisation's representative, or null: they need one, and a vote. */
function representativeProblem(organisationId: string | null, participant: Pick<Participant, "role" | "guest">): string | null {
  if (organisationId === null) return "a representative must belong to an organisation on the roster";
  if (!votes(participant)) return "a representative must vote (a chair or a delegate, not a guest)";
  return null;
}

/**
 * `participants.setProxy` (v1.1): the giver and the holder both vote; never oneself; no chains (a
 * holder who gave their own vote away, or a giver who holds someone's). A holder may hold several.
 * Takes effect from the next poll that opens (`entitlement` in polls.ts fixes them then).
 */
function setProxy(state: ConferenceState, command: CommandOf<"participants.setProxy">): Decision {
  const giver = findMember(state, command.participantId);
  if (!giver) return refuse("not_found", "no such participant");
  if (command.proxyId === null) {
    return giver.proxyId === null ? accept([]) : accept([{ type: "participant.proxy_set", data: { participantId: giver.id, proxyId: null } }]);
  }
  const holder = findMember(state, command.proxyId);
  if (!holder) return refuse("not_found", "no such proxy holder");
  if (holder.id === giver.id) return refuse("invalid", "a proxy may not be given to oneself");
  if (!votes(giver)) return refuse("invalid", "only a voter's vote can be given to a proxy");
  if (!votes(holder)) return refuse("invalid", "a proxy must be a voter");
  if (holder.proxyId !== null) return refuse("conflict", `${holder.name} has given their own vote away: no chains of proxies`);
  if (state.participants.some((p) => p.proxyId === giver.id && !isRemoved(p))) {
    return refuse("conflict", `${giver.name} holds someone's proxy and cannot give their own vote away`);
  }
  if (giver.proxyId === holder.id) return accept([]);
  return accept([{ type: "participant.proxy_set", data: { participantId: giver.id, proxyId: holder.id } }]);
}

export function decideParticipants(
  state: ConferenceState,
  command:
    | CommandOf<"presence.set" | "participants.checkIn" | "participants.leave" | "participants.setProxy">
    | Exclude<Extract<InternalCommand, { type: `participants.${string}` }>, { type: "participants.import" }>,
  actor: Actor | null,
  ctx: DecideContext,
): Decision {
  switch (command.type) {
    case "participants.add":
      return addParticipant(state, command, ctx);
    case "participants.update":
    case "participants.remove":
    case "participants.reissueToken":
      return decideRoster(state, command, ctx.now);
    case "participants.checkIn":
    case "participants.arrived":
      return checkIn(state, command.participantId, ctx.now);
    case "participants.leave":
      return leave(state, command.participantId, ctx.now);
    case "participants.setProxy":
      return setProxy(state, command);
    case "presence.set": {
      const me = actor && findParticipant(state, actor.participantId);
      if (!me) return refuse("not_found", "unknown participant");
      if (me.attendance === command.attendance) return accept([]);
      return accept([
        { type: "participant.attendance_set", data: { participantId: me.id, attendance: command.attendance } },
      ]);
    }
  }
}

export function evolveParticipants(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: `participant.${string}` | `participants.${string}` }>,
): ConferenceState {
  switch (event.type) {
    case "participant.added":
      return { ...state, participants: [...state.participants, event.data.participant] };
    case "participant.checked_in":
    case "participants.checked_in": {
      // Checking in again after leaving keeps when they were first there and clears `leftAt`.
      const arrivals = event.type === "participant.checked_in" ? [event.data] : event.data.arrivals;
      const at = new Map<string, number>();
      for (const arrival of arrivals) if (!at.has(arrival.participantId)) at.set(arrival.participantId, arrival.at);
      return {
        ...state,
        participants: state.participants.map((p) => (at.has(p.id) ? { ...p, checkedInAt: p.checkedInAt ?? at.get(p.id)!, leftAt: null } : p)),
      };
    }
    case "participant.left":
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, leftAt: event.data.at } : p,
        ),
      };
    case "participant.updated":
    case "participant.removed":
      return evolveRoster(state, event);
    case "participant.proxy_set":
      return {
        ...state,
        participants: state.participants.map((p) => (p.id === event.data.participantId ? { ...p, proxyId: event.data.proxyId } : p)),
      };
    case "participant.attendance_set":
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.data.participantId ? { ...p, attendance: event.data.attendance } : p,
        ),
      };
  }
}

// ---------------------------------------------------------------------------------------------
// The roster as a chair keeps it (v1.1): change, remove, re-issue a token. Server-internal
// commands: the REST routes authorise the chair.

/** Whether a chair has removed this participant (they stay in the state, for the records). */
export function isRemoved(participant: Pick<Participant, "removedAt">): boolean {
  return participant.removedAt != null;
}

/** A participant who has not been removed, or undefined. */
export function findMember(state: ConferenceState, participantId: string): Participant | undefined {
  const participant = findParticipant(state, participantId);
  return participant && !isRemoved(participant) ? participant : undefined;
}

/** The chairs there are besides `participantId` (removed ones do not count). */
function otherChairs(state: ConferenceState, participantId: string): number {
  return state.participants.filter((p) => p.role === "chair" && !isRemoved(p) && p.id !== participantId).length;
}

type RosterCommand = Extract<InternalCommand, { type: "participants.update" | "participants.remove" | "participants.reissueToken" }>;

/**
 * - `participants.update`: the fields that differ from what is stored (none: no event); the last
 *   chair keeps the role (conflict). Who becomes a projector leaves the floor (a projector cannot speak).
 * - `participants.remove`: marks them removed; their speech ends and their open requests leave
 *   the queue; the last chair cannot be removed (conflict).
 * - `participants.reissueToken`: only that they are a member: the token is no state, no event.
 * A removed or unknown participant is `not_found`.
 */
function decideRoster(state: ConferenceState, command: RosterCommand, now: number): Decision {
  const participant = findMember(state, command.participantId);
  if (!participant) return refuse("not_found", "no such participant");
  const participantId = participant.id;
  switch (command.type) {
    case "participants.reissueToken":
      return accept([]);
    case "participants.remove":
      if (participant.role === "chair" && otherChairs(state, participantId) === 0) {
        return refuse("conflict", "the last chair cannot be removed");
      }
      return accept([...takeOffTheFloor(state, participantId, now), { type: "participant.removed", data: { participantId, at: now } }]);
    case "participants.update": {
      const { name, role, attendance, organisationId, representative, guest } = command.fields;
      const fields: ParticipantChanges = {};
      if (name !== undefined && name !== participant.name) fields.name = name;
      if (role !== undefined && role !== participant.role) fields.role = role;
      if (attendance !== undefined && attendance !== participant.attendance) fields.attendance = attendance;
      if (organisationId !== undefined && organisationId !== participant.organisationId) {
        const organisation = organisationId === null ? undefined : findOrganisation(state, organisationId);
        if (organisationId !== null && !organisation) return refuse("invalid", "no such organisation on the roster");
        fields.organisationId = organisationId;
        fields.organisation = organisation?.name ?? "";
      }
      // A guest put on an organisation is a member; `guest` as sent says otherwise.
      const nextGuest = guest ?? (fields.organisationId ? false : participant.guest);
      if (nextGuest !== participant.guest) fields.guest = nextGuest;
      if (fields.role !== undefined && participant.role === "chair" && otherChairs(state, participantId) === 0) {
        return refuse("conflict", "the last chair cannot be given another role");
      }
      // Whether they represent their organisation after the change: moving to another one, or to a
      // role that does not vote, ends it unless this same change names them again.
      const nextOrganisation = fields.organisationId !== undefined ? fields.organisationId : participant.organisationId;
      const next = { role: fields.role ?? participant.role, guest: nextGuest };
      const stillRepresents = participant.representative && fields.organisationId === undefined && votes(next);
      const represents = representative ?? stillRepresents;
      const before: DomainEvent[] = [];
      if (represents) {
        const problem = representativeProblem(nextOrganisation, next);
        if (problem) return refuse("invalid", problem);
        const previous = representativeOf(state, nextOrganisation!);
        if (previous && previous.id !== participantId) {
          before.push({ type: "participant.updated", data: { participantId: previous.id, fields: { representative: false } } });
        }
      }
      if (represents !== participant.representative) fields.representative = represents;
      if (Object.keys(fields).length === 0) return accept([]);
      const offTheFloor = fields.role === "projector" ? takeOffTheFloor(state, participantId, now) : [];
      return accept([...offTheFloor, ...before, { type: "participant.updated", data: { participantId, fields } }]);
    }
  }
}

function evolveRoster(
  state: ConferenceState,
  event: Extract<DomainEvent, { type: "participant.updated" | "participant.removed" }>,
): ConferenceState {
  const change = (p: Participant): Participant => {
    if (event.type === "participant.removed") return { ...p, removedAt: event.data.at };
    // Only the fields a chair may change (a hand-made event cannot overwrite ids or times).
    const { name, role, attendance, organisationId, organisation, representative, guest } = event.data.fields;
    return {
      ...p,
      ...(name !== undefined && { name }),
      ...(role !== undefined && { role }),
      ...(attendance !== undefined && { attendance }),
      ...(organisationId !== undefined && { organisationId }),
      ...(organisation !== undefined && { organisation }),
      ...(representative !== undefined && { representative }),
      ...(guest !== undefined && { guest }),
    };
  };
  return { ...state, participants: state.participants.map((p) => (p.id === event.data.participantId ? change(p) : p)) };
}
