/**
 * Merging rules that differ in one probed constant (docs/engine.md, "Plans"). Role shorthand
 * unfolds into rules that repeat the same join for each role that grants a permission:
 *
 *   has_role(u, "reader", r)                 has_relation(r, "parent", o), has_role(u, "member", o)
 *   has_role(u, "maintainer", r)             has_relation(r, "parent", o), has_role(u, "admin", o)
 *
 * Rules of one plan whose steps are the same up to register names, except for one constant key
 * of one PROBE at a position outside the probe's indexes, become one rule: the probe binds that
 * position to a fresh register, and an IN step right after it checks the register against the
 * rules' constants. Under set semantics the merged rule has exactly the union of the rules'
 * answers (the probe yields the rows any of them yields, each row passing for the one constant it
 * holds), and it walks the index chain once instead of once per rule.
 */
import { MODE_BIND, MODE_CHECK, REG_LIMIT, VALUE_MIN, type KeyEntry, type OutEntry, type PlanRule, type Step } from "./plan-types.js";

/** Where two rules differ: the step and the index of its key entry. */
interface Difference {
  readonly step: number;
  readonly key: number;
}

/** Register renaming between two rules (a bijection, built as the steps are compared). */
class Renaming {
  private readonly ab = new Map<number, number>();
  private readonly ba = new Map<number, number>();

  reg(a: number, b: number): boolean {
    const x = this.ab.get(a);
    const y = this.ba.get(b);
    if (x === undefined && y === undefined) {
      this.ab.set(a, b);
      this.ba.set(b, a);
      return true;
    }
    return x === b && y === a;
  }

  operand(a: number, b: number): boolean {
    if (a < REG_LIMIT || b < REG_LIMIT) return a < REG_LIMIT && b < REG_LIMIT && this.reg(a, b);
    return a === b;
  }

  operands(a: readonly number[], b: readonly number[]): boolean {
    return a.length === b.length && a.every((x, i) => this.operand(x, b[i]!));
  }

  outs(a: readonly OutEntry[], b: readonly OutEntry[]): boolean {
    return a.length === b.length && a.every(([p, r, m], i) => p === b[i]![0] && m === b[i]![2] && this.reg(r, b[i]![1]));
  }
}

/** Is `v` a constant a probe key may be merged on (a value id: not a register, `now` or a wildcard)? */
const mergeable = (v: number): boolean => v >= VALUE_MIN;

/**
 * Compare two steps under `ren`. Returns "same", "differ" (not mergeable), or the index of the
 * one key entry of a PROBE whose constants differ (at a position outside its indexes).
 */
function compareStep(a: Step, b: Step, ren: Renaming): "same" | "differ" | number {
  if (a.op !== b.op) return "differ";
  switch (a.op) {
    case "arg": {
      const y = b as typeof a;
      return a.ki === y.ki && ren.reg(a.reg, y.reg) ? "same" : "differ";
    }
    case "argeq": {
      const y = b as typeof a;
      return a.ki === y.ki && ren.operand(a.operand, y.operand) ? "same" : "differ";
    }
    case "probe": {
      const y = b as typeof a;
      if (a.rel !== y.rel || a.mask !== y.mask || a.altMask !== y.altMask || a.keys.length !== y.keys.length || !ren.outs(a.outs, y.outs)) return "differ";
      let at = -1;
      for (let k = 0; k < a.keys.length; k++) {
        const [pa, oa] = a.keys[k]!;
        const [pb, ob] = y.keys[k]!;
        if (pa !== pb) return "differ";
        if (ren.operand(oa, ob)) continue;
        const indexed = ((a.mask | a.altMask) >>> pa) & 1;
        if (at >= 0 || indexed !== 0 || !mergeable(oa) || !mergeable(ob)) return "differ";
        at = k;
      }
      return at >= 0 ? at : "same";
    }
    case "call": case "not": case "once": {
      const y = b as typeof a;
      if (a.plan !== y.plan || a.altPlan !== y.altPlan || a.keys.length !== y.keys.length || !ren.outs(a.outs, y.outs)) return "differ";
      return a.keys.every(([p, o], k) => p === y.keys[k]![0] && ren.operand(o, y.keys[k]![1])) ? "same" : "differ";
    }
    case "cmp": {
      const y = b as typeof a;
      return a.cmp === y.cmp && ren.operand(a.a, y.a) && ren.operand(a.b, y.b) ? "same" : "differ";
    }
    case "move": {
      const y = b as typeof a;
      return ren.reg(a.dst, y.dst) && ren.operand(a.src, y.src) ? "same" : "differ";
    }
    case "isa": case "wild": {
      const y = b as typeof a;
      return a.type === y.type && ren.reg(a.reg, y.reg) ? "same" : "differ";
    }
    case "in": {
      const y = b as typeof a;
      return a.mode === y.mode && ren.reg(a.reg, y.reg) && ren.operands(a.list, y.list) ? "same" : "differ";
    }
    case "emit":
      return ren.operands(a.operands, (b as typeof a).operands) ? "same" : "differ";
    case "touch":
      return "differ";
  }
}

/** Where `a` and `b` differ in exactly one mergeable probe constant, else undefined. */
function difference(a: PlanRule, b: PlanRule): Difference | undefined {
  if (a.steps.length !== b.steps.length) return undefined;
  const ren = new Renaming();
  let diff: Difference | undefined;
  for (let i = 0; i < a.steps.length; i++) {
    const c = compareStep(a.steps[i]!, b.steps[i]!, ren);
    if (c === "same") continue;
    if (c === "differ" || diff !== undefined) return undefined;
    diff = { step: i, key: c };
  }
  return diff;
}

/** The constant of rule `r` at difference `d`. */
function constantAt(r: PlanRule, d: Difference): number {
  return (r.steps[d.step] as Extract<Step, { op: "probe" }>).keys[d.key]![1];
}

/**
 * `r` with the probe at `d` binding a fresh register, checked by an IN over `constants`.
 * `source` is one of the merged rules' IR ids: not -1, which marks a plan's stored-facts rule
 * (a plan of that rule alone is probed directly instead of called, steps.ts atomStep).
 */
function mergedRule(r: PlanRule, d: Difference, constants: readonly number[], source: number): PlanRule {
  const probe = r.steps[d.step] as Extract<Step, { op: "probe" }>;
  const fresh = r.nregs;
  const pos = probe.keys[d.key]![0];
  const keys: KeyEntry[] = probe.keys.filter((_, k) => k !== d.key);
  const outs: OutEntry[] = [...probe.outs, [pos, fresh, MODE_BIND]];
  const steps: Step[] = [...r.steps.slice(0, d.step), { ...probe, keys, outs }, { op: "in", reg: fresh, mode: MODE_CHECK, list: constants }, ...r.steps.slice(d.step + 1)];
  return { nregs: fresh + 1, steps, source };
}

/**
 * A plan's rules with each group of rules that differ in one probed constant merged into one
 * (at the place of the group's first rule). Rules are otherwise kept as they are, in order.
 */
export function mergeRules(rules: readonly PlanRule[]): PlanRule[] {
  const out: PlanRule[] = [];
  const taken = new Array<boolean>(rules.length).fill(false);
  for (let i = 0; i < rules.length; i++) {
    if (taken[i]) continue;
    const r = rules[i]!;
    let d: Difference | undefined;
    const constants: number[] = [];
    let source = r.source;
    if (r.nregs + 1 < REG_LIMIT) {
      for (let j = i + 1; j < rules.length; j++) {
        if (taken[j]) continue;
        const dj = difference(r, rules[j]!);
        if (dj === undefined || (d !== undefined && (dj.step !== d.step || dj.key !== d.key))) continue;
        if (d === undefined) {
          d = dj;
          constants.push(constantAt(r, d));
        }
        const c = constantAt(rules[j]!, d);
        if (!constants.includes(c)) constants.push(c);
        source = Math.max(source, rules[j]!.source);
        taken[j] = true;
      }
    }
    out.push(d === undefined ? r : mergedRule(r, d, constants, source));
  }
  return out;
}
