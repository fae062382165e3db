/**
 * Wildcard-safe ordering of a rule body: the binding state along IR order, the order
 * constraints it implies, and which head variables are unified only after the body.
 */
import type { IRRule, IRTerm, Literal } from "./ir.js";
import type { PlanContext } from "./plan-types.js";

/**
 * Binding state along the rule body in IR order, which defines the answers: bound[i] and
 * conc[i] are the variables bound / surely concrete before literal i (an `isa` binds an
 * unbound variable to a wildcard). Demand-only rules start with their head bound.
 */
function prefixStates(ctx: PlanContext, r: IRRule, demandOnly: boolean): { bound: Set<number>[]; conc: Set<number>[]; finalConc: Set<number> } {
  const b = new Set<number>();
  const c = new Set<number>();
  if (demandOnly) for (const h of r.head) if (h.k === "var") b.add(h.v);
  const isB = (t: IRTerm): boolean => t.k !== "var" || b.has(t.v);
  const isC = (t: IRTerm): boolean => t.k !== "var" || c.has(t.v);
  const boundAt: Set<number>[] = [];
  const concAt: Set<number>[] = [];
  for (const l of r.body) {
    boundAt.push(new Set(b));
    concAt.push(new Set(c));
    switch (l.k) {
      case "atom": {
        const rules = ctx.hasRules(l.pred);
        l.args.forEach((t, i) => {
          if (t.k !== "var") return;
          b.add(t.v);
          if (!rules || !ctx.maybeWild(l.pred, i)) c.add(t.v);
        });
        break;
      }
      case "isa":
        if (l.t.k === "var") b.add(l.t.v);
        break;
      case "cmp":
        if (l.op === "eq") {
          const ba = isB(l.a);
          const bb = isB(l.b);
          const conc = (ba && isC(l.a)) || (bb && isC(l.b));
          if (ba || bb) {
            for (const t of [l.a, l.b]) if (t.k === "var") {
              b.add(t.v);
              if (conc) c.add(t.v);
            }
          }
        }
        break;
      case "in":
        if (l.list.every(isB) && l.t.k === "var") {
          b.add(l.t.v);
          if (l.list.every(isC)) c.add(l.t.v);
        }
        break;
      case "not":
        break;
    }
  }
  return { bound: boundAt, conc: concAt, finalConc: c };
}

/**
 * Order constraints and head deferral of a rule. `not` and ordering comparisons are not
 * monotone in wildcards: they must see their possibly-wild variables exactly as IR order
 * leaves them, so literals before them that touch those variables stay before and literals
 * after them stay after (`after[i]` = literals that must precede literal i). A head variable
 * that may hold a wildcard where such a literal reads it, or that fills two head positions,
 * is unified with a call argument only after the body (`deferred`), as bottom-up evaluation
 * would.
 */
export function analyseRule(ctx: PlanContext, r: IRRule, demandOnly: boolean): {
  varsOf: (l: Literal) => Set<number>;
  localsOf: (i: number) => Set<number>;
  after: Set<number>[];
  deferred: Set<number>;
} {
  const body = r.body;
  const pre = prefixStates(ctx, r, demandOnly);
  const varsOf = (l: Literal): Set<number> => {
    const terms = l.k === "atom" || l.k === "not" ? l.args : l.k === "cmp" ? [l.a, l.b] : l.k === "isa" ? [l.t] : [l.t, ...l.list];
    const out = new Set<number>();
    for (const t of terms) if (t.k === "var") out.add(t.v);
    return out;
  };
  // variables of a `not` that nothing binds before it (in IR order) are local to it
  const localsOf = (i: number): Set<number> => {
    const out = new Set<number>();
    const l = body[i]!;
    if (l.k === "not") for (const v of varsOf(l)) if (!pre.bound[i]!.has(v)) out.add(v);
    return out;
  };
  // Order-sensitive literals and the variables they are sensitive in: `not` and ordering
  // comparisons (conservative on wildcards), and `=`/`in` that copy or link a value that may
  // be a wildcard (later narrowing of one side does not reach the other).
  const sensitive = (i: number): Set<number> => {
    const l = body[i]!;
    const bnd = pre.bound[i]!;
    const conc = pre.conc[i]!;
    const isB = (t: IRTerm): boolean => t.k !== "var" || bnd.has(t.v);
    const isC = (t: IRTerm): boolean => t.k !== "var" || conc.has(t.v);
    const out = new Set<number>();
    if (l.k === "not" || (l.k === "cmp" && l.op !== "eq")) {
      const locals = localsOf(i);
      for (const v of varsOf(l)) if (!locals.has(v) && !conc.has(v)) out.add(v);
      return out;
    }
    if (l.k === "cmp") {
      const safe = (isB(l.a) && isC(l.a) && (!isB(l.b) || isC(l.b))) || (isB(l.b) && isC(l.b) && (!isB(l.a) || isC(l.a)));
      if (!safe) for (const v of varsOf(l)) out.add(v);
      return out;
    }
    if (l.k === "in") {
      const elemsOk = l.list.every((e) => isB(e) && isC(e));
      if (!(elemsOk && (!isB(l.t) || isC(l.t)))) for (const v of varsOf(l)) out.add(v);
      return out;
    }
    return out;
  };
  const after: Set<number>[] = body.map(() => new Set<number>());
  body.forEach((_, i) => {
    const w = sensitive(i);
    if (w.size === 0) return;
    body.forEach((m, j) => {
      if (j === i) return;
      let touches = false;
      for (const v of varsOf(m)) if (w.has(v)) touches = true;
      if (!touches) return;
      if (j < i) after[i]!.add(j);
      else after[j]!.add(i);
    });
  });
  const deferred = new Set<number>();
  if (!demandOnly) {
    const uses = new Map<number, number>();
    for (const h of r.head) if (h.k === "var") uses.set(h.v, (uses.get(h.v) ?? 0) + 1);
    body.forEach((_, i) => sensitive(i).forEach((v) => {
      if (uses.has(v)) deferred.add(v);
    }));
    for (const [v, n] of uses) if (n >= 2 && !pre.finalConc.has(v)) deferred.add(v);
  }
  return { varsOf, localsOf, after, deferred };
}
