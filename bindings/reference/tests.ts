/**
 * Running a policy's `test` blocks (docs/semantics.md, "Tests"). Each test sees only its own
 * setup facts (fixtures already expanded by the compiler). An assertion's solutions are the
 * answers of its internal query predicate, one position per named variable.
 */
import type { TestCaseResult, TestFailure, TestReport } from "../api/types.js";
import type { CompiledTest, PredKey, Program } from "../compile/ir.js";
import type { Lattice } from "../engine/shared/answers.js";
import { assertionFailure } from "../engine/shared/assertions.js";
import { evaluate } from "./evaluate.js";
import { FactStore } from "./facts.js";

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
    const message = assertionFailure(a, (pred) => model.rel(pred).tuples);
    if (message !== undefined) failures.push({ assertion: a.text, message, line: a.span.line, column: a.span.column });
  }
  return { name: test.name, passed: test.assertions.length - failures.length, total: test.assertions.length, failures };
}
