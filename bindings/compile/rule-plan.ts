/**
 * The join-order scheduler for one rule: filters as soon as their inputs are bound, then the
 * atom with the most bound arguments (docs/engine.md), within the rule's order constraints.
 */
import type { IRRule, IRTerm, Literal } from "./ir.js";
import { CMP_CODES, MODE_BIND, MODE_CHECK, PlanError, REG_LIMIT, type CallSpec, type PlanContext, type PlanRule, type Step } from "./plan-types.js";
import { analyseRule } from "./rule-order.js";
import { atomStep, notStep, operand } from "./steps.js";

/** Plan one rule for a call mask; undefined if it can never produce an answer. */
export function planRule(ctx: PlanContext, r: IRRule, arity: number, mask: number, spec: CallSpec): PlanRule | undefined {
  if (r.nvars >= REG_LIMIT) throw new PlanError(`rule ${r.id} has too many variables`);
  const steps: Step[] = [];
  const bound = new Set<number>();
  const concrete = new Set<number>();
  const isBound = (t: IRTerm): boolean => t.k !== "var" || bound.has(t.v);
  const isConcrete = (t: IRTerm): boolean => t.k !== "var" || concrete.has(t.v);
  const bind = (v: number, conc: boolean): void => {
    bound.add(v);
    if (conc) concrete.add(v);
  };
  let maxExtra = r.nvars;
  const scratch = (): number => {
    const reg = maxExtra++;
    if (reg >= REG_LIMIT) throw new PlanError("too many registers");
    return reg;
  };

  const demandOnly = ctx.program.preds.get(r.pred)?.demandOnly === true;
  const body = r.body;
  const { varsOf, localsOf, after, deferred } = analyseRule(ctx, r, demandOnly);
  const late: { ki: number; v: number }[] = [];
  // types each variable surely has here (checked by an earlier `isa`, or by the caller)
  const known = new Map<number, string[]>();
  let ki = 0;
  for (let i = 0; i < arity; i++) {
    if (!((mask >>> i) & 1)) continue;
    const t = r.head[i]!;
    if (t.k === "var" && deferred.has(t.v)) {
      late.push({ ki, v: t.v });
    } else if (t.k === "var" && !bound.has(t.v)) {
      steps.push({ op: "arg", ki, reg: t.v });
      bind(t.v, !demandOnly);
      const kt = spec.known?.[i];
      if (kt !== undefined) known.set(t.v, [...kt]);
    } else if (!(t.k === "const" && spec.consts[i] !== undefined)) {
      // (a constant the call spec substituted needs no check)
      steps.push({ op: "argeq", ki, operand: operand(ctx, t) });
    }
    ki++;
  }

  const emitted = new Set<number>();
  const remaining = body.map((_, i) => i);
  const eligible = (i: number): boolean => {
    for (const j of after[i]!) if (!emitted.has(j)) return false;
    return true;
  };
  let dead = false;

  const tryFilter = (i: number): boolean => {
    const l = body[i]!;
    if (!eligible(i)) return false;
    switch (l.k) {
      case "isa": {
        if (l.t.k !== "var") {
          const ty = l.t.k === "now" ? "Integer" : l.t.value.type;
          if (!ctx.env.isSubtype(ty, l.type)) dead = true;
          return true;
        }
        if (!bound.has(l.t.v)) return false;
        const ks = known.get(l.t.v) ?? [];
        // implied by a type the variable surely has: a no-op even on a wildcard (already narrower)
        if (ks.some((k) => ctx.env.isSubtype(k, l.type))) return true;
        steps.push({ op: "isa", reg: l.t.v, type: ctx.env.typeId(l.type) });
        known.set(l.t.v, [...ks, l.type]);
        return true;
      }
      case "cmp": {
        const ba = isBound(l.a);
        const bb = isBound(l.b);
        if (l.op === "eq") {
          if (ba && bb) {
            steps.push({ op: "cmp", cmp: CMP_CODES.eq, a: operand(ctx, l.a), b: operand(ctx, l.b) });
            if (isConcrete(l.a) || isConcrete(l.b)) {
              if (l.a.k === "var") concrete.add(l.a.v);
              if (l.b.k === "var") concrete.add(l.b.v);
            }
            return true;
          }
          if (ba && l.b.k === "var") {
            steps.push({ op: "move", dst: l.b.v, src: operand(ctx, l.a) });
            bind(l.b.v, isConcrete(l.a));
            return true;
          }
          if (bb && l.a.k === "var") {
            steps.push({ op: "move", dst: l.a.v, src: operand(ctx, l.b) });
            bind(l.a.v, isConcrete(l.b));
            return true;
          }
          return false;
        }
        if (!ba || !bb) return false;
        steps.push({ op: "cmp", cmp: CMP_CODES[l.op], a: operand(ctx, l.a), b: operand(ctx, l.b) });
        return true;
      }
      case "in": {
        if (!l.list.every(isBound)) return false;
        if (isBound(l.t)) {
          if (l.t.k !== "var") {
            // constant membership: decide only when every element is a constant
            const c = operand(ctx, l.t);
            if (l.list.every((e) => e.k !== "var")) {
              if (!l.list.some((e) => operand(ctx, e) === c)) dead = true;
              return true;
            }
            const reg = scratch();
            steps.push({ op: "move", dst: reg, src: c });
            steps.push({ op: "in", reg, mode: MODE_CHECK, list: l.list.map((e) => operand(ctx, e)) });
            return true;
          }
          steps.push({ op: "in", reg: l.t.v, mode: MODE_CHECK, list: l.list.map((e) => operand(ctx, e)) });
          if (l.list.every(isConcrete)) concrete.add(l.t.v);
          return true;
        }
        if (l.t.k !== "var") return false;
        steps.push({ op: "in", reg: l.t.v, mode: MODE_BIND, list: l.list.map((e) => operand(ctx, e)) });
        bind(l.t.v, l.list.every(isConcrete));
        return true;
      }
      case "not": {
        const locals = localsOf(i);
        for (const v of varsOf(l)) if (!locals.has(v) && !bound.has(v)) return false;
        steps.push(notStep(ctx, l.pred, l.args, locals, bound, concrete, scratch));
        return true;
      }
      case "atom":
        return false;
    }
  };
  const runFilters = (): void => {
    let progress = true;
    while (progress && !dead) {
      progress = false;
      for (let k = 0; k < remaining.length; k++) {
        const i = remaining[k]!;
        if (tryFilter(i)) {
          emitted.add(i);
          remaining.splice(k, 1);
          k--;
          progress = true;
          if (dead) return;
        }
      }
    }
  };

  while (!dead) {
    runFilters();
    if (dead) break;
    // the next atom: most bound arguments, then stored-only predicates, then fully bound
    let best = -1;
    let bestScore = -1;
    for (let k = 0; k < remaining.length; k++) {
      const l = body[remaining[k]!]!;
      if (l.k !== "atom" || !eligible(remaining[k]!)) continue;
      const nb = l.args.filter(isBound).length;
      const edb = ctx.hasRules(l.pred) ? 0 : 1;
      const score = nb * 4 + edb * 2 + (nb === l.args.length ? 1 : 0);
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    if (best >= 0) {
      const i = remaining.splice(best, 1)[0]!;
      steps.push(atomStep(ctx, body[i] as Extract<Literal, { k: "atom" }>, bound, concrete, r, known));
      emitted.add(i);
      continue;
    }
    // no atom: an `isa` on a variable nothing binds makes it a typed wildcard
    let wild = -1;
    for (let k = 0; k < remaining.length; k++) {
      const l = body[remaining[k]!]!;
      if (l.k === "isa" && l.t.k === "var" && !bound.has(l.t.v) && eligible(remaining[k]!)) {
        wild = k;
        break;
      }
    }
    if (wild < 0) break;
    const i = remaining.splice(wild, 1)[0]!;
    const l = body[i] as Extract<Literal, { k: "isa" }>;
    steps.push({ op: "wild", reg: (l.t as { v: number }).v, type: ctx.env.typeId(l.type) });
    bound.add((l.t as { v: number }).v);
    emitted.add(i);
  }
  if (dead) return undefined;

  // deferred head arguments: bind the ones the body left unbound; the others are checked
  // after the body against a copy (so the rule's own answer positions are not narrowed)
  for (const { ki: k, v } of late) {
    if (!bound.has(v)) {
      steps.push({ op: "arg", ki: k, reg: v });
      bind(v, true);
    }
  }
  runFilters();
  if (dead) return undefined;
  for (const { ki: k, v } of late) {
    const reg = scratch();
    steps.push({ op: "move", dst: reg, src: v });
    steps.push({ op: "argeq", ki: k, operand: reg });
  }
  if (remaining.length > 0) throw new PlanError(`rule ${r.id} of \`${r.pred}\` is not range-restricted`);

  const operands: number[] = [];
  for (let i = 0; i < arity; i++) {
    if ((mask >>> i) & 1) continue;
    const t = r.head[i]!;
    if (t.k === "var" && !bound.has(t.v)) throw new PlanError(`rule ${r.id} of \`${r.pred}\`: head variable \`${r.varNames[t.v] ?? t.v}\` is never bound`);
    operands.push(operand(ctx, t));
  }
  steps.push({ op: "emit", operands });
  return { nregs: Math.max(maxExtra, 1), steps, source: r.id };
}
