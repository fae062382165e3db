/** Reading policy files and checking them: shared by `policy`, `validate`, `test`, `compile`. */
import { readFileSync } from "node:fs";
import { diagnostic, FactError, PolarError } from "../api/errors.js";
import type { TestReport } from "../api/types.js";
import { analyzePolicy, type Analysis } from "../compile/index.js";
import type { Program } from "../compile/ir.js";
import type { Output } from "./output.js";

export interface SourceFile {
  readonly filename: string;
  readonly src: string;
}

/** Read the files (a missing one is an error, exit 1) and remember them for error rendering. */
export function readSources(out: Output, files: readonly string[]): SourceFile[] {
  const sources = files.map((filename) => {
    try {
      return { filename, src: readFileSync(filename, "utf8") };
    } catch (e) {
      const reason = (e as { code?: string }).code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
      throw new FactError(diagnostic("E_FILE", `cannot read \`${filename}\`: ${reason}`, "check the path of the policy file"));
    }
  });
  out.sources = new Map(sources.map((s) => [s.filename, s.src]));
  return sources;
}

/** Validate; throws a PolarError with every diagnostic when there are errors. */
export function checkPolicy(sources: readonly SourceFile[]): { readonly analysis: Analysis; readonly program: Program } {
  const analysis = analyzePolicy(sources);
  if (analysis.program === undefined) throw PolarError.fromDiagnostics(analysis.diagnostics);
  return { analysis, program: analysis.program };
}

/** The file each test block is in (test names are unique in a policy). */
function testFiles(analysis: Analysis): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of analysis.policy?.files ?? []) {
    for (const item of f.items) if (item.kind === "test") out.set(item.name.value, f.filename);
  }
  return out;
}

/** The test report for people (one line per test, one per failure, a summary). */
export function formatTestReport(out: Output, report: TestReport, analysis: Analysis): string[] {
  const files = testFiles(analysis);
  const lines: string[] = [];
  for (const t of report.tests) {
    const ok = t.failures.length === 0;
    lines.push(`${ok ? out.paint("32", "ok    ") : out.paint("1;31", "FAILED")} test ${JSON.stringify(t.name)} (${t.passed}/${t.total} assertions)`);
    const file = files.get(t.name);
    for (const f of t.failures) {
      lines.push(`  ${file === undefined ? "" : `${file}:`}${f.line}:${f.column}: failed: ${f.assertion.replace(/;\s*$/, "")}`);
      lines.push(`    ${f.message}`);
    }
  }
  const failed = report.tests.filter((t) => t.failures.length > 0).length;
  const n = report.tests.length;
  lines.push(n === 0 ? "no tests" : `${n} test${n === 1 ? "" : "s"}: ${n - failed} passed, ${failed} failed`);
  return lines;
}

export function testsFailedError(report: TestReport, help: string): FactError {
  const failed = report.tests.filter((t) => t.failures.length > 0);
  const names = failed.map((t) => `\`${t.name}\``).join(", ");
  return new FactError(diagnostic("E_TESTS_FAILED", `${failed.length} of ${report.tests.length} policy tests failed: ${names}`, help));
}
