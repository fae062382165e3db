/**
 * The entry points' post-processing over the answers of a predicate (docs/semantics.md,
 * "Entry points"), shared by both engines. Each function takes every answer of the predicate
 * (or any superset of the ones that unify with the request: they filter by unification).
 */
import type { QueryRow, TypedValue } from "../../api/types.js";
import { toOutputValue, type TypedPattern } from "../../api/values.js";
import type { IRTerm, Program } from "../../compile/ir.js";
import { avalKey, type Lattice, type Tuple, tupleMatches, unify } from "./answers.js";

/** Is there an answer of `allow/3` that unifies with `(actor, action, resource)`? */
export function authorizeFrom(lat: Lattice, answers: Iterable<Tuple>, actor: TypedValue, action: TypedValue, resource: TypedValue): boolean {
  const q = [actor, action, resource];
  for (const t of answers) if (tupleMatches(lat, q, t)) return true;
  return false;
}

/**
 * The ids `i` such that `allow(actor, action, type:i)` holds. A wildcard `*S` with
 * `type ⊑ S` in the resource position expands to the known values of exactly `type`.
 */
export function listFrom(
  lat: Lattice,
  answers: Iterable<Tuple>,
  actor: TypedValue,
  action: TypedValue,
  type: string,
  known: () => Iterable<TypedValue>,
): string[] {
  const ids = new Set<string>();
  let expand = false;
  for (const t of answers) {
    const r = t[2];
    if (t.length !== 3 || r === undefined || unify(lat, actor, t[0]!) === null || unify(lat, action, t[1]!) === null) continue;
    if (r.id !== null) {
      if (r.type === type) ids.add(r.id);
    } else if (lat.sub(type, r.type)) {
      expand = true;
    }
  }
  if (expand) for (const v of known()) if (v.type === type) ids.add(v.id);
  return [...ids].sort();
}

/**
 * The Strings `s` such that `allow(actor, s, resource)` holds. A wildcard `*S` with
 * `String ⊑ S` in the action position expands to the permissions of the resource's block.
 */
export function actionsFrom(lat: Lattice, program: Program, answers: Iterable<Tuple>, actor: TypedValue, resource: TypedValue): string[] {
  const names = new Set<string>();
  let expand = false;
  for (const t of answers) {
    const a = t[1];
    if (t.length !== 3 || a === undefined || unify(lat, actor, t[0]!) === null || unify(lat, resource, t[2]!) === null) continue;
    if (a.id !== null) {
      if (a.type === "String") names.add(a.id);
    } else if (lat.sub("String", a.type)) {
      expand = true;
    }
  }
  if (expand) for (const p of blockPermissions(program, resource.type)) names.add(p);
  return [...names].sort();
}

/** The permissions a type's block declares, own and inherited through `extends`. */
export function blockPermissions(program: Program, type: string): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = [type];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const block = program.blocks.get(t);
    if (block === undefined) continue;
    for (const p of block.permissions) out.add(p);
    stack.push(...block.extends);
  }
  return [...out];
}

/**
 * Query API rows: the distinct answers that unify with the patterns, each position reported
 * as the query's value, the answer's value, or null for a wildcard. `{type: T}` keeps a value
 * of exactly T, or a wildcard `*S` with `T ⊑ S`. Rows are sorted (by their positions' keys)
 * so that both engines return the same order.
 */
export function queryFrom(lat: Lattice, pred: string, answers: Iterable<Tuple>, patterns: readonly TypedPattern[]): QueryRow[] {
  const rows = new Map<string, (TypedValue | null)[]>();
  for (const t of answers) {
    if (t.length !== patterns.length) continue;
    const row: (TypedValue | null)[] = [];
    let key = "";
    for (let i = 0; i < t.length && row.length === i; i++) {
      const p = patterns[i]!;
      const a = t[i]!;
      let out: TypedValue | null | undefined;
      if (p.id !== null) out = unify(lat, p, a) === null ? undefined : p;
      else if (a.id === null) out = p.type === null || lat.sub(p.type, a.type) ? null : undefined;
      else out = p.type === null || p.type === a.type ? a : undefined;
      if (out === undefined) break;
      row.push(out);
      key += out === null ? "\u0000" : avalKey(out);
    }
    if (row.length === t.length && !rows.has(key)) rows.set(key, row);
  }
  return [...rows.keys()].sort().map((k) => [pred, ...rows.get(k)!.map((v) => (v === null ? null : toOutputValue(v)))] as const);
}

/**
 * The constants the policy's rules mention (test assertions excluded): part of the known
 * values that `list` expands a wildcard over.
 */
export function programConstants(program: Program): TypedValue[] {
  const out = new Map<string, TypedValue>();
  const add = (t: IRTerm): void => {
    if (t.k === "const") out.set(avalKey(t.value), t.value);
  };
  for (const r of program.rules) {
    if (r.origin === "test") continue;
    r.head.forEach(add);
    for (const l of r.body) {
      switch (l.k) {
        case "atom": case "not": l.args.forEach(add); break;
        case "cmp": add(l.a); add(l.b); break;
        case "isa": add(l.t); break;
        case "in": add(l.t); l.list.forEach(add); break;
      }
    }
  }
  return [...out.values()];
}

