/**
 * Fact signatures (DESIGN §4.9, polar-spec §10.2): the argument types each call site in the
 * rules implies, plus `declare`d ones. A fact `p(v1..vn)` is storable iff some signature of
 * `p/n` accepts every argument (`null` accepts anything; otherwise `type(vi) ⊑ T`).
 * Bodiless rules alone do not make a predicate storable.
 */
import type { TypeInfo } from "./ir.js";
import type { IRRule, IRTerm, Literal, PredKey, Signature } from "./ir.js";
import { isSubtype } from "../polar/model.js";
import { isInternalPredicate } from "./normalize.js";

/** The narrowest type among the `isa`s on variable `v` in a rule (null if none). */
function variableType(types: ReadonlyMap<string, TypeInfo>, body: readonly Literal[], v: number): string | null {
  const candidates = body.flatMap((l) => (l.k === "isa" && l.t.k === "var" && l.t.v === v ? [l.type] : []));
  if (candidates.length === 0) return null;
  return candidates.find((c) => candidates.every((o) => isSubtype(types, c, o))) ?? candidates[0]!;
}

function argType(types: ReadonlyMap<string, TypeInfo>, body: readonly Literal[], t: IRTerm): string | null {
  if (t.k === "const") return t.value.type;
  if (t.k === "now") return "Integer";
  return variableType(types, body, t.v);
}

export function collectSignatures(
  rules: readonly IRRule[],
  declared: readonly { readonly pred: PredKey; readonly types: readonly string[] }[],
  types: ReadonlyMap<string, TypeInfo>,
): Map<PredKey, Signature[]> {
  const out = new Map<PredKey, Signature[]>();
  const seen = new Set<string>();
  const add = (pred: PredKey, sig: Signature): void => {
    const key = `${pred}|${sig.map((s) => s ?? "*").join(",")}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = out.get(pred);
    if (list === undefined) out.set(pred, (list = []));
    list.push(sig);
  };
  for (const r of rules) {
    if (r.origin === "test") continue;
    for (const l of r.body) {
      if ((l.k !== "atom" && l.k !== "not") || isInternalPredicate(l.pred)) continue;
      add(l.pred, l.args.map((a) => argType(types, r.body, a)));
    }
  }
  for (const d of declared) add(d.pred, d.types);
  return out;
}

/** Does some signature accept these argument types? */
export function signatureAccepts(types: ReadonlyMap<string, TypeInfo>, sigs: readonly Signature[], argTypes: readonly string[]): boolean {
  return sigs.some((sig) => sig.length === argTypes.length && sig.every((t, i) => t === null || isSubtype(types, argTypes[i]!, t)));
}
