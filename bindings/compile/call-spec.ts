/** Call specs: the key that tells specialised plans apart, and applying a spec to a rule. */
import type { TypedValue } from "../api/types.js";
import type { IRRule, IRTerm, Literal } from "./ir.js";
import { NO_SPEC, type CallSpec, type PlanContext, type PlanEnv } from "./plan-types.js";
import { analyseRule } from "./rule-order.js";

export function specKey(spec: CallSpec, env: PlanEnv): string {
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
  if (spec.touch === true) k += "T;";
  return k;
}

/** Can some value have both types (a common subtype)? */
function compatible(ctx: PlanContext, u: string, t: string): boolean {
  if (ctx.env.isSubtype(u, t) || ctx.env.isSubtype(t, u)) return true;
  for (const x of ctx.program.types.keys()) if (ctx.env.isSubtype(x, u) && ctx.env.isSubtype(x, t)) return true;
  return false;
}

/** Apply a call spec to a rule: undefined if the rule cannot contribute. */
export function specialise(ctx: PlanContext, r: IRRule, _mask: number, spec: CallSpec): IRRule | undefined {
  if (spec === NO_SPEC) return r;
  const subst = new Map<number, TypedValue>();
  const deferred = ctx.program.preds.get(r.pred)?.demandOnly === true ? new Set<number>() : analyseRule(ctx, r, false).deferred;
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
        if (!ts.every((t) => ctx.env.isSubtype(h.value.type, t))) return undefined;
      } else if (h.k === "var") {
        for (const l of r.body) {
          if (l.k === "isa" && l.t.k === "var" && l.t.v === h.v && !ts.every((t) => compatible(ctx, l.type, t))) return undefined;
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
