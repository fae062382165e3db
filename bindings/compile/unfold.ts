/**
 * Unfolding fully bound calls (docs/engine.md, "Plans"): a CALL whose callee plan is fully
 * bound, surely gets concrete keys, and is flat (its rules hold only ARG/ARGEQ-constant, PROBE
 * and filters, no CALL/NOT/WILD) is replaced by the callee's rules spliced into the caller's
 * rule, one caller rule per callee rule, callee registers renumbered after the caller's. A flat
 * plan calls nothing, so it is not recursive; a fully bound call binds nothing, so the rest of
 * the caller's rule sees the same registers. No subgoal, frame or answer table for that level.
 * Where splicing would repeat an enumerating step or exceed the caps, the call becomes a ONCE
 * step instead: the core runs the callee's rules in an untabled frame and stops at the first
 * success (a fully bound call answers at most once).
 */
import { fullMask, REG_LIMIT, type KeyEntry, type Plan, type PlanRule, type Step } from "./plan.js";

/** Most rules a plan may have after unfolding, and most steps per unfolded rule. */
export const UNFOLD_MAX_RULES = 32;
export const UNFOLD_MAX_STEPS = 64;

type CallStep = Extract<Step, { op: "call" | "not" | "once" }>;

/** A plan whose rules can be spliced into a caller: fully bound and flat. */
export function isFlat(p: Plan): boolean {
  if (p.mask !== fullMask(p.arity)) return false;
  for (const r of p.rules) {
    for (const s of r.steps) {
      switch (s.op) {
        // (a TOUCH reads its own frame's key: never spliced elsewhere)
        case "call": case "not": case "once": case "wild": case "touch": return false;
        // a register ARGEQ is a deferred head check (a copy unified after the body): keep the call
        case "argeq": if (s.operand < REG_LIMIT) return false; break;
        case "emit": if (s.operands.length !== 0) return false; break;
        default: break;
      }
    }
  }
  return true;
}

/**
 * A callee step with registers moved by `off` and ARG/ARGEQ reading the caller's key operands.
 * A callee register an ARG fills from a caller register is that register (`alias`): every
 * value in a flat plan is concrete (no WILD, stored rows, constants), so no step narrows it.
 */
function inlineStep(s: Step, off: number, keyOps: readonly number[], alias: Map<number, number>): Step | undefined {
  const reg = (r: number): number => alias.get(r) ?? r + off;
  const ro = (o: number): number => (o < REG_LIMIT ? reg(o) : o);
  switch (s.op) {
    case "arg": {
      const src = keyOps[s.ki]!;
      if (src < REG_LIMIT && !alias.has(s.reg)) {
        alias.set(s.reg, src);
        return undefined;
      }
      return { op: "move", dst: reg(s.reg), src };
    }
    // (eq with a constant on one side: unifies the other side with it, as ARGEQ does with the key)
    case "argeq": return { op: "cmp", cmp: 0, a: s.operand, b: keyOps[s.ki]! };
    case "probe": return { ...s, keys: s.keys.map(([p, o]): KeyEntry => [p, ro(o)]), outs: s.outs.map(([p, r, m]) => [p, reg(r), m] as const) };
    case "cmp": return { ...s, a: ro(s.a), b: ro(s.b) };
    case "move": return { op: "move", dst: reg(s.dst), src: ro(s.src) };
    case "isa": return { ...s, reg: reg(s.reg) };
    case "in": return { ...s, reg: reg(s.reg), list: s.list.map(ro) };
    case "emit": return undefined;
    default: throw new Error(`unfold: unexpected ${s.op}`);
  }
}

function unfoldable(s: Step, planOf: (id: number) => Plan | undefined): Plan | undefined {
  if (s.op !== "call" || s.plan !== s.altPlan || s.outs.length !== 0) return undefined;
  const p = planOf(s.plan);
  return p !== undefined && isFlat(p) ? p : undefined;
}

/** A flat callee's call that stays a step: run untabled (OP_ONCE), as it answers at most once. */
function onceOf(s: Step): Step {
  return { ...(s as CallStep), op: "once" };
}

/**
 * The rules of one caller rule with its unfoldable calls spliced in, or undefined when no call
 * is unfoldable. `planOf` returns finished plans only (undefined for plans being planned).
 */
export function unfoldRule(rule: PlanRule, planOf: (id: number) => Plan | undefined): PlanRule[] | undefined {
  let variants: { steps: Step[]; nregs: number }[] = [{ steps: [], nregs: rule.nregs }];
  let changed = false;
  // steps before the call that enumerate (probes, calls, `in`) would be repeated by every
  // unfolded rule: unfold only calls that nothing enumerating precedes
  let enumerated = false;
  for (const s of rule.steps) {
    const flat = unfoldable(s, planOf);
    const callee = enumerated ? undefined : flat;
    if (s.op === "probe" || s.op === "call" || s.op === "not" || s.op === "in") enumerated = true;
    if (callee === undefined) {
      const kept = flat === undefined ? s : onceOf(s);
      changed ||= kept !== s;
      for (const v of variants) v.steps.push(kept);
      continue;
    }
    const keyOps = [...(s as CallStep).keys].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
    const next: { steps: Step[]; nregs: number }[] = [];
    let fits = variants.length * callee.rules.length <= UNFOLD_MAX_RULES;
    for (const v of variants) {
      if (!fits) break;
      for (const cr of callee.rules) {
        const off = v.nregs;
        const steps = [...v.steps];
        const alias = new Map<number, number>();
        for (const cs of cr.steps) {
          const n = inlineStep(cs, off, keyOps, alias);
          if (n !== undefined) steps.push(n);
        }
        const nregs = off + cr.nregs;
        if (nregs >= REG_LIMIT || steps.length > UNFOLD_MAX_STEPS) {
          fits = false;
          break;
        }
        next.push({ steps, nregs });
      }
    }
    if (!fits) {
      for (const v of variants) v.steps.push(onceOf(s));
      changed = true;
      continue;
    }
    variants = next;
    changed = true;
  }
  if (!changed) return undefined;
  return variants.map((v) => ({ nregs: v.nregs, steps: v.steps, source: rule.source }));
}

/** Unfold a plan's rules; the plan keeps its original rules if unfolding would exceed the cap. */
export function unfoldRules(rules: readonly PlanRule[], planOf: (id: number) => Plan | undefined): PlanRule[] {
  const out: PlanRule[] = [];
  let changed = false;
  for (const r of rules) {
    const u = unfoldRule(r, planOf);
    if (u === undefined) out.push(r);
    else {
      out.push(...u);
      changed = true;
    }
  }
  if (!changed) return [...rules];
  if (out.length > UNFOLD_MAX_RULES) {
    // too many rules once spliced: keep the rules, with their flat calls run untabled
    return rules.map((r) => ({ ...r, steps: r.steps.map((s) => (unfoldable(s, planOf) === undefined ? s : onceOf(s))) }));
  }
  return out;
}
