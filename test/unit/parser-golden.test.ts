/**
 * Golden tests: each test/golden/parser/<group>[.<part>].polar group is parsed together
 * (parts in name order, as one policy) and its printAst dump, followed by any diagnostics,
 * must equal <group>.ast.txt. Run with UPDATE_GOLDEN=1 to rewrite the .ast.txt files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../bindings/api/errors.js";
import { parsePolicy } from "../../bindings/polar/parser.js";
import { printAst } from "../../bindings/polar/print-ast.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "parser");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of readdirSync(DIR).filter((f) => f.endsWith(".polar")).sort()) {
    const group = f.slice(0, f.indexOf("."));
    out.set(group, [...(out.get(group) ?? []), f]);
  }
  return out;
}

function formatDiagnostic(d: Diagnostic): string {
  const where = d.span === undefined ? "?" : `${d.span.file}:${d.span.line}:${d.span.column}`;
  return `${d.code} ${where} ${d.message} | ${d.help}`;
}

const all = groups();

describe("parser golden files", () => {
  it("has at least 12 golden groups, including every conformance policy", () => {
    expect(all.size).toBeGreaterThanOrEqual(12);
    const seeds = [...all.keys()].filter((g) => g.startsWith("seed-"));
    expect(seeds.length).toBe(12);
  });

  for (const [group, files] of all) {
    it(`${group} (${files.join(", ")})`, () => {
      const sources = files.map((f) => ({ filename: f, src: readFileSync(join(DIR, f), "utf8") }));
      const { policy, diagnostics } = parsePolicy(sources);
      let actual = printAst(policy);
      if (diagnostics.length > 0) actual += `diagnostics\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}\n`;
      if (!group.startsWith("errors")) expect(diagnostics.map(formatDiagnostic)).toEqual([]);
      const goldenPath = join(DIR, `${group}.ast.txt`);
      if (UPDATE) writeFileSync(goldenPath, actual);
      expect(existsSync(goldenPath), `${goldenPath} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(goldenPath, "utf8"));
    });
  }
});
