import { describe, expect, it } from "vitest";
import { attendanceCounts } from "../../shared/attendance.ts";
import { updateConferenceBody } from "../../shared/commands.ts";
import { evolve } from "../../shared/domain/index.ts";
import { decideInternal } from "../../shared/domain/decide.ts";
import { upgradeState } from "../../shared/initialState.ts";
import type { ConferenceState } from "../../shared/state.ts";
import { presentSnapshot, stateOfSnapshot } from "../../shared/view.ts";
import { fold, participant, Sim, T0 } from "../support/domain.ts";

const person = (sim: Sim, id: string) => sim.state.participants.find((p) => p.id === id)!;

describe("participants.leave and checking in again", () => {
  it("marks a checked-in participant gone; again changes nothing; checking in clears it and keeps the first time", () => {
    const sim = new Sim();
    sim.ok("sec", { type: "participants.checkIn", participantId: "d1" });
    sim.ctx.advance(60_000);
    expect(sim.ok("chair", { type: "participants.leave", participantId: "d1" }).events).toEqual([
      { type: "participant.left", data: { participantId: "d1", at: T0 + 60_000 } },
    ]);
    expect(person(sim, "d1")).toMatchObject({ checkedInAt: T0, leftAt: T0 + 60_000 });
    expect(sim.ok("sec", { type: "participants.leave", participantId: "d1" }).events).toEqual([]);
    sim.ctx.advance(60_000);
    expect(sim.ok("sec", { type: "participants.checkIn", participantId: "d1" }).events).toEqual([
      { type: "participant.checked_in", data: { participantId: "d1", at: T0 + 120_000 } },
    ]);
    expect(person(sim, "d1")).toMatchObject({ checkedInAt: T0, leftAt: null });
  });

  it("a connection of someone gone checks them in again", () => {
    const sim = new Sim();
    sim.ok("sec", { type: "participants.checkIn", participantId: "d2" });
    sim.ok("sec", { type: "participants.leave", participantId: "d2" });
    const decision = decideInternal(sim.state, { type: "participants.arrived", participantId: "d2" }, sim.ctx);
    expect(decision).toMatchObject({ ok: true, events: [{ type: "participant.checked_in", data: { participantId: "d2" } }] });
  });

  it("refuses someone never checked in (conflict), an unknown participant, and roles other than chair and secretary", () => {
    const sim = new Sim();
    sim.refused("chair", { type: "participants.leave", participantId: "d1" }, "conflict");
    sim.refused("chair", { type: "participants.leave", participantId: "nobody" }, "not_found");
    sim.ok("chair", { type: "participants.checkIn", participantId: "d1" });
    for (const who of ["d2", "obs", "proj"]) sim.refused(who, { type: "participants.leave", participantId: "d1" }, "forbidden");
  });
});

describe("attendanceCounts", () => {
  it("counts the roster; projectors nowhere; organisations by normalised name", () => {
    const sim = new Sim(); // chair, sec, d1 "Hội A", d2 "Hội B", d3 "hội  a ", d4 "", obs, proj
    expect(attendanceCounts(sim.state)).toEqual({
      registered: 7,
      present: 0,
      presentHall: 0,
      presentOnline: 0,
      voters: 5,
      votersPresent: 0,
      organisations: 2,
      organisationsPresent: 0,
    });
    for (const id of ["d1", "d3", "d4", "sec", "proj"]) sim.ok("chair", { type: "participants.checkIn", participantId: id });
    sim.ok("d4", { type: "presence.set", attendance: "online" });
    sim.ok("chair", { type: "participants.leave", participantId: "d1" });
    expect(attendanceCounts(sim.state)).toEqual({
      registered: 7,
      present: 3, // d3, d4, sec
      presentHall: 2,
      presentOnline: 1,
      voters: 5,
      votersPresent: 2,
      organisations: 2,
      organisationsPresent: 1, // "hội  a " is "Hội A"
    });
  });

  it("the snapshot carries them; stateOfSnapshot drops them (a mirror recounts)", () => {
    const sim = new Sim();
    sim.ok("chair", { type: "participants.checkIn", participantId: "d2" });
    const viewer = person(sim, "d2");
    const snapshot = presentSnapshot(sim.state, viewer, new Set(), T0);
    expect(snapshot.attendance).toEqual(attendanceCounts(sim.state));
    expect(snapshot.attendance.present).toBe(1);
    expect(stateOfSnapshot(snapshot).state).not.toHaveProperty("attendance");
  });
});

describe("the conference's facts", () => {
  it("conference.update emits only what changes, in any status, and evolve folds it", () => {
    const sim = new Sim();
    sim.ok("chair", { type: "conference.end" });
    const decision = decideInternal(sim.state, { type: "conference.update", fields: { city: "Hà Nội", title: sim.state.conference.title, timeZone: "UTC" } }, sim.ctx);
    expect(decision).toEqual({ ok: true, events: [{ type: "conference.updated", data: { fields: { city: "Hà Nội", timeZone: "UTC" } } }] });
    const next = fold(sim.state, decision.ok ? decision.events : []);
    expect(next.conference).toMatchObject({ city: "Hà Nội", timeZone: "UTC", status: "ended" });
    expect(decideInternal(next, { type: "conference.update", fields: { city: "Hà Nội" } }, sim.ctx)).toEqual({ ok: true, events: [] });
  });

  it("evolve takes only facts from the event (never status or ids)", () => {
    const sim = new Sim();
    const forged = { type: "conference.updated", data: { fields: { city: "Huế", status: "ended", id: "x" } } } as never;
    const next = evolve(sim.state, forged);
    expect(next.conference).toMatchObject({ city: "Huế", status: "scheduled", id: sim.state.conference.id });
  });

  it("the PATCH body: at least one field, a known IANA zone, no offsets, no unknown fields", () => {
    expect(updateConferenceBody.safeParse({ timeZone: "Asia/Ho_Chi_Minh" }).success).toBe(true);
    expect(updateConferenceBody.safeParse({ startsAt: null }).success).toBe(true);
    for (const body of [{}, { timeZone: "Mars/Olympus" }, { timeZone: "+07:00" }, { joinCode: "X" }, { status: "live" }]) {
      expect(updateConferenceBody.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe("upgradeState", () => {
  it("defaults what a v1 file lacks: the facts of v1.1 and participants' leftAt", () => {
    const sim = new Sim();
    const { parentOrganisation: _a, shortName: _b, city: _c, timeZone: _d, ...conference } = sim.state.conference;
    const old = {
      ...sim.state,
      conference,
      participants: sim.state.participants.map(({ leftAt: _l, ...p }) => p),
    } as unknown as ConferenceState;
    const upgraded = upgradeState(old);
    expect(upgraded.conference).toEqual({ ...sim.state.conference, parentOrganisation: "", shortName: "", city: "", timeZone: "Asia/Ho_Chi_Minh" });
    expect(upgraded.participants.every((p) => p.leftAt === null)).toBe(true);
    expect(upgradeState(upgraded)).toBe(upgraded);
    expect(participant("x", "delegate").leftAt).toBeNull();
  });
});
