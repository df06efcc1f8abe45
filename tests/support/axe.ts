import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
export interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core on the page as it is now; answers its violations of WCAG 2 A and AA. Two findings
 * are added that axe files elsewhere: an ARIA attribute a role prohibits (an aria-label on a span)
 * that it only asks to review when the element has text, and a page without a level-one heading
 * (a best practice: screen reader users jump to it). The page must allow inline scripts
 * (`bypassCSP` in its context): axe is injected.
 */
export async function audit(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: AxeViolation[]; incomplete: AxeViolation[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<Result> } }).axe;
    const wcag = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, resultTypes: ["violations", "incomplete"] });
    const heading = await axe.run(document, { runOnly: { type: "rule", values: ["page-has-heading-one"] }, resultTypes: ["violations"] });
    const prohibited = wcag.incomplete.filter((v) => v.id === "aria-prohibited-attr").map((v) => ({ ...v, impact: "serious" as const }));
    const noH1 = heading.violations.map((v) => ({ ...v, impact: "serious" as const }));
    return [...wcag.violations, ...prohibited, ...noH1];
  });
}

/** The violations as a reader can act on them: rule, impact, help, then each element. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`)
        .join("\n");
      return `${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ""}`;
    })
    .join("\n");
}

/** Audits the page: prints every violation, answers the serious and critical ones, described (none: []). */
export async function seriousViolations(where: string, page: Page): Promise<string[]> {
  const violations = await audit(page);
  if (violations.length > 0) console.log(describeViolations(where, violations));
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return bad.length > 0 ? [describeViolations(where, bad)] : [];
}
