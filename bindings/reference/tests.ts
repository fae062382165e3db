/**
 * Running a policy's `test` blocks (docs/semantics.md, "Tests"). Each test sees only its own
 * setup facts (fixtures already expanded by the compiler). An assertion's solutions are the
 * answers of its internal query predicate, one position per named variable.
 */
import type { TestCaseResult, TestFailure, TestReport } from "../api/types.js";
import type { CompiledAssertion, CompiledTest, PredKey, Program } from "../compile/ir.js";
import { type Lattice, type Tuple, tupleKey } from "../engine/shared/answers.js";
import { formatPolarValue } from "../engine/shared/format.js";
import { evaluate, type Model } from "./evaluate.js";
import { FactStore } from "./facts.js";

/** How many differing solutions an `iff` failure lists on each side. */
const SHOW = 3;

export function runTests(program: Program, lat: Lattice, now: bigint): TestReport {
  const tests = program.tests.map((t) => runTest(program, lat, now, t));
  return { passed: tests.every((t) => t.failures.length === 0), tests };
}

function runTest(program: Program, lat: Lattice, now: bigint, test: CompiledTest): TestCaseResult {
  const facts = new FactStore();
  for (const [pred, ...args] of test.facts) facts.insert(pred, args);
  const roots: PredKey[] = test.assertions.flatMap((a) => (a.iffPred === undefined ? [a.queryPred] : [a.queryPred, a.iffPred]));
  const model = evaluate(program, lat, [facts], now, roots);
  const failures: TestFailure[] = [];
  for (const a of test.assertions) {
    const message = check(model, a);
    if (message !== undefined) failures.push({ assertion: a.text, message, line: a.span.line, column: a.span.column });
  }
  return { name: test.name, passed: test.assertions.length - failures.length, total: test.assertions.length, failures };
}

/** Why the assertion fails, or undefined when it passes. */
function check(model: Model, a: CompiledAssertion): string | undefined {
  const solutions = model.rel(a.queryPred).tuples;
  if (a.iffPred !== undefined) {
    // Set equality of solution tuples; a wildcard equals only the identical wildcard.
    const expected = model.rel(a.iffPred).tuples;
    const have = new Set(solutions.map(tupleKey));
    const want = new Set(expected.map(tupleKey));
    const missing = expected.filter((t) => !have.has(tupleKey(t)));
    const unexpected = solutions.filter((t) => !want.has(tupleKey(t)));
    if (missing.length === 0 && unexpected.length === 0) return undefined;
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${some(a, missing)}`);
    if (unexpected.length > 0) parts.push(`unexpected ${some(a, unexpected)}`);
    return `the solutions differ from the \`iff\` side: ${parts.join("; ")}`;
  }
  if (a.kind === "assert") return solutions.length > 0 ? undefined : "expected at least one solution, found none";
  if (solutions.length === 0) return undefined;
  const first = solutions[0]!;
  return a.vars.length === 0
    ? "expected no solutions, but the query holds"
    : `expected no solutions, found ${solutions.length} (such as ${binding(a, first)})`;
}

function some(a: CompiledAssertion, tuples: readonly Tuple[]): string {
  const shown = tuples.slice(0, SHOW).map((t) => binding(a, t)).join(", ");
  return tuples.length > SHOW ? `${shown} and ${tuples.length - SHOW} more` : shown;
}

/** `x = "read"`, or `(x = "read", y = User{"bob"})`; a wildcard shows as `_: T`. */
function binding(a: CompiledAssertion, t: Tuple): string {
  const parts = t.map((v, i) => `${a.vars[i] ?? `_${i}`} = ${formatPolarValue(v)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(", ")})`;
}
