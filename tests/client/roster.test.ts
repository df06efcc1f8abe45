import { describe, expect, it } from "vitest";
import { indexParticipants, presenceSummary, sortedAttendees } from "../../client/src/model/participants.ts";
import { person, T0 } from "../support/fixtures.ts";

describe("removed participants in the views", () => {
  it("are out of the people list and the counts, but their names still resolve", () => {
    const kept = person("a", "An");
    const removed = person("b", "Bình", { removedAt: T0 });
    const people = [kept, removed];
    expect(sortedAttendees(people, "vi").map((p) => p.id)).toEqual(["a"]);
    expect(presenceSummary(people).total).toBe(1);
    expect(indexParticipants(people).get("b")?.name).toBe("Bình");
  });
});
