/**
 * Answer positions and their unification (docs/semantics.md, "Wildcards").
 *
 * An answer position is a concrete value `{ type, id }` or a typed wildcard `*T`, written
 * `{ type: T, id: null }` ("any value of type T"). Wildcards are always typed: the compiler
 * rejects a head variable with neither a binding nor a type.
 */
import type { TypedValue } from "../../api/types.js";
import type { TypeInfo } from "../../compile/ir.js";
import { isSubtype } from "../../polar/model.js";

export interface Wildcard {
  readonly type: string;
  readonly id: null;
}

/** One position of an answer tuple. */
export type AVal = TypedValue | Wildcard;

export type Tuple = readonly AVal[];

export function isWild(v: AVal): v is Wildcard {
  return v.id === null;
}

export function wildcard(type: string): Wildcard {
  return { type, id: null };
}

/** An injective string key for a position (length-prefixed, so any id is safe). */
export function avalKey(v: AVal): string {
  return v.id === null ? `*${v.type.length}:${v.type}` : `${v.type.length}:${v.type}${v.id.length}:${v.id}`;
}

export function tupleKey(t: Tuple): string {
  let k = "";
  for (const v of t) k += avalKey(v);
  return k;
}

/** `S ⊑ T` over a program's types, memoised. */
export class Lattice {
  private readonly memo = new Map<string, boolean>();
  constructor(readonly types: ReadonlyMap<string, TypeInfo>) {}

  sub(s: string, t: string): boolean {
    if (s === t) return true;
    const key = `${s}\u0000${t}`;
    let r = this.memo.get(key);
    if (r === undefined) {
      r = isSubtype(this.types, s, t);
      this.memo.set(key, r);
    }
    return r;
  }
}

/**
 * Unify what a term holds (`cur`, undefined = unbound) with an answer position, per the table
 * in semantics.md. Returns what the term holds afterwards, or null when unification fails.
 * `isa(x, T)` is `unify(x, *T)`; `x = y` is `unify(x, y)`.
 */
export function unify(lat: Lattice, cur: AVal | undefined, ans: AVal): AVal | null {
  if (cur === undefined) return ans;
  if (cur.id !== null) {
    if (ans.id !== null) return cur.type === ans.type && cur.id === ans.id ? cur : null;
    return lat.sub(cur.type, ans.type) ? cur : null;
  }
  if (ans.id !== null) return lat.sub(ans.type, cur.type) ? ans : null;
  if (lat.sub(cur.type, ans.type)) return cur;
  if (lat.sub(ans.type, cur.type)) return ans;
  return null;
}

/** Does the answer tuple unify, position by position, with the given values/wildcards? */
export function tupleMatches(lat: Lattice, query: readonly AVal[], ans: Tuple): boolean {
  if (query.length !== ans.length) return false;
  for (let i = 0; i < query.length; i++) {
    if (unify(lat, query[i], ans[i]!) === null) return false;
  }
  return true;
}
