/** Emitting steps: operands, the stored-facts rule, probes, calls and negations. */
import type { TypedValue } from "../api/types.js";
import type { IRRule, IRTerm, Literal, PredKey } from "./ir.js";
import { MODE_BIND, MODE_CHECK, OPN_NOW, REG_LIMIT, type CallSpec, type KeyEntry, type OutEntry, type PlanContext, type PlanRule, type Step } from "./plan-types.js";

/**
 * The index mask for a probe: a single column, the first bound one that is not a constant
 * (constants and the other bound columns are checked on the rows of its chain). Facts of one
 * subject (an actor's roles, a resource's relations) then share one chain, which the several
 * probes of a check walk once (it stays in cache), and a relation needs at most one index
 * per column: memory per fact stays low. Constant-only keys (`has_role(_, "admin", _)`) keep
 * the constant.
 */
function probeMask(mask: number, consts: number): number {
  const m = (mask & ~consts) >>> 0;
  if (m === 0) return mask;
  return (m & -m) >>> 0;
}

export function operand(ctx: PlanContext, t: IRTerm): number {
  if (t.k === "var") return t.v;
  if (t.k === "now") return OPN_NOW;
  return ctx.env.valueId(t.value);
}

export function factRule(ctx: PlanContext, pred: PredKey, arity: number, mask: number, spec: CallSpec): PlanRule {
  const steps: Step[] = [];
  let ki = 0;
  const keys: KeyEntry[] = [];
  const outs: OutEntry[] = [];
  for (let i = 0; i < arity; i++) {
    if ((mask >>> i) & 1) {
      const c = spec.consts[i];
      if (c !== undefined) keys.push([i, ctx.env.valueId(c)]);
      else {
        steps.push({ op: "arg", ki, reg: i });
        keys.push([i, i]);
      }
      ki++;
    } else outs.push([i, i, MODE_BIND]);
  }
  const rel = ctx.env.relId(pred, arity);
  const consts = keys.filter(([, op]) => op >= REG_LIMIT && op !== OPN_NOW).reduce((m, [i]) => m | (1 << i), 0);
  steps.push({ op: "probe", rel, mask: probeMask(mask, consts), altMask: probeMask(mask, consts), keys, outs });
  // stored rows are concrete: a type the caller needs is a plain filter
  for (const [i] of outs) for (const t of spec.types[i] ?? []) steps.push({ op: "isa", reg: i, type: ctx.env.typeId(t) });
  steps.push({ op: "emit", operands: outs.map(([i]) => i) });
  return { nregs: Math.max(arity, 1), steps, source: -1 };
}

/** NOT of `pred(args)`: bound arguments are the key; local variables go to scratch registers. */
export function notStep(ctx: PlanContext, pred: PredKey, args: readonly IRTerm[], locals: Set<number>, bound: Set<number>, concrete: Set<number>, scratch: () => number): Step {
  let mask = 0;
  let altMask = 0;
  const keys: KeyEntry[] = [];
  const outs: OutEntry[] = [];
  const regOf = new Map<number, number>();
  args.forEach((t, i) => {
    if (t.k !== "var" || (!locals.has(t.v) && bound.has(t.v))) {
      mask |= 1 << i;
      if (t.k !== "var" || concrete.has(t.v)) altMask |= 1 << i;
      keys.push([i, operand(ctx, t)]);
    } else {
      const have = regOf.get(t.v);
      if (have !== undefined) outs.push([i, have, MODE_CHECK]);
      else {
        const reg = scratch();
        regOf.set(t.v, reg);
        outs.push([i, reg, MODE_BIND]);
      }
    }
  });
  const spec: CallSpec = { consts: args.map((t) => (t.k === "const" ? t.value : undefined)), types: [] };
  const plan = ctx.ensure(pred, mask >>> 0, spec);
  const demandOnly = ctx.program.preds.get(pred)?.demandOnly === true;
  const altPlan = altMask === mask || demandOnly ? plan : ctx.ensure(pred, altMask >>> 0, spec);
  return { op: "not", plan, altPlan, keys, outs };
}

/** A positive atom: a call when the predicate has rules (a direct probe when its plan is only stored facts), else a probe. */
export function atomStep(ctx: PlanContext, l: Extract<Literal, { k: "atom" }>, bound: Set<number>, concrete: Set<number>, r: IRRule, known: ReadonlyMap<number, readonly string[]>): Step {
  if (ctx.hasRules(l.pred)) {
    // a call whose specialised plan is only the stored facts is a direct probe (no subgoal)
    const before = { bound: new Set(bound), concrete: new Set(concrete) };
    const step = callStep(ctx, "call", l.pred, l.args, bound, concrete, r, known);
    if (step.op !== "call" || step.plan !== step.altPlan) return step;
    const callee = ctx.plan(step.plan);
    if (callee.rules.length !== 1 || callee.rules[0]!.source !== -1) return step;
    bound.clear();
    concrete.clear();
    before.bound.forEach((v) => bound.add(v));
    before.concrete.forEach((v) => concrete.add(v));
    // (the callee may be an alias: probe the predicate the plan reads)
    return probeStep(ctx, { ...l, pred: callee.pred }, bound, concrete);
  }
  return probeStep(ctx, l, bound, concrete);
}

function probeStep(ctx: PlanContext, l: Extract<Literal, { k: "atom" }>, bound: Set<number>, concrete: Set<number>): Step {
  const arity = l.args.length;
  const { mask, altMask, keys, outs } = argLayout(ctx, l.args, bound, concrete);
  // after a probe every argument is concrete (stored facts hold no wildcards)
  l.args.forEach((t) => {
    if (t.k === "var") {
      bound.add(t.v);
      concrete.add(t.v);
    }
  });
  const consts = l.args.reduce((m, t, i) => (t.k === "const" ? m | (1 << i) : m), 0);
  return { op: "probe", rel: ctx.env.relId(l.pred, arity), mask: probeMask(mask >>> 0, consts), altMask: probeMask(altMask >>> 0, consts), keys, outs };
}

/**
 * How a probe or call uses its arguments: bound ones are key operands (mask; altMask = those
 * surely concrete, for the wildcard alternative), the first occurrence of a free variable binds
 * it and a repeat checks it.
 */
function argLayout(ctx: PlanContext, args: readonly IRTerm[], bound: ReadonlySet<number>, concrete: ReadonlySet<number>): { mask: number; altMask: number; keys: KeyEntry[]; outs: OutEntry[] } {
  let mask = 0;
  let altMask = 0;
  const keys: KeyEntry[] = [];
  const outs: OutEntry[] = [];
  const newly = new Set<number>();
  args.forEach((t, i) => {
    if (t.k !== "var" || bound.has(t.v)) {
      mask |= 1 << i;
      if (t.k !== "var" || concrete.has(t.v)) altMask |= 1 << i;
      keys.push([i, operand(ctx, t)]);
    } else if (newly.has(t.v)) {
      outs.push([i, t.v, MODE_CHECK]);
    } else {
      newly.add(t.v);
      outs.push([i, t.v, MODE_BIND]);
    }
  });
  return { mask, altMask, keys, outs };
}

function callStep(ctx: PlanContext, op: "call" | "not", pred: PredKey, args: readonly IRTerm[], bound: Set<number>, concrete: Set<number>, r: IRRule, known: ReadonlyMap<number, readonly string[]>): Step {
  const { mask, altMask, keys, outs } = argLayout(ctx, args, bound, concrete);
  // call spec: constant arguments, and (for positive calls) the types the rule requires
  const spec: { consts: (TypedValue | undefined)[]; types: (string[] | undefined)[]; known?: (string[] | undefined)[] } = { consts: [], types: [] };
  args.forEach((t, i) => {
    if (t.k === "const") spec.consts[i] = t.value;
    else if (t.k === "var" && op === "call") {
      const ts = r.body.flatMap((l) => (l.k === "isa" && l.t.k === "var" && l.t.v === t.v ? [l.type] : []));
      if (ts.length > 0) spec.types[i] = [...new Set(ts)].sort();
      const ks = (mask >>> i) & 1 ? known.get(t.v) : undefined;
      if (ks !== undefined && ks.length > 0) (spec.known ??= [])[i] = [...new Set(ks)].sort();
    }
  });
  const plan = ctx.ensure(pred, mask >>> 0, spec);
  // a wildcard argument frees its position (and the answers narrow it), except for
  // demand-only predicates, which run with the wildcard bound
  const demandOnly = ctx.program.preds.get(pred)?.demandOnly === true;
  const altPlan = altMask === mask || demandOnly ? plan : ctx.ensure(pred, altMask >>> 0, spec);
  if (op === "call") {
    const hasRules = ctx.hasRules(pred);
    args.forEach((t, i) => {
      if (t.k !== "var") return;
      const wasConcrete = concrete.has(t.v);
      bound.add(t.v);
      const free = !((mask >>> i) & 1) || !wasConcrete;
      if (wasConcrete || (free && !(hasRules && ctx.maybeWild(pred, i)))) concrete.add(t.v);
    });
  }
  return { op, plan, altPlan, keys, outs };
}
