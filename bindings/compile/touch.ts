/**
 * Touch hints (docs/engine.md, "Touches"). An authorize check's probes on different arguments
 * are independent (gitclub: the parent row, the user's roles), but the evaluator
 * reaches them one after another, each a cache miss on a large store. A TOUCH step at the start
 * of the entry plan reads the index slot (and head row) of every argument that some probe of
 * the plan, or of a ONCE callee, keys its index with, so those misses overlap. It changes no
 * answer: it only reads.
 */
import { REG_LIMIT, type Plan, type PlanRule, type Step } from "./plan-types.js";

/** Most (index, argument) pairs one TOUCH reads. */
export const TOUCH_MAX = 4;

type Touch = readonly [rel: number, mask: number, ki: number];

/** The index column a probe's (rel, mask) uses: its lowest key column (store.ts). */
const indexColumn = (mask: number): number => 31 - Math.clz32(mask & -mask);

/**
 * Collect touches of `rules`, whose key index ki' is argument `kiOf(ki')` of the entry plan
 * (undefined: not an entry argument).
 */
function collect(rules: readonly PlanRule[], kiOf: (ki: number) => number | undefined, planOf: (id: number) => Plan | undefined, out: Map<string, Touch>): void {
  for (const r of rules) {
    // registers holding an entry argument in this rule
    const argOf = new Map<number, number>();
    for (const s of r.steps) {
      if (s.op === "arg") {
        const ki = kiOf(s.ki);
        if (ki !== undefined) argOf.set(s.reg, ki);
      } else if (s.op === "probe" && s.mask !== 0) {
        const col = indexColumn(s.mask);
        const op = s.keys.find(([pos]) => pos === col)?.[1];
        const ki = op !== undefined && op < REG_LIMIT ? argOf.get(op) : undefined;
        if (ki !== undefined) out.set(`${s.rel}:${s.mask}:${ki}`, [s.rel, s.mask, ki]);
      } else if (s.op === "once") {
        const callee = planOf(s.plan);
        if (callee === undefined) continue;
        // a ONCE callee is fully bound: its key index k is the k-th key by position
        const ops = [...s.keys].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
        collect(callee.rules, (k) => (ops[k]! < REG_LIMIT ? argOf.get(ops[k]!) : undefined), planOf, out);
      }
    }
  }
}

/**
 * The TOUCH step for an entry plan's rules, or undefined when it would not help: fewer than
 * two arguments are probed (the first probe does the same read anyway).
 */
export function touchStep(rules: readonly PlanRule[], planOf: (id: number) => Plan | undefined): Step | undefined {
  const found = new Map<string, Touch>();
  collect(rules, (ki) => ki, planOf, found);
  const touches = [...found.values()].slice(0, TOUCH_MAX);
  if (new Set(touches.map((t) => t[2])).size < 2) return undefined;
  return { op: "touch", touches };
}
