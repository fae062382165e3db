/**
 * Join plans for the Wasm evaluator: one plan per reachable (predicate, bound-mask, call spec),
 * built lazily from the IR. The Planner coordinates: it numbers plans and hands each rule to
 * the scheduler (rule-plan.ts). Index and plan references stay symbolic until encode.ts.
 * docs/engine.md explains the join-order heuristic.
 */
import type { IRRule, PredKey, Program } from "./ir.js";
import { specialise, specKey } from "./call-spec.js";
import { MaybeWild } from "./maybe-wild.js";
import { arityOf, fullMask, NO_SPEC, type CallSpec, type Plan, type PlanContext, type PlanEnv, type PlanRule } from "./plan-types.js";
import { planRule } from "./rule-plan.js";
import { mergeRules } from "./merge.js";
import { factRule } from "./steps.js";
import { touchStep } from "./touch.js";
import { unfoldRules } from "./unfold.js";

export { CMP_CODES, fullMask, MAX_ARITY, MODE_BIND, MODE_CHECK, NO_SPEC, OPN_NOW, PlanError, popcount, REG_LIMIT } from "./plan-types.js";
export type { CallSpec, KeyEntry, OutEntry, Plan, PlanEnv, PlanRule, Step } from "./plan-types.js";

/**
 * Plans for one Program. `ensure(pred, mask)` returns the plan id, planning it (and every plan
 * it calls) on first use; `takeNew()` returns the plans made since the last call, in id order.
 */
export class Planner {
  private readonly ids = new Map<string, number>();
  private readonly plans: Plan[] = [];
  private sent = 0;
  private readonly rulesOf = new Map<PredKey, IRRule[]>();
  private readonly planning = new Set<number>();
  private readonly wild: MaybeWild;
  private readonly ctx: PlanContext;

  constructor(private readonly program: Program, private readonly env: PlanEnv) {
    for (const r of program.rules) {
      let l = this.rulesOf.get(r.pred);
      if (l === undefined) this.rulesOf.set(r.pred, (l = []));
      l.push(r);
    }
    this.wild = new MaybeWild(this.rulesOf);
    this.ctx = {
      program,
      env,
      hasRules: (pred) => this.hasRules(pred),
      maybeWild: (pred, pos) => this.wild.maybeWild(pred, pos),
      ensure: (pred, mask, spec) => this.ensure(pred, mask, spec),
      plan: (id) => this.plans[id]!,
    };
  }

  get all(): readonly Plan[] {
    return this.plans;
  }

  /** Predicates that have rules are called (tabled); the others are probed directly. */
  hasRules(pred: PredKey): boolean {
    return (this.rulesOf.get(pred)?.length ?? 0) > 0;
  }

  /**
   * The plan of `pred` called with the positions in `mask` bound. `spec` specialises it for
   * a call site: constants at bound positions (rules whose head disagrees are dropped, the
   * constant is substituted), and types that a position must have for the caller to use an
   * answer (rules whose head type has no common subtype with it are dropped; stored rows are
   * filtered).
   */
  ensure(pred: PredKey, mask: number, spec: CallSpec = NO_SPEC): number {
    pred = this.alias(pred);
    const arity = arityOf(pred);
    mask = (mask & fullMask(arity)) >>> 0;
    const key = `${pred}|${mask}|${specKey(spec, this.env)}`;
    const have = this.ids.get(key);
    if (have !== undefined) return have;
    const id = this.plans.length;
    this.ids.set(key, id);
    // reserve the slot first: recursive plans refer to themselves
    const placeholder: Plan = { id, pred, arity, mask, rel: this.env.relId(pred, arity), rules: [] };
    this.plans.push(placeholder);
    this.planning.add(id);
    const rules: PlanRule[] = [];
    const info = this.program.preds.get(pred);
    if (info === undefined || !info.internal) rules.push(factRule(this.ctx, pred, arity, mask, spec));
    for (const r0 of this.rulesOf.get(pred) ?? []) {
      const r = specialise(this.ctx, r0, mask, spec);
      if (r === undefined) continue;
      const pr = planRule(this.ctx, r, arity, mask, spec);
      if (pr !== undefined) rules.push(pr);
    }
    // (demand-only callees take wildcards as bound arguments: never unfolded)
    const finished = (p: number): Plan | undefined => {
      const plan = this.plans[p];
      if (plan === undefined || this.planning.has(p) || this.program.preds.get(plan.pred)?.demandOnly === true) return undefined;
      return plan;
    };
    // (rules merged after unfolding: spliced callee rules are the ones that repeat a join per role)
    const unfolded = mergeRules(unfoldRules(rules, finished));
    const touch = spec.touch === true && unfolded.length > 0 ? touchStep(unfolded, finished) : undefined;
    if (touch !== undefined) unfolded[0] = { ...unfolded[0]!, steps: [touch, ...unfolded[0]!.steps] };
    this.plans[id] = { ...placeholder, rules: unfolded };
    this.planning.delete(id);
    return id;
  }

  /**
   * A predicate whose only rule is `p(x1..xn) if q(x1..xn)` (distinct variables, same order)
   * and that can hold no facts (no signature) has exactly q's answers: plan q instead (the
   * built-in `allow(a, x, r) if has_permission(a, x, r)` costs no subgoal then).
   */
  private alias(pred: PredKey, depth = 0): PredKey {
    if (depth > 8) return pred;
    const rules = this.rulesOf.get(pred);
    if (rules === undefined || rules.length !== 1 || this.program.signatures.has(pred) || this.program.preds.get(pred)?.internal === true) return pred;
    const r = rules[0]!;
    if (r.body.length !== 1) return pred;
    const l = r.body[0]!;
    if (l.k !== "atom" || l.args.length !== r.head.length || l.pred === pred) return pred;
    const seen = new Set<number>();
    for (let i = 0; i < r.head.length; i++) {
      const h = r.head[i]!;
      const a = l.args[i]!;
      if (h.k !== "var" || a.k !== "var" || h.v !== a.v || seen.has(h.v)) return pred;
      seen.add(h.v);
    }
    return this.alias(l.pred, depth + 1);
  }

  /** Plans created since the last call (ids are consecutive). */
  takeNew(): Plan[] {
    const out = this.plans.slice(this.sent);
    this.sent = this.plans.length;
    return out;
  }

  /** Did any plan get made since the last takeNew()? */
  get pending(): boolean {
    return this.sent < this.plans.length;
  }
}
