import i18next from "i18next";
import { describe, expect, it } from "vitest";
import en from "../../shared/i18n/en/minutes.json";
import vi from "../../shared/i18n/vi/minutes.json";
import type { Translate } from "../../shared/minutesFacts.ts";
import { pollResultWords, type ResultFormat } from "../../shared/pollResult.ts";
import { motion } from "../support/fixtures.ts";

const i18n = i18next.createInstance();
void i18n.init({ resources: { vi: { minutes: vi }, en: { minutes: en } }, lng: "vi", ns: ["minutes"], defaultNS: "minutes", interpolation: { escapeValue: false }, initAsync: false });
const tVi = i18n.getFixedT("vi", "minutes") as unknown as Translate;
const tEn = i18n.getFixedT("en", "minutes") as unknown as Translate;
const fmt = (locale: string): ResultFormat => ({
  number: (n) => new Intl.NumberFormat(locale).format(n),
  percent: (r) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(r),
});

describe("a poll's result in words", () => {
  it("says the outcome against the base, its share and the rule: the issue's sentence", () => {
    const poll = motion({ status: "closed", majority: "two_thirds", eligible: 60, votesCast: 55, tally: { yes: 41, no: 10, abstain: 4 }, outcome: "adopted" });
    const words = pollResultWords(poll, tVi, fmt("vi-VN"))!;
    expect(words.sentence).toMatch(/^Thông qua: 41\/60 đại biểu có mặt tán thành \(68,3\s?%\), đạt từ 2\/3 trở lên$/);
    expect(words.counts).toBe("Tán thành 41, không tán thành 10, không biểu quyết 4");
    expect(words.hall).toBeNull();
    const rejected = pollResultWords({ ...poll, base: "registered", tally: { yes: 3, no: 0, abstain: 1 }, eligible: 6, majority: "absolute", outcome: "rejected" }, tEn, fmt("en"))!;
    expect(rejected.sentence).toBe("Not adopted: 3 of 6 delegates in favour (50%), not over half");
  });

  it("shows the hall's hands apart, organisations as the base, a cluster, and proxies", () => {
    const poll = motion({
      status: "closed",
      weighting: "organisation",
      cluster: "Đồng bằng sông Hồng",
      eligible: 11,
      tally: { yes: 8, no: 1, abstain: 0 },
      hallCounts: { yes: 5, no: 0, abstain: 0 },
      outcome: "adopted",
      proxies: { d2: "d1" },
      ballots: [
        { voterKey: "person:d2", participantId: "d2", optionId: "yes", castBy: "d1" },
        { voterKey: "person:d3", participantId: "d3", optionId: "yes", castBy: "chair" },
      ],
    });
    const words = pollResultWords(poll, tVi, fmt("vi-VN"))!;
    expect(words.sentence.startsWith("Cụm Đồng bằng sông Hồng – Thông qua: 8/11 đơn vị có mặt tán thành")).toBe(true);
    expect(words.hall).toBe("trong đó tại hội trường: 5 giơ tay");
    expect(words.proxies).toBe("1 phiếu do người được ủy quyền bỏ");
  });

  it("names an election's winner, a tie, or nobody; nothing before the close", () => {
    const options = [{ id: "a", label: "Nguyễn Văn A" }, { id: "b", label: "Trần Thị B" }];
    const base = motion({ kind: "election", options, status: "closed", eligible: 10, majority: "absolute" });
    expect(pollResultWords({ ...base, tally: { a: 7, b: 3 }, outcome: "elected", winnerOptionId: "a" }, tVi, fmt("vi-VN"))!.sentence).toMatch(/^Nguyễn Văn A trúng cử: 7\/10 đại biểu có mặt \(70\s?%\), đạt quá nửa$/);
    expect(pollResultWords({ ...base, tally: { a: 4, b: 4 }, outcome: "none" }, tVi, fmt("vi-VN"))!.sentence).toBe("Không có người trúng cử: Nguyễn Văn A, Trần Thị B bằng phiếu (4/10 đại biểu có mặt)");
    expect(pollResultWords({ ...base, tally: { a: 4, b: 1 }, outcome: "none" }, tEn, fmt("en"))!.sentence).toBe("Nobody elected: Nguyễn Văn A led with 4 of 10 delegates present (40%), not over half");
    expect(pollResultWords({ ...base, tally: { a: 0, b: 0 }, outcome: "none" }, tVi, fmt("vi-VN"))!.sentence).toBe("Không có người trúng cử: không có phiếu nào");
    expect(pollResultWords({ ...base, status: "open", tally: null, outcome: null }, tVi, fmt("vi-VN"))).toBeNull();
  });
});

describe("an election of several seats in words", () => {
  it("names everyone elected with their votes against the base", () => {
    const options = [{ id: "a", label: "Nguyễn Văn A" }, { id: "b", label: "Trần Thị B" }, { id: "c", label: "Lê C" }];
    const poll = motion({ kind: "election", options, status: "closed", eligible: 10, seats: 2, tally: { a: 7, b: 6, c: 2 }, outcome: "elected", winnerOptionId: "a", winnerOptionIds: ["a", "b"] });
    expect(pollResultWords(poll, tVi, fmt("vi-VN"))!.sentence).toMatch(/^Trúng cử 2\/2 vị trí: Nguyễn Văn A \(7\/10 đại biểu có mặt, 70\s?%\); Trần Thị B \(6\/10 đại biểu có mặt, 60\s?%\)$/);
  });
});
