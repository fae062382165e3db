/** Which predicate positions may hold a wildcard in an answer (flow-insensitive, conservative). */
import type { IRRule, PredKey } from "./ir.js";
import { arityOf } from "./plan-types.js";

export class MaybeWild {
  private readonly mw = new Map<PredKey, boolean[]>();

  constructor(private readonly rulesOf: ReadonlyMap<PredKey, readonly IRRule[]>) {
    this.computeMaybeWild();
  }

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

  maybeWild(pred: PredKey, pos: number): boolean {
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
}
