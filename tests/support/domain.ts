import { expect } from "vitest";
import type { Command } from "../../shared/commands.ts";
import { evolve } from "../../shared/domain/index.ts";
import { decide, type DecideContext, type Decision } from "../../shared/domain/decide.ts";
import type { DomainEvent } from "../../shared/events.ts";
import { organisationKey } from "../../shared/domain/organisations.ts";
import { initialState } from "../../shared/initialState.ts";
import type { Role } from "../../shared/roles.ts";
import type { Actor, ConferenceState, Language, Participant } from "../../shared/state.ts";

/** The fixed clock every pure-domain test starts from. */
export const T0 = 1_700_000_000_000;

/** A deterministic context: a clock the test moves by hand and counter ids (`id1`, `id2`, …). */
export interface TestContext extends DecideContext {
  advance(ms: number): void;
}

export function testContext(now = T0): TestContext {
  let n = 0;
  const ctx: TestContext = {
    now,
    newId: () => `id${++n}`,
    advance(ms: number) {
      ctx.now += ms;
    },
  };
  return ctx;
}

/** A conference with nobody in it. */
export function emptyConference(language: Language = "vi"): ConferenceState {
  return initialState({
    id: "conf",
    title: "Hội nghị giao ban",
    organisation: "VUSTA",
    venue: "Hà Nội",
    startsAt: null,
    language,
    joinCode: "ABCDEFGH",
    createdAt: T0,
  });
}

/** The id `participant` gives an organisation name: one per `organisationKey`, so "hội  a " is "Hội A". */
export function orgId(organisation: string): string {
  return `o-${organisationKey(organisation)}`;
}

/** A participant; a non-empty `organisation` puts them on that organisation (`orgId`), which `withParticipants` adds to the roster. */
export function participant(id: string, role: Role, organisation = "", joinedAt = T0): Participant {
  const organisationId = organisationKey(organisation) === "" ? null : orgId(organisation);
  return { id, name: `Name of ${id}`, organisation, organisationId, representative: false, guest: false, proxyId: null, role, attendance: "hall", online: false, joinedAt, checkedInAt: null, leftAt: null };
}

/** The events that add these participants, each organisation they name first added to the roster (as typed the first time). */
export function addedEvents(state: ConferenceState, people: Participant[]): DomainEvent[] {
  const known = new Set(state.organisations.map((o) => o.id));
  const events: DomainEvent[] = [];
  for (const p of people) {
    if (p.organisationId && !known.has(p.organisationId)) {
      known.add(p.organisationId);
      events.push({ type: "organisation.added", data: { organisation: { id: p.organisationId, name: p.organisation.trim(), shortName: "", cluster: null, source: "roster" } } });
    }
    events.push({ type: "participant.added", data: { participant: p } });
  }
  return events;
}

/** Folds events from a state. */
export function fold(state: ConferenceState, events: DomainEvent[]): ConferenceState {
  return events.reduce(evolve, state);
}

export function withParticipants(state: ConferenceState, people: Participant[]): ConferenceState {
  return fold(state, addedEvents(state, people));
}

/**
 * A small world for the rules: a chair `chair`, a secretary `sec`, delegates `d1`..`d4`
 * (d1, d2 of "Hội A", d3 of "hội  a " spelled differently, d4 without organisation),
 * an observer `obs` and a projector `proj`.
 */
export function world(language: Language = "vi"): ConferenceState {
  return withParticipants(emptyConference(language), [
    participant("chair", "chair"),
    participant("sec", "secretary"),
    participant("d1", "delegate", "Hội A"),
    participant("d2", "delegate", "Hội B"),
    participant("d3", "delegate", "hội  a "),
    participant("d4", "delegate", ""),
    participant("obs", "observer"),
    participant("proj", "projector"),
  ]);
}

export const ROLE_OF: Record<string, Role> = {
  chair: "chair",
  sec: "secretary",
  d1: "delegate",
  d2: "delegate",
  d3: "delegate",
  d4: "delegate",
  obs: "observer",
  proj: "projector",
};

export function actor(participantId: string, role?: Role): Actor {
  return { participantId, role: role ?? ROLE_OF[participantId] ?? "delegate" };
}

/**
 * A running conference for a test: decides commands against its state with a deterministic
 * context and folds the accepted events, like the server does.
 */
export class Sim {
  state: ConferenceState;
  readonly ctx: TestContext;
  readonly log: DomainEvent[] = [];

  constructor(state: ConferenceState = world(), ctx: TestContext = testContext()) {
    this.state = state;
    this.ctx = ctx;
  }

  /** Decides without applying. */
  try(who: string | Actor, command: Command): Decision {
    return decide(this.state, command, typeof who === "string" ? actor(who) : who, this.ctx);
  }

  /** Decides and applies; answers the decision. */
  run(who: string | Actor, command: Command): Decision {
    const decision = this.try(who, command);
    if (decision.ok) {
      this.state = fold(this.state, decision.events);
      this.log.push(...decision.events);
    }
    return decision;
  }

  /** Like `run`, failing the test unless the command is accepted; answers the result. */
  ok(who: string | Actor, command: Command): Record<string, unknown> & { events: DomainEvent[] } {
    const decision = this.run(who, command);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code} ${decision.error.message}`);
    return { ...(decision.result ?? {}), events: decision.events };
  }

  /** Expects a refusal with this code and checks that nothing changed. */
  refused(who: string | Actor, command: Command, code: string): void {
    const before = this.state;
    const decision = this.run(who, command);
    expect(decision.ok, `${command.type} should be refused with ${code}`).toBe(false);
    if (!decision.ok) expect(decision.error.code).toBe(code);
    expect(this.state).toBe(before);
  }

  add(p: Participant): void {
    this.state = fold(this.state, addedEvents(this.state, [p]));
  }

  item(id: string) {
    const found = this.state.agenda.find((i) => i.id === id);
    if (!found) throw new Error(`no agenda item ${id}`);
    return found;
  }

  poll(id: string) {
    const found = this.state.polls.find((p) => p.id === id);
    if (!found) throw new Error(`no poll ${id}`);
    return found;
  }
}

/** Freezes an object graph so that any mutation throws (in strict-mode modules). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
