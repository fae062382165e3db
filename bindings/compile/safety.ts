/**
 * Range restriction (V20) and body ordering. Orders a conjunction so that every literal's
 * inputs are bound before it runs, assuming nothing about the head (bottom-up order; any
 * binding pattern of a call only binds more). Positive atoms keep their source order; other
 * literals run as soon as they can. A variable only constrained by `isa` becomes a typed
 * wildcard; a head variable with neither a binding nor a type is an error.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import type { Span } from "../api/span.js";
import type { IRTerm, Literal } from "./ir.js";
import { termVars } from "./terms.js";

function isBound(t: IRTerm, bound: ReadonlySet<number>): boolean {
  return t.k !== "var" || bound.has(t.v);
}

function literalVars(l: Literal): Set<number> {
  switch (l.k) {
    case "atom":
    case "not":
      return termVars(l.args);
    case "cmp":
      return termVars([l.a, l.b]);
    case "isa":
      return termVars([l.t]);
    case "in":
      return termVars([l.t, ...l.list]);
  }
}

export interface OrderResult {
  readonly body: Literal[];
  readonly diagnostics: Diagnostic[];
}

/**
 * @param head the head terms (their variables need a binding or a type)
 * @param body the conjunction, in source order
 * @param names variable names by number, for messages
 * @param headSpans the span of each head parameter, for head-variable errors
 * @param headBound true for rules that are only ever called with every argument bound
 *   (the internal predicates behind `not (...)`): their head variables are bound on entry
 */
export function orderBody(head: readonly IRTerm[], body: readonly Literal[], names: readonly string[], headSpans: readonly Span[], headBound = false): OrderResult {
  // Variables of a `not` that occur nowhere else are local to it; the others are its inputs.
  const occurrences = new Map<number, number>();
  const count = (vars: Iterable<number>): void => {
    for (const v of vars) occurrences.set(v, (occurrences.get(v) ?? 0) + 1);
  };
  count(termVars(head));
  for (const l of body) count(literalVars(l));
  const notInputs = (l: Literal): number[] => [...literalVars(l)].filter((v) => (occurrences.get(v) ?? 0) > 1);

  const bound = headBound ? termVars(head) : new Set<number>();
  const ready = (l: Literal): boolean => {
    switch (l.k) {
      case "atom":
        return true;
      case "not":
        return notInputs(l).every((v) => bound.has(v));
      case "cmp":
        if (l.op === "eq") return isBound(l.a, bound) || isBound(l.b, bound);
        return isBound(l.a, bound) && isBound(l.b, bound);
      case "in":
        return isBound(l.t, bound) || l.list.every((t) => isBound(t, bound));
      case "isa":
        return isBound(l.t, bound);
    }
  };
  const bind = (l: Literal): void => {
    if (l.k === "atom" || l.k === "cmp" || l.k === "in") for (const v of literalVars(l)) bound.add(v);
  };

  const pending = [...body];
  const ordered: Literal[] = [];
  for (;;) {
    // Run every literal that is ready (filters and binders) before the next atom.
    let placed = true;
    while (placed) {
      placed = false;
      for (let i = 0; i < pending.length; i++) {
        const l = pending[i]!;
        if (l.k !== "atom" && ready(l)) {
          ordered.push(l);
          bind(l);
          pending.splice(i, 1);
          placed = true;
          break;
        }
      }
    }
    const next = pending.findIndex((l) => l.k === "atom");
    if (next < 0) break;
    const atom = pending.splice(next, 1)[0]!;
    ordered.push(atom);
    bind(atom);
  }

  const diagnostics: Diagnostic[] = [];
  const typed = new Set<number>();
  for (const l of pending) {
    if (l.k === "isa" && l.t.k === "var") {
      typed.add(l.t.v); // a typed wildcard: checked at the end
      ordered.push(l);
      continue;
    }
    const unbound = [...literalVars(l)].filter((v) => !bound.has(v) && (l.k !== "not" || notInputs(l).includes(v)));
    const name = names[unbound[0] ?? 0] ?? "_";
    if (l.k === "not") {
      diagnostics.push(diagnostic("E_UNSAFE_NEGATION", `variable \`${name}\` is used in \`not\` but never bound outside it`, "bind it with a positive condition (a call, `=` or `in`) in the same rule", l.span));
    } else if (l.k === "cmp" && l.op !== "eq") {
      diagnostics.push(diagnostic("E_UNBOUND_IN_COMPARISON", `variable \`${name}\` is compared but never bound`, "bind it with a call, `=` or `in` before comparing it", l.span));
    } else {
      diagnostics.push(diagnostic("E_UNBOUND_VARIABLE", `variable \`${name}\` is never bound`, "bind it with a call or compare it with a bound value", l.span));
    }
  }
  const reported = new Set<number>();
  for (const [i, t] of head.entries()) {
    if (t.k !== "var" || bound.has(t.v) || typed.has(t.v) || reported.has(t.v)) continue;
    reported.add(t.v);
    const name = names[t.v] ?? "_";
    diagnostics.push(
      diagnostic(
        "E_UNBOUND_HEAD_VARIABLE",
        `head variable \`${name}\` is never bound by the rule body`,
        `bind it in the body, or give it a type such as \`${name}: User\` to accept any value of that type`,
        headSpans[i] ?? headSpans[0]!,
      ),
    );
  }
  return { body: ordered, diagnostics };
}
