/**
 * Judging one test assertion from its solutions (docs/semantics.md, "Tests"), with the failure
 * message both engines report. `solutionsOf(pred)` returns the answers of an internal query
 * predicate (one position per named variable of the assertion).
 */
import type { CompiledAssertion, PredKey } from "../../compile/ir.js";
import { type Tuple, tupleKey } from "./answers.js";
import { formatPolarValue } from "./format.js";

/** How many differing solutions an `iff` failure lists on each side. */
const SHOW = 3;

/** Why the assertion fails, or undefined when it passes. */
export function assertionFailure(a: CompiledAssertion, solutionsOf: (pred: PredKey) => readonly Tuple[]): string | undefined {
  const solutions = solutionsOf(a.queryPred);
  if (a.iffPred !== undefined) {
    // Set equality of solution tuples; a wildcard equals only the identical wildcard.
    const expected = solutionsOf(a.iffPred);
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
