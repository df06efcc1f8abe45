import { describe, expect, it } from "vitest";
import {
  attendanceOf,
  byOrganisation,
  closedPolls,
  minutesAndSeconds,
  pollFacts,
  presenceNow,
  speakingTimeByOrganisation,
  recordedItemId,
  speechesOn,
} from "../../shared/minutesFacts.ts";
import type { ConferenceState, Poll, SpeechRecord } from "../../shared/state.ts";
import { conference, item, motion, person, T0 } from "../support/fixtures.ts";

/** The facts the one-click records and the exported minutes both state. */

const speech = (requestId: string, participantId: string, itemId: string | null, startedAt: number, endedAt: number): SpeechRecord => ({
  requestId,
  participantId,
  itemId,
  kind: "speech",
  startedAt,
  endedAt,
});

describe("closed polls", () => {
  const state: ConferenceState = conference({
    polls: [
      motion({ id: "b", status: "closed", closedAt: T0 + 20 }),
      motion({ id: "open", status: "open" }),
      motion({ id: "a", status: "closed", closedAt: T0 + 10 }),
      motion({ id: "c", status: "closed", closedAt: T0 + 20 }),
      motion({ id: "draft" }),
    ],
  });

  it("are listed in the order they closed, for the minutes", () => {
    expect(closedPolls(state).map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it("are listed latest first for a picker, polls closed together keeping their order", () => {
    expect(closedPolls(state, "latestFirst").map((p) => p.id)).toEqual(["b", "c", "a"]);
  });

  it("leave the state as it was", () => {
    closedPolls(state, "latestFirst");
    expect(state.polls.map((p) => p.id)).toEqual(["b", "open", "a", "c", "draft"]);
  });
});

describe("a poll's facts", () => {
  const closed = motion({
    question: "Thông qua?",
    status: "closed",
    closedAt: T0,
    eligible: 10,
    votesCast: 8,
    tally: { yes: 6, abstain: 2 },
    outcome: "adopted",
    majority: "two_thirds",
    secret: true,
  });

  it("count every option, in the options' order, with 0 for an option nobody chose", () => {
    expect(pollFacts(closed)).toEqual({
      question: "Thông qua?",
      counts: [
        { label: "Tán thành", count: 6 },
        { label: "Không tán thành", count: 0 },
        { label: "Không biểu quyết", count: 2 },
      ],
      eligible: 10,
      cast: 8,
      majority: "two_thirds",
      secret: true,
      outcome: "adopted",
      winner: null,
    });
  });

  it("have no result and no counts before the poll closed", () => {
    const facts = pollFacts(motion({ tally: null }));
    expect(facts).toMatchObject({ eligible: null, cast: 0, outcome: null, winner: null });
    expect(facts.counts.map((c) => c.count)).toEqual([0, 0, 0]);
  });

  it("name the winner only of an election someone won, and only if they are among its options", () => {
    const election: Poll = {
      ...closed,
      kind: "election",
      options: [
        { id: "x", label: "Nguyễn A" },
        { id: "y", label: "Trần B" },
      ],
      tally: { x: 5, y: 3 },
      outcome: "elected",
      winnerOptionId: "x",
    };
    expect(pollFacts(election).winner).toBe("Nguyễn A");
    expect(pollFacts({ ...election, winnerOptionId: "gone" }).winner).toBeNull();
    expect(pollFacts({ ...election, outcome: "none" }).winner).toBeNull();
    expect(pollFacts({ ...closed, winnerOptionId: "yes" }).winner).toBeNull();
  });
});

describe("speeches", () => {
  const base = conference({
    participants: [person("p1", "An"), person("p2", "Bình")],
    agenda: [item("a1", { status: "done" }), item("a2", { status: "active" })],
    currentItemId: "a2",
  });
  const history = [speech("r0", "p1", "a1", T0, T0 + 1000), speech("r2", "p2", "a2", T0 + 5000, T0 + 6500), speech("r1", "p1", "a2", T0 + 2000, T0 + 2000)];
  const state: ConferenceState = {
    ...base,
    speakers: {
      ...base.speakers,
      history,
      current: { requestId: "r3", participantId: "gone", kind: "question", startedAt: T0 + 9000, limitSeconds: 60, itemId: "a2" },
    },
  };

  it("on an item are in the order they began, the one under way last, with durations in milliseconds", () => {
    expect(speechesOn(state, "a2").map((s) => [s.speaker?.name, s.kind, s.startedAt - T0, s.durationMs])).toEqual([
      ["An", "speech", 2000, 0],
      ["Bình", "speech", 5000, 1500],
      [undefined, "question", 9000, null],
    ]);
    expect(speechesOn(state, "a1")).toHaveLength(1);
    expect(speechesOn(state, null)).toEqual([]);
  });

  it("are recorded for the current item once anyone spoke on it, else for the latest speech's item", () => {
    expect(recordedItemId(state)).toBe("a2");
    const quiet = { ...state, speakers: { ...state.speakers, current: null, history: history.slice(0, 1) } };
    expect(recordedItemId(quiet)).toBe("a1");
    expect(recordedItemId({ ...quiet, currentItemId: null })).toBe("a1");
    const none = { ...quiet, speakers: { ...quiet.speakers, history: [] } };
    expect(recordedItemId(none)).toBe("a2");
    expect(recordedItemId({ ...none, currentItemId: null })).toBeNull();
  });
});

describe("durations", () => {
  it("are whole minutes and seconds, rounded, never negative", () => {
    expect(minutesAndSeconds(200_000)).toEqual({ minutes: 3, seconds: 20 });
    expect(minutesAndSeconds(59_600)).toEqual({ minutes: 1, seconds: 0 });
    expect(minutesAndSeconds(3_725_000)).toEqual({ minutes: 62, seconds: 5 });
    expect(minutesAndSeconds(-5)).toEqual({ minutes: 0, seconds: 0 });
  });
});

describe("attendance", () => {
  const participants = [
    person("a", "A", { organisation: "Hội X" }),
    person("b", "B", { organisation: " Hội Y ", attendance: "online", online: true }),
    person("c", "C", { organisation: "Hội X", attendance: "online", online: false }),
    person("d", "D", { organisation: "", checkedInAt: null, online: false }),
    person("e", "E", { organisation: "Hội Y", role: "chair" }),
    person("screen", "Màn hình", { role: "projector" }),
  ];

  it("groups by trimmed organisation, in order of first arrival", () => {
    expect(byOrganisation(participants.slice(0, 5))).toEqual([
      { organisation: "Hội X", names: ["A", "C"] },
      { organisation: "Hội Y", names: ["B", "E"] },
      { organisation: "", names: ["D"] },
    ]);
  });

  it("for the minutes counts the checked-in as present and the others as absent, without the screens", () => {
    expect(attendanceOf(participants)).toEqual({
      total: 4,
      hall: [
        { organisation: "Hội X", names: ["A"] },
        { organisation: "Hội Y", names: ["E"] },
      ],
      online: [
        { organisation: "Hội Y", names: ["B"] },
        { organisation: "Hội X", names: ["C"] },
      ],
      absent: [{ organisation: "", names: ["D"] }],
      hallCount: 2,
      onlineCount: 2,
      absentCount: 1,
    });
  });

  it("now counts those present (checked in, not gone), whether connected this second or not; never the screens", () => {
    const now = presenceNow(participants);
    // d is registered in the hall but never came: not present (the "6 · 3").
    expect(now.hall.map((p) => p.id)).toEqual(["a", "e"]);
    // c's phone is asleep, but c checked in and has not left.
    expect(now.online.map((p) => p.id)).toEqual(["b", "c"]);
    expect(now.away.map((p) => p.id)).toEqual(["d"]);
    const gone = presenceNow(participants.map((p) => (p.id === "b" ? { ...p, leftAt: T0 + 1 } : p)));
    expect(gone.online.map((p) => p.id)).toEqual(["c"]);
    expect(gone.away.map((p) => p.id)).toEqual(["b", "d"]);
  });
});

describe("speaking time per organisation", () => {
  it("sums speeches per organisation, the one under way up to now, with each share of the time", () => {
    const state = conference({
      participants: [person("a", "A", { organisation: "Hội X" }), person("b", "B", { organisation: " Hội X" }), person("c", "C", { organisation: "Hội Y" }), person("d", "D")],
      speakers: {
        limitSeconds: 180,
        current: { requestId: "r4", participantId: "c", kind: "speech", startedAt: T0 + 100_000, limitSeconds: 180, itemId: "i1" },
        queue: [],
        history: [
          { requestId: "r1", participantId: "a", itemId: "i1", kind: "speech", startedAt: T0, endedAt: T0 + 60_000 },
          { requestId: "r2", participantId: "b", itemId: "i1", kind: "question", startedAt: T0 + 60_000, endedAt: T0 + 90_000 },
          { requestId: "r3", participantId: "d", itemId: "i2", kind: "speech", startedAt: T0 + 90_000, endedAt: T0 + 100_000 },
        ],
      },
    });
    expect(speakingTimeByOrganisation(state, T0 + 130_000, "i1")).toEqual([
      { organisation: "Hội X", speeches: 2, totalMs: 90_000, share: 0.75 },
      { organisation: "Hội Y", speeches: 1, totalMs: 30_000, share: 0.25 },
    ]);
    expect(speakingTimeByOrganisation(state, T0 + 130_000).map((r) => [r.organisation, r.totalMs])).toEqual([["Hội X", 90_000], ["Hội Y", 30_000], ["", 10_000]]);
    expect(speakingTimeByOrganisation(state, T0, "none")).toEqual([]);
  });
});
