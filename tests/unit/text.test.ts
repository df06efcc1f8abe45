import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addParticipantBody, commandSchema, joinBody, text } from "../../shared/commands.ts";
import { singleLineTextProblem, TEXT_REFUSALS, xmlSafe } from "../../shared/text.ts";
import { blocksToText, MAX_INDENT, MAX_LIST_DEPTH, proseMirrorToBlocks, yXmlFragmentToPmNode, type PmNode } from "../../server/minutes/export/proseMirror.ts";

const VIETNAMESE = "Nguyễn Thị Hường – Liên hiệp Hội Đắk Lắk";

/** Accepted as a required name, and stored as this (trimmed, NFC). */
const ACCEPTED: [string, string, string][] = [
  ["Vietnamese in NFC", VIETNAMESE.normalize("NFC"), VIETNAMESE.normalize("NFC")],
  ["Vietnamese in NFD", VIETNAMESE.normalize("NFD"), VIETNAMESE.normalize("NFC")],
  ["emoji with ZWJ", "Tổ 👩‍💻 kỹ thuật 👨‍👩‍👧", "Tổ 👩‍💻 kỹ thuật 👨‍👩‍👧"],
  ["a lone emoji with ZWJ", "👩‍💻", "👩‍💻"],
  ["a flag with tag characters", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland"],
  ["an emoji with a variation selector", "❤️", "❤️"],
  ["Arabic with an RLM", "مرحبا\u200F ABC", "مرحبا\u200F ABC"],
  ["a soft hyphen inside a word", "Liên\u00ADhiệp", "Liên\u00ADhiệp"],
  ["a zero-width space inside", "Hà\u200BNội", "Hà\u200BNội"],
  ["a no-break space inside", "Hà\u00A0Nội", "Hà\u00A0Nội"],
  ["markup, which is text", "<b>Đậm</b> & \"x\"", "<b>Đậm</b> & \"x\""],
  ["a character beyond the BMP", "𠀧 chữ Nôm", "𠀧 chữ Nôm"],
  ["private use", "\uE000 logo", "\uE000 logo"],
  ["a newline and tabs at the ends, trimmed away", "\t Trần Văn An \n", "Trần Văn An"],
];

/** Refused, with the message that says why. */
const REFUSED: [string, string, string][] = [
  ["NUL", "a\u0000b", TEXT_REFUSALS.control],
  ["SOH", "a\u0001b", TEXT_REFUSALS.control],
  ["tab inside", "Trần\tAn", TEXT_REFUSALS.control],
  ["newline inside", "Trần\nAn", TEXT_REFUSALS.control],
  ["CR inside", "Trần\rAn", TEXT_REFUSALS.control],
  ["unit separator", "a\u001Fb", TEXT_REFUSALS.control],
  ["DEL", "a\u007Fb", TEXT_REFUSALS.control],
  ["C1: U+0080", "a\u0080b", TEXT_REFUSALS.control],
  ["NEL", "Trần\u0085An", TEXT_REFUSALS.control],
  ["NEL at the end (JavaScript does not trim it)", "Trần An\u0085", TEXT_REFUSALS.control],
  ["C1: U+009F", "a\u009Fb", TEXT_REFUSALS.control],
  ["line separator inside", "a\u2028b", TEXT_REFUSALS.control],
  ["paragraph separator inside", "a\u2029b", TEXT_REFUSALS.control],
  ["U+FFFF", "Trần\uFFFFAn", TEXT_REFUSALS.noncharacter],
  ["U+FFFE", "\uFFFEAn", TEXT_REFUSALS.noncharacter],
  ["U+FDD0", "a\uFDD0", TEXT_REFUSALS.noncharacter],
  ["U+FDEF", "a\uFDEF", TEXT_REFUSALS.noncharacter],
  ["U+1FFFF", "a\u{1FFFF}", TEXT_REFUSALS.noncharacter],
  ["U+10FFFE", "a\u{10FFFE}", TEXT_REFUSALS.noncharacter],
  ["a lone high surrogate", "a\uD800b", TEXT_REFUSALS.surrogate],
  ["a lone low surrogate", "a\uDC00b", TEXT_REFUSALS.surrogate],
  ["swapped surrogates", "a\uDE00\uD83Db", TEXT_REFUSALS.surrogate],
  ["LRE", "a\u202Ab", TEXT_REFUSALS.bidi],
  ["RLE", "a\u202Bb", TEXT_REFUSALS.bidi],
  ["PDF", "a\u202Cb", TEXT_REFUSALS.bidi],
  ["LRO", "a\u202Db", TEXT_REFUSALS.bidi],
  ["RLO", "Admin\u202Egnp.exe", TEXT_REFUSALS.bidi],
  ["LRI", "a\u2066b", TEXT_REFUSALS.bidi],
  ["RLI", "a\u2067b", TEXT_REFUSALS.bidi],
  ["FSI", "a\u2068b", TEXT_REFUSALS.bidi],
  ["PDI", "a\u2069b", TEXT_REFUSALS.bidi],
  ["zero-width space only", "\u200B", TEXT_REFUSALS.invisible],
  ["ZWNJ and ZWJ only", "\u200C\u200D", TEXT_REFUSALS.invisible],
  ["word joiner only", "\u2060\u2060", TEXT_REFUSALS.invisible],
  ["LRM and RLM only", "\u200E\u200F", TEXT_REFUSALS.invisible],
  ["soft hyphen only", "\u00AD", TEXT_REFUSALS.invisible],
  ["Hangul filler only", "\u3164", TEXT_REFUSALS.invisible],
  ["blank braille only", "\u2800\u2800", TEXT_REFUSALS.invisible],
  ["variation selector only", "\uFE0F", TEXT_REFUSALS.invisible],
  ["zero-width space between spaces", "  \u200B  ", TEXT_REFUSALS.invisible],
  ["BOM then zero-width space", "\uFEFF\u200B", TEXT_REFUSALS.invisible],
];

const issuesOf = (schema: ReturnType<typeof text>, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe("the single-line text rule", () => {
  const name = text(120, 1);

  it.each(ACCEPTED)("accepts %s", (_what, input, stored) => {
    expect(name.parse(input)).toBe(stored);
    expect(singleLineTextProblem(stored)).toBeNull();
  });

  it.each(REFUSED)("refuses %s", (_what, input, message) => {
    expect(singleLineTextProblem(input)).toBe(message);
    expect(issuesOf(name, input)).toEqual([message]);
    // Optional fields too: empty is fine there, bad text is not.
    expect(issuesOf(text(200), input)).toEqual([message]);
  });

  it("keeps the bounds: empty where required, and the length", () => {
    expect(issuesOf(name, "   ")).toEqual(["must not be empty"]);
    expect(issuesOf(name, "\n\t")).toEqual(["must not be empty"]);
    expect(text(200).parse("  ")).toBe("");
    expect(issuesOf(text(3), "abcd")).toHaveLength(1);
    // NFD is longer than NFC: the bound counts what is stored.
    expect(text(1, 1).parse("e\u0301")).toBe("é");
  });

  it("holds for every text field of the contract", () => {
    expect(joinBody.safeParse({ joinCode: "x", name: "An\uFFFF", attendance: "hall" }).success).toBe(false);
    expect(joinBody.safeParse({ joinCode: "x", name: "An", organisation: "Hội\u0085", attendance: "hall" }).success).toBe(false);
    expect(addParticipantBody.safeParse({ name: "\u200B", role: "delegate" }).success).toBe(false);
    expect(commandSchema.safeParse({ type: "agenda.add", title: "Mục\u202E1" }).success).toBe(false);
    expect(commandSchema.safeParse({ type: "polls.create", question: "Q?", kind: "election", options: ["A", "B\nC"] }).success).toBe(false);
    expect(commandSchema.safeParse({ type: "speakers.request", kind: "speech", note: "ghi\tchú" }).success).toBe(false);
    expect(commandSchema.safeParse({ type: "agenda.add", title: "Báo cáo 👩‍💻".normalize("NFD") }).success).toBe(true);
  });
});

describe("xmlSafe", () => {
  it("drops what XML 1.0 forbids and keeps the rest", () => {
    expect(xmlSafe("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg")).toBe("abcdefg");
    expect(xmlSafe("tab\tLF\nCR\r")).toBe("tab\tLF\nCR\r");
    expect(xmlSafe("x\uFFFEy\uFFFFz")).toBe("xyz");
    expect(xmlSafe("a\uD800b\uDC00c")).toBe("a\uFFFDb\uFFFDc");
    expect(xmlSafe("\uDC00\uD800")).toBe("\uFFFD\uFFFD");
    expect(xmlSafe("end\uD83D")).toBe("end\uFFFD");
    // Allowed by XML 1.0, if discouraged: kept.
    const kept = `${VIETNAMESE} 👩‍💻 \u0085 \u009F \uFDD0 \u{1FFFF} \u202E \u200B <&>`;
    expect(xmlSafe(kept)).toBe(kept);
    expect(xmlSafe("")).toBe("");
  });
});

describe("Yjs minutes to ProseMirror JSON", () => {
  /** A normal document, as the editor writes it: every node kind, marks, attributes, nested lists. */
  function normalDocument(): Y.Doc {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("minutes");
    const element = (name: string, attrs: Record<string, unknown>, children: (Y.XmlElement | Y.XmlText)[]) => {
      const node = new Y.XmlElement(name);
      for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value as string);
      node.insert(0, children);
      return node;
    };
    const textOf = (...runs: [string, Record<string, unknown>?][]) => {
      const node = new Y.XmlText();
      let at = 0;
      for (const [t, marks] of runs) {
        node.insert(at, t, marks);
        at += t.length;
      }
      return node;
    };
    doc.transact(() => {
      fragment.insert(0, [
        element("heading", { level: 2 }, [textOf(["Mục 1"])]),
        element("paragraph", {}, [textOf(["Thường "], ["đậm", { bold: {} }], [" và "], ["nghiêng gạch", { italic: {}, underline: {} }])]),
        element("paragraph", {}, []),
        element("paragraph", {}, [textOf(["a"]), element("hardBreak", {}, []), textOf(["b"])]),
        element("bulletList", {}, [
          element("listItem", {}, [element("paragraph", {}, [textOf(["Ý một"])])]),
          element("listItem", {}, [
            element("paragraph", {}, [textOf(["Ý hai"])]),
            element("orderedList", { start: 1, type: null }, [element("listItem", {}, [element("paragraph", {}, [textOf(["Con", { strike: {} }])])])]),
          ]),
        ]),
        element("blockquote", {}, [element("paragraph", {}, [textOf(["trích"])])]),
        element("codeBlock", { language: null }, [textOf(["x = 1"])]),
        element("horizontalRule", {}, []),
        element("paragraph", {}, [textOf(["link", { "link--abcdefgh": { href: "https://example.org" } }])]),
      ]);
    });
    return doc;
  }

  it("answers what y-tiptap answers for a normal document", () => {
    const doc = normalDocument();
    const fragment = doc.getXmlFragment("minutes");
    const ours = yXmlFragmentToPmNode(fragment);
    expect(ours).toEqual(yXmlFragmentToProsemirrorJSON(fragment));
    // And the same key order, so that nothing downstream sees a difference even in JSON.
    expect(JSON.stringify(ours)).toBe(JSON.stringify(yXmlFragmentToProsemirrorJSON(fragment)));
    expect(blocksToText(proseMirrorToBlocks(ours))).toContain("nghiêng gạch");
  });

  it("converts and flattens a list nested 100,000 deep in linear work, every text in order", () => {
    const depth = 100_000;
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("minutes");
    doc.transact(() => {
      let parent: Y.XmlFragment | Y.XmlElement = fragment;
      for (let i = 0; i < depth; i++) {
        const list = new Y.XmlElement(i % 2 ? "orderedList" : "bulletList");
        parent.insert(parent.length, [list]);
        const item = new Y.XmlElement("listItem");
        list.insert(0, [item]);
        const paragraph = new Y.XmlElement("paragraph");
        item.insert(0, [paragraph]);
        const line = new Y.XmlText();
        paragraph.insert(0, [line]);
        line.insert(0, `L${i}`);
        parent = item;
      }
    });
    const started = performance.now();
    const blocks = proseMirrorToBlocks(yXmlFragmentToPmNode(fragment));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(blocks).toHaveLength(depth);
    expect(blocks.every((block, i) => block.runs[0]?.text === `L${i}`)).toBe(true);
    const depths = blocks.map((block) => (block.kind === "listItem" ? block.depth : -1));
    expect(depths.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(Math.max(...depths)).toBe(MAX_LIST_DEPTH);
    // The levels beyond Word's continue the deepest list: a handful of numberings, not 100,000.
    expect(new Set(blocks.map((block) => (block.kind === "listItem" ? block.list : 0))).size).toBe(MAX_LIST_DEPTH + 1);
  });

  it("caps indents and flattens inline nesting without recursion", () => {
    let quote: PmNode = { type: "paragraph", content: [{ type: "text", text: "sâu" }] };
    for (let i = 0; i < 50_000; i++) quote = { type: "blockquote", content: [quote] };
    let inline: PmNode = { type: "text", text: "trong" };
    for (let i = 0; i < 50_000; i++) inline = { type: "mystery", content: [inline] };
    const blocks = proseMirrorToBlocks({ type: "doc", content: [quote, { type: "paragraph", content: [{ type: "text", text: "a " }, inline] }] });
    expect(blocks).toEqual([
      { kind: "paragraph", indent: MAX_INDENT, runs: [{ text: "sâu" }] },
      { kind: "paragraph", indent: 0, runs: [{ text: "a " }, { text: "trong" }] },
    ]);
  });
});
