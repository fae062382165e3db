/**
 * V15: a named variable that occurs exactly once in a rule (head and body) or an assertion
 * (parameters and `iff`) is almost always a typo; warn, as Oso Cloud policies in the wild
 * are not strict about it (spec §16.4, DESIGN 4.7). Shorthand rules are not concerned.
 */
import type { Expr, Param, Policy, Term, VarTerm } from "../ast.js";
import { isNamedVar, type Reporter } from "./context.js";
import { exprTerms } from "./walk.js";

function collect(params: readonly Param[], body: Expr | undefined): VarTerm[] {
  const terms: Term[] = params.map((p) => p.term);
  if (body !== undefined) terms.push(...exprTerms(body));
  return terms.filter((t): t is VarTerm => t.kind === "var");
}

function report(vars: readonly VarTerm[], rep: Reporter): void {
  const counts = new Map<string, number>();
  for (const v of vars) counts.set(v.name, (counts.get(v.name) ?? 0) + 1);
  for (const v of vars) {
    if (!isNamedVar(v.name) || counts.get(v.name) !== 1) continue;
    rep.warn(
      "W_SINGLETON_VARIABLE",
      `variable \`${v.name}\` is used only once`,
      `rename it to \`_${v.name}\` or \`_\``,
      v.span,
    );
  }
}

export function checkSingletons(policy: Policy, rep: Reporter): void {
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind === "rule") report(collect(item.params, item.body), rep);
      else if (item.kind === "test") for (const a of item.assertions) report(collect(a.params, a.iff), rep);
    }
  }
}
