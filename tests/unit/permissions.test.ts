import { describe, expect, it } from "vitest";
import { commandSchema, type Command, type CommandType } from "../../shared/commands.ts";
import { COMMAND_ROLES, mayIssue } from "../../shared/domain/index.ts";
import { decide } from "../../shared/domain/decide.ts";
import { ROLES, type Role } from "../../shared/roles.ts";
import { Sim, testContext } from "../support/domain.ts";

/** One valid command of every type (a Record, so that a new command type fails to compile here). */
const SAMPLES: Record<CommandType, Command> = {
  "conference.start": { type: "conference.start" },
  "conference.end": { type: "conference.end" },
  "conference.reopen": { type: "conference.reopen" },
  "questions.ask": { type: "questions.ask", text: "Câu hỏi?" },
  "questions.upvote": { type: "questions.upvote", questionId: "q" },
  "questions.unvote": { type: "questions.unvote", questionId: "q" },
  "questions.moderate": { type: "questions.moderate", questionId: "q", status: "approved" },
  "questions.merge": { type: "questions.merge", questionId: "q", intoId: "q2" },
  "speakers.acknowledge": { type: "speakers.acknowledge" },
  "participants.leave": { type: "participants.leave", participantId: "d2" },
  "presence.set": { type: "presence.set", attendance: "online" },
  "participants.checkIn": { type: "participants.checkIn", participantId: "d2" },
  "agenda.add": { type: "agenda.add", title: "Khai mạc" },
  "agenda.update": { type: "agenda.update", itemId: "item", title: "Khai mạc hội nghị" },
  "agenda.remove": { type: "agenda.remove", itemId: "item" },
  "agenda.move": { type: "agenda.move", itemId: "item", toIndex: 0 },
  "agenda.start": { type: "agenda.start", itemId: "item" },
  "agenda.next": { type: "agenda.next" },
  "speakers.request": { type: "speakers.request", kind: "speech", participantId: "d2" },
  "speakers.withdraw": { type: "speakers.withdraw", requestId: "req" },
  "speakers.remove": { type: "speakers.remove", requestId: "req" },
  "speakers.clear": { type: "speakers.clear" },
  "speakers.grant": { type: "speakers.grant" },
  "speakers.finish": { type: "speakers.finish" },
  "speakers.setLimit": { type: "speakers.setLimit", seconds: 60 },
  "polls.create": { type: "polls.create", question: "Thông qua?" },
  "polls.delete": { type: "polls.delete", pollId: "poll" },
  "polls.open": { type: "polls.open", pollId: "poll" },
  "polls.close": { type: "polls.close", pollId: "poll" },
  "polls.vote": { type: "polls.vote", pollId: "poll", optionId: "yes" },
  "polls.recordHall": { type: "polls.recordHall", pollId: "poll", counts: { yes: 1 } },
  "polls.voteFor": { type: "polls.voteFor", pollId: "poll", participantId: "d2", optionId: "yes" },
  "participants.setProxy": { type: "participants.setProxy", participantId: "d2", proxyId: "d1" },
  "minutes.share": { type: "minutes.share", shared: true },
  "minutes.approve": { type: "minutes.approve" },
  "minutes.reopen": { type: "minutes.reopen" },
  "minutes.setSigner": { type: "minutes.setSigner", participantId: "sec" },
};

/** Who may issue each command at all, as the contract's table says (PROTOCOL.md). */
const CONTRACT: Record<CommandType, readonly Role[]> = {
  "conference.start": ["chair"],
  "conference.end": ["chair"],
  // v1.1: a chair or secretary marks someone as gone
  "participants.leave": ["chair", "secretary"],
  "presence.set": ROLES,
  // extension: a chair or secretary checks in someone in the hall without a phone
  "participants.checkIn": ["chair", "secretary"],
  "agenda.add": ["chair", "secretary"],
  "agenda.update": ["chair", "secretary"],
  "agenda.remove": ["chair"],
  "agenda.move": ["chair"],
  "agenda.start": ["chair"],
  "agenda.next": ["chair"],
  // delegates for themselves, chairs and secretaries also for a hand raised in the hall
  "speakers.request": ["chair", "delegate", "secretary"],
  // whoever asked: the requester, or the chair/secretary who put the hand in
  "speakers.withdraw": ["chair", "delegate", "secretary"],
  "speakers.remove": ["chair"],
  "speakers.clear": ["chair"],
  "speakers.grant": ["chair"],
  // a chair, or the current speaker: anyone the chair/secretary may put in the queue (not a projector)
  "speakers.finish": ["chair", "secretary", "delegate", "observer"],
  "speakers.setLimit": ["chair"],
  "polls.create": ["chair"],
  "polls.delete": ["chair"],
  "polls.open": ["chair"],
  "polls.close": ["chair"],
  "polls.vote": ["chair", "delegate"],
  // v1.1: the chair enters show-of-hands counts, a hall voter's named vote, and proxies
  "polls.recordHall": ["chair"],
  "polls.voteFor": ["chair"],
  "participants.setProxy": ["chair"],
  // v1.1: the chair shares, approves and reopens the minutes (and, extension, names who signs)
  "minutes.share": ["chair"],
  "minutes.approve": ["chair"],
  "minutes.reopen": ["chair"],
  "minutes.setSigner": ["chair"],
  // extension: a meeting ended by mistake; the speaker's "I'm speaking" (whoever may hold the floor)
  "conference.reopen": ["chair"],
  // issue 16: everyone but the hall's screen asks and upvotes; chairs and secretaries moderate
  "questions.ask": ["chair", "secretary", "delegate", "observer"],
  "questions.upvote": ["chair", "secretary", "delegate", "observer"],
  "questions.unvote": ["chair", "secretary", "delegate", "observer"],
  "questions.moderate": ["chair", "secretary"],
  "questions.merge": ["chair", "secretary"],
  "speakers.acknowledge": ["chair", "secretary", "delegate", "observer"],
};

const ALL_TYPES = Object.keys(SAMPLES) as CommandType[];

describe("role permissions", () => {
  it("the samples are valid commands and cover every command type of the schema", () => {
    const schemaTypes = commandSchema.options.map((o) => o.shape.type.value).sort();
    expect([...ALL_TYPES].sort()).toEqual(schemaTypes);
    for (const sample of Object.values(SAMPLES)) expect(commandSchema.safeParse(sample).success, sample.type).toBe(true);
  });

  it("permissions.ts matches the contract's table", () => {
    for (const type of ALL_TYPES) expect([...COMMAND_ROLES[type]].sort(), type).toEqual([...CONTRACT[type]].sort());
  });

  for (const type of ALL_TYPES) {
    const denied = ROLES.filter((role) => !COMMAND_ROLES[type].includes(role));
    if (denied.length === 0) continue;
    it(`${type}: ${denied.join(", ")} get forbidden and nothing changes`, () => {
      for (const role of denied) {
        expect(mayIssue(role, type)).toBe(false);
        // a participant of that role (present in the world: sec, d1, obs, proj, or one added)
        const sim = new Sim();
        const id = { chair: "chair", secretary: "sec", delegate: "d1", observer: "obs", projector: "proj" }[role];
        const before = sim.state;
        const decision = decide(sim.state, SAMPLES[type], { participantId: id, role }, sim.ctx);
        expect(decision, `${role} ${type}`).toEqual({ ok: false, error: { code: "forbidden", message: expect.any(String) } });
        expect(sim.state).toBe(before);
      }
    });
  }

  it("allowed roles pass the role check (any refusal comes from the finer rules)", () => {
    for (const type of ALL_TYPES) {
      for (const role of COMMAND_ROLES[type]) {
        expect(mayIssue(role, type)).toBe(true);
        const id = { chair: "chair", secretary: "sec", delegate: "d1", observer: "obs", projector: "proj" }[role];
        const decision = decide(new Sim().state, SAMPLES[type], { participantId: id, role }, testContext());
        if (!decision.ok) expect(decision.error.message, `${role} ${type}`).not.toBe(`a ${role} may not ${type}`);
      }
    }
  });
});
