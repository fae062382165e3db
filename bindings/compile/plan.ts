/**
 * Join plans for the Wasm evaluator: one plan per reachable (predicate, bound-mask), built
 * lazily from the IR. A plan is a list of rules; each rule is a sequence of steps over
 * registers (one register per rule variable). Operands are already the evaluator's u32 words
 * (registers < REG_LIMIT, `now`, interned value ids); index and plan references are symbolic
 * here and resolved by encode.ts. docs/engine.md explains the join-order heuristic.
 */
import type { TypedValue } from "../api/types.js";
import type { IRRule, IRTerm, Literal, PredKey, Program } from "./ir.js";
import { unfoldRules } from "./unfold.js";

export const REG_LIMIT = 0x4000;
export const OPN_NOW = 0x8000;
export const MODE_BIND = 0;
export const MODE_CHECK = 1;
export const CMP_CODES = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;
/** Most arguments a predicate may have (masks are u32). */
export const MAX_ARITY = 31;

export type KeyEntry = readonly [pos: number, operand: number];
export type OutEntry = readonly [pos: number, reg: number, mode: number];

export type Step =
  | { readonly op: "arg"; readonly ki: number; readonly reg: number }
  | { readonly op: "argeq"; readonly ki: number; readonly operand: number }
  | { readonly op: "probe"; readonly rel: number; readonly mask: number; readonly altMask: number; readonly keys: readonly KeyEntry[]; readonly outs: readonly OutEntry[] }
  | { readonly op: "call" | "not"; readonly plan: number; readonly altPlan: number; readonly keys: readonly KeyEntry[]; readonly outs: readonly OutEntry[] }
  | { readonly op: "cmp"; readonly cmp: number; readonly a: number; readonly b: number }
  | { readonly op: "move"; readonly dst: number; readonly src: number }
  | { readonly op: "isa" | "wild"; readonly reg: number; readonly type: number }
  | { readonly op: "in"; readonly reg: number; readonly mode: number; readonly list: readonly number[] }
  | { readonly op: "emit"; readonly operands: readonly number[] };

export interface PlanRule {
  readonly nregs: number;
  readonly steps: readonly Step[];
  /** IR rule id, or -1 for the stored-facts rule. */
  readonly source: number;
}

export interface Plan {
  readonly id: number;
  readonly pred: PredKey;
  readonly arity: number;
  readonly mask: number;
  readonly rel: number;
  readonly rules: readonly PlanRule[];
}

/** What the planner needs from the engine: interned ids. */
export interface PlanEnv {
  relId(pred: PredKey, arity: number): number;
  typeId(name: string): number;
  valueId(v: TypedValue): number;
  /** `sub ⊑ sup` */
  isSubtype(sub: string, sup: string): boolean;
}

export class PlanError extends Error {}

/** Call-site knowledge for a plan: constants at bound positions, required types per position. */
export interface CallSpec {
  readonly consts: readonly (TypedValue | undefined)[];
  readonly types: readonly (readonly string[] | undefined)[];
  /** Types a bound argument surely has at the call (the caller checked them before it): the callee skips implied `isa` steps. */
  readonly known?: readonly (readonly string[] | undefined)[];
}

export const NO_SPEC: CallSpec = { consts: [], types: [] };

function specKey(spec: CallSpec, env: PlanEnv): string {
  if (spec === NO_SPEC) return "";
  let k = "";
  spec.consts.forEach((c, i) => {
    if (c !== undefined) k += `c${i}=${env.valueId(c)};`;
  });
  spec.types.forEach((ts, i) => {
    if (ts !== undefined) k += `t${i}=${ts.join(",")};`;
  });
  spec.known?.forEach((ts, i) => {
    if (ts !== undefined) k += `k${i}=${ts.join(",")};`;
  });
  return k;
}

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

function arityOf(key: PredKey): number {
  return Number(key.slice(key.lastIndexOf("/") + 1));
}

export function popcount(m: number): number {
  let n = 0;
  for (let x = m >>> 0; x !== 0; x &= x - 1) n++;
  return n;
}

export function fullMask(arity: number): number {
  return arity >= 32 ? 0xffffffff : (1 << arity) - 1 >>> 0;
}

/**
 * Plans for one Program. `ensure(pred, mask)` returns the plan id, planning it (and every plan
 * it calls) on first use; `takeNew()` returns the plans made since the last call, in id order.
 */
export class Planner {
  private readonly ids = new Map<string, number>();
  private readonly plans: Plan[] = [];
  private sent = 0;
  private readonly mw = new Map<PredKey, boolean[]>();
  private readonly rulesOf = new Map<PredKey, IRRule[]>();
  private readonly planning = new Set<number>();

  constructor(private readonly program: Program, private readonly env: PlanEnv) {
    for (const r of program.rules) {
      let l = this.rulesOf.get(r.pred);
      if (l === undefined) this.rulesOf.set(r.pred, (l = []));
      l.push(r);
    }
    this.computeMaybeWild();
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
    if (info === undefined || !info.internal) rules.push(this.factRule(pred, arity, mask, spec));
    for (const r0 of this.rulesOf.get(pred) ?? []) {
      const r = this.specialise(r0, mask, spec);
      if (r === undefined) continue;
      const pr = this.planRule(r, arity, mask, spec);
      if (pr !== undefined) rules.push(pr);
    }
    // (demand-only callees take wildcards as bound arguments: never unfolded)
    const finished = (p: number): Plan | undefined => {
      const plan = this.plans[p];
      if (plan === undefined || this.planning.has(p) || this.program.preds.get(plan.pred)?.demandOnly === true) return undefined;
      return plan;
    };
    this.plans[id] = { ...placeholder, rules: unfoldRules(rules, finished) };
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

  /** Can some value have both types (a common subtype)? */
  private compatible(u: string, t: string): boolean {
    if (this.env.isSubtype(u, t) || this.env.isSubtype(t, u)) return true;
    for (const x of this.program.types.keys()) if (this.env.isSubtype(x, u) && this.env.isSubtype(x, t)) return true;
    return false;
  }

  /** Apply a call spec to a rule: undefined if the rule cannot contribute. */
  private specialise(r: IRRule, _mask: number, spec: CallSpec): IRRule | undefined {
    if (spec === NO_SPEC) return r;
    const subst = new Map<number, TypedValue>();
    const deferred = this.program.preds.get(r.pred)?.demandOnly === true ? new Set<number>() : this.analyse(r, false).deferred;
    for (let i = 0; i < r.head.length; i++) {
      const c = spec.consts[i];
      const h = r.head[i]!;
      if (c !== undefined) {
        if (h.k === "const") {
          if (h.value.type !== c.type || h.value.id !== c.id) return undefined;
        } else if (h.k === "var" && !deferred.has(h.v)) {
          const prev = subst.get(h.v);
          if (prev !== undefined && (prev.type !== c.type || prev.id !== c.id)) return undefined;
          subst.set(h.v, c);
        }
      }
      const ts = spec.types[i];
      if (ts !== undefined) {
        if (h.k === "const") {
          if (!ts.every((t) => this.env.isSubtype(h.value.type, t))) return undefined;
        } else if (h.k === "var") {
          for (const l of r.body) {
            if (l.k === "isa" && l.t.k === "var" && l.t.v === h.v && !ts.every((t) => this.compatible(l.type, t))) return undefined;
          }
        }
      }
    }
    if (subst.size === 0) return r;
    const sub = (t: IRTerm): IRTerm => (t.k === "var" && subst.has(t.v) ? { k: "const", value: subst.get(t.v)! } : t);
    const body: Literal[] = r.body.map((l) => {
      switch (l.k) {
        case "atom": case "not": return { ...l, args: l.args.map(sub) };
        case "cmp": return { ...l, a: sub(l.a), b: sub(l.b) };
        case "isa": return { ...l, t: sub(l.t) };
        case "in": return { ...l, t: sub(l.t), list: l.list.map(sub) };
      }
    });
    return { ...r, head: r.head.map(sub), body };
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

  // ------------------------------------------------------------------ analysis

  /** mw(p)[i]: may an answer of p hold a wildcard at position i? (flow-insensitive, conservative) */
  private computeMaybeWild(): void {
    for (const [pred] of this.rulesOf) this.mw.set(pred, new Array<boolean>(arityOf(pred)).fill(false));
    let changed = true;
    while (changed) {
      changed = false;
      for (const [pred, rules] of this.rulesOf) {
        const flags = this.mw.get(pred)!;
        for (const r of rules) {
          const concrete = this.concreteVars(r);
          r.head.forEach((t, i) => {
            if (t.k === "var" && !concrete.has(t.v) && !flags[i]) {
              flags[i] = true;
              changed = true;
            }
          });
        }
      }
    }
  }

  private maybeWild(pred: PredKey, pos: number): boolean {
    return this.mw.get(pred)?.[pos] ?? false;
  }

  /** Variables a rule surely binds to concrete values. */
  private concreteVars(r: IRRule): Set<number> {
    const c = new Set<number>();
    let grew = true;
    while (grew) {
      grew = false;
      const add = (v: number): void => {
        if (!c.has(v)) {
          c.add(v);
          grew = true;
        }
      };
      for (const l of r.body) {
        if (l.k === "atom") {
          l.args.forEach((t, i) => {
            if (t.k === "var" && !this.maybeWild(l.pred, i)) add(t.v);
          });
        } else if (l.k === "cmp" && l.op === "eq") {
          const ca = l.a.k !== "var" || c.has(l.a.v);
          const cb = l.b.k !== "var" || c.has(l.b.v);
          if (l.a.k === "var" && cb) add(l.a.v);
          if (l.b.k === "var" && ca) add(l.b.v);
        } else if (l.k === "in" && l.t.k === "var") {
          if (l.list.every((e) => e.k !== "var" || c.has(e.v))) add(l.t.v);
        }
      }
    }
    return c;
  }

  // ------------------------------------------------------------------ rules

  private factRule(pred: PredKey, arity: number, mask: number, spec: CallSpec): PlanRule {
    const steps: Step[] = [];
    let ki = 0;
    const keys: KeyEntry[] = [];
    const outs: OutEntry[] = [];
    for (let i = 0; i < arity; i++) {
      if ((mask >>> i) & 1) {
        const c = spec.consts[i];
        if (c !== undefined) keys.push([i, this.env.valueId(c)]);
        else {
          steps.push({ op: "arg", ki, reg: i });
          keys.push([i, i]);
        }
        ki++;
      } else outs.push([i, i, MODE_BIND]);
    }
    const rel = this.env.relId(pred, arity);
    const consts = keys.filter(([, op]) => op >= REG_LIMIT && op !== OPN_NOW).reduce((m, [i]) => m | (1 << i), 0);
    steps.push({ op: "probe", rel, mask: probeMask(mask, consts), altMask: probeMask(mask, consts), keys, outs });
    // stored rows are concrete: a type the caller needs is a plain filter
    for (const [i] of outs) for (const t of spec.types[i] ?? []) steps.push({ op: "isa", reg: i, type: this.env.typeId(t) });
    steps.push({ op: "emit", operands: outs.map(([i]) => i) });
    return { nregs: Math.max(arity, 1), steps, source: -1 };
  }

  private operand(t: IRTerm): number {
    if (t.k === "var") return t.v;
    if (t.k === "now") return OPN_NOW;
    return this.env.valueId(t.value);
  }

  /**
   * Binding state along the rule body in IR order, which defines the answers: bound[i] and
   * conc[i] are the variables bound / surely concrete before literal i (an `isa` binds an
   * unbound variable to a wildcard). Demand-only rules start with their head bound.
   */
  private prefixStates(r: IRRule, demandOnly: boolean): { bound: Set<number>[]; conc: Set<number>[]; finalConc: Set<number> } {
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
          const rules = this.hasRules(l.pred);
          l.args.forEach((t, i) => {
            if (t.k !== "var") return;
            b.add(t.v);
            if (!rules || !this.maybeWild(l.pred, i)) c.add(t.v);
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
  private analyse(r: IRRule, demandOnly: boolean): {
    varsOf: (l: Literal) => Set<number>;
    localsOf: (i: number) => Set<number>;
    after: Set<number>[];
    deferred: Set<number>;
  } {
    const body = r.body;
    const pre = this.prefixStates(r, demandOnly);
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

  /** Plan one rule for a call mask; undefined if it can never produce an answer. */
  private planRule(r: IRRule, arity: number, mask: number, spec: CallSpec): PlanRule | undefined {
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

    const demandOnly = this.program.preds.get(r.pred)?.demandOnly === true;
    const body = r.body;
    const { varsOf, localsOf, after, deferred } = this.analyse(r, demandOnly);
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
        steps.push({ op: "argeq", ki, operand: this.operand(t) });
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
            if (!this.env.isSubtype(ty, l.type)) dead = true;
            return true;
          }
          if (!bound.has(l.t.v)) return false;
          const ks = known.get(l.t.v) ?? [];
          // implied by a type the variable surely has: a no-op even on a wildcard (already narrower)
          if (ks.some((k) => this.env.isSubtype(k, l.type))) return true;
          steps.push({ op: "isa", reg: l.t.v, type: this.env.typeId(l.type) });
          known.set(l.t.v, [...ks, l.type]);
          return true;
        }
        case "cmp": {
          const ba = isBound(l.a);
          const bb = isBound(l.b);
          if (l.op === "eq") {
            if (ba && bb) {
              steps.push({ op: "cmp", cmp: CMP_CODES.eq, a: this.operand(l.a), b: this.operand(l.b) });
              if (isConcrete(l.a) || isConcrete(l.b)) {
                if (l.a.k === "var") concrete.add(l.a.v);
                if (l.b.k === "var") concrete.add(l.b.v);
              }
              return true;
            }
            if (ba && l.b.k === "var") {
              steps.push({ op: "move", dst: l.b.v, src: this.operand(l.a) });
              bind(l.b.v, isConcrete(l.a));
              return true;
            }
            if (bb && l.a.k === "var") {
              steps.push({ op: "move", dst: l.a.v, src: this.operand(l.b) });
              bind(l.a.v, isConcrete(l.b));
              return true;
            }
            return false;
          }
          if (!ba || !bb) return false;
          steps.push({ op: "cmp", cmp: CMP_CODES[l.op], a: this.operand(l.a), b: this.operand(l.b) });
          return true;
        }
        case "in": {
          if (!l.list.every(isBound)) return false;
          if (isBound(l.t)) {
            if (l.t.k !== "var") {
              // constant membership: decide only when every element is a constant
              const c = this.operand(l.t);
              if (l.list.every((e) => e.k !== "var")) {
                if (!l.list.some((e) => this.operand(e) === c)) dead = true;
                return true;
              }
              const reg = scratch();
              steps.push({ op: "move", dst: reg, src: c });
              steps.push({ op: "in", reg, mode: MODE_CHECK, list: l.list.map((e) => this.operand(e)) });
              return true;
            }
            steps.push({ op: "in", reg: l.t.v, mode: MODE_CHECK, list: l.list.map((e) => this.operand(e)) });
            if (l.list.every(isConcrete)) concrete.add(l.t.v);
            return true;
          }
          if (l.t.k !== "var") return false;
          steps.push({ op: "in", reg: l.t.v, mode: MODE_BIND, list: l.list.map((e) => this.operand(e)) });
          bind(l.t.v, l.list.every(isConcrete));
          return true;
        }
        case "not": {
          const locals = localsOf(i);
          for (const v of varsOf(l)) if (!locals.has(v) && !bound.has(v)) return false;
          steps.push(this.notStep(l.pred, l.args, locals, bound, concrete, scratch));
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
        const edb = this.hasRules(l.pred) ? 0 : 1;
        const score = nb * 4 + edb * 2 + (nb === l.args.length ? 1 : 0);
        if (score > bestScore) {
          best = k;
          bestScore = score;
        }
      }
      if (best >= 0) {
        const i = remaining.splice(best, 1)[0]!;
        steps.push(this.atomStep(body[i] as Extract<Literal, { k: "atom" }>, bound, concrete, r, known));
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
      steps.push({ op: "wild", reg: (l.t as { v: number }).v, type: this.env.typeId(l.type) });
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
      operands.push(this.operand(t));
    }
    steps.push({ op: "emit", operands });
    return { nregs: Math.max(maxExtra, 1), steps, source: r.id };
  }

  /** NOT of `pred(args)`: bound arguments are the key; local variables go to scratch registers. */
  private notStep(pred: PredKey, args: readonly IRTerm[], locals: Set<number>, bound: Set<number>, concrete: Set<number>, scratch: () => number): Step {
    let mask = 0;
    let altMask = 0;
    const keys: KeyEntry[] = [];
    const outs: OutEntry[] = [];
    const regOf = new Map<number, number>();
    args.forEach((t, i) => {
      if (t.k !== "var" || (!locals.has(t.v) && bound.has(t.v))) {
        mask |= 1 << i;
        if (t.k !== "var" || concrete.has(t.v)) altMask |= 1 << i;
        keys.push([i, this.operand(t)]);
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
    const plan = this.ensure(pred, mask >>> 0, spec);
    const demandOnly = this.program.preds.get(pred)?.demandOnly === true;
    const altPlan = altMask === mask || demandOnly ? plan : this.ensure(pred, altMask >>> 0, spec);
    return { op: "not", plan, altPlan, keys, outs };
  }

  /** Head variables bound by no positive literal but used by a `not` or a comparison other than `=`. */
  private atomStep(l: Extract<Literal, { k: "atom" }>, bound: Set<number>, concrete: Set<number>, r: IRRule, known: ReadonlyMap<number, readonly string[]>): Step {
    if (this.hasRules(l.pred)) {
      // a call whose specialised plan is only the stored facts is a direct probe (no subgoal)
      const before = { bound: new Set(bound), concrete: new Set(concrete) };
      const step = this.callStep("call", l.pred, l.args, bound, concrete, r, known);
      if (step.op !== "call" || step.plan !== step.altPlan) return step;
      const callee = this.plans[step.plan]!;
      if (callee.rules.length !== 1 || callee.rules[0]!.source !== -1) return step;
      bound.clear();
      concrete.clear();
      before.bound.forEach((v) => bound.add(v));
      before.concrete.forEach((v) => concrete.add(v));
      // (the callee may be an alias: probe the predicate the plan reads)
      return this.probeStep({ ...l, pred: callee.pred }, bound, concrete);
    }
    return this.probeStep(l, bound, concrete);
  }

  private probeStep(l: Extract<Literal, { k: "atom" }>, bound: Set<number>, concrete: Set<number>): Step {
    const arity = l.args.length;
    let mask = 0;
    let altMask = 0;
    const keys: KeyEntry[] = [];
    const outs: OutEntry[] = [];
    const newly = new Set<number>();
    l.args.forEach((t, i) => {
      if (t.k !== "var" || bound.has(t.v)) {
        mask |= 1 << i;
        if (t.k !== "var" || concrete.has(t.v)) altMask |= 1 << i;
        keys.push([i, this.operand(t)]);
      } else if (newly.has(t.v)) {
        outs.push([i, t.v, MODE_CHECK]);
      } else {
        newly.add(t.v);
        outs.push([i, t.v, MODE_BIND]);
      }
    });
    // after a probe every argument is concrete (stored facts hold no wildcards)
    l.args.forEach((t) => {
      if (t.k === "var") {
        bound.add(t.v);
        concrete.add(t.v);
      }
    });
    const consts = l.args.reduce((m, t, i) => (t.k === "const" ? m | (1 << i) : m), 0);
    return { op: "probe", rel: this.env.relId(l.pred, arity), mask: probeMask(mask >>> 0, consts), altMask: probeMask(altMask >>> 0, consts), keys, outs };
  }

  private callStep(op: "call" | "not", pred: PredKey, args: readonly IRTerm[], bound: Set<number>, concrete: Set<number>, r: IRRule, known: ReadonlyMap<number, readonly string[]>): Step {
    let mask = 0;
    let altMask = 0;
    const keys: KeyEntry[] = [];
    const outs: OutEntry[] = [];
    const newly = new Set<number>();
    args.forEach((t, i) => {
      if (t.k !== "var" || bound.has(t.v)) {
        mask |= 1 << i;
        if (t.k !== "var" || concrete.has(t.v)) altMask |= 1 << i;
        keys.push([i, this.operand(t)]);
      } else if (newly.has(t.v)) {
        outs.push([i, t.v, MODE_CHECK]);
      } else {
        newly.add(t.v);
        outs.push([i, t.v, MODE_BIND]);
      }
    });
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
    const plan = this.ensure(pred, mask >>> 0, spec);
    // a wildcard argument frees its position (and the answers narrow it), except for
    // demand-only predicates, which run with the wildcard bound
    const demandOnly = this.program.preds.get(pred)?.demandOnly === true;
    const altPlan = altMask === mask || demandOnly ? plan : this.ensure(pred, altMask >>> 0, spec);
    if (op === "call") {
      const hasRules = this.hasRules(pred);
      args.forEach((t, i) => {
        if (t.k !== "var") return;
        const wasConcrete = concrete.has(t.v);
        bound.add(t.v);
        const free = !((mask >>> i) & 1) || !wasConcrete;
        if (wasConcrete || (free && !(hasRules && this.maybeWild(pred, i)))) concrete.add(t.v);
      });
    }
    return { op, plan, altPlan, keys, outs };
  }
}
