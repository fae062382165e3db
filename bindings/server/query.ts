/**
 * `POST /api/evaluate_query`: a conjunction of the `predicate` and every `call`, over typed
 * variables with optional id constraints. Evaluated atom by atom with `engine.query`, binding
 * variables as it goes (a nested-loop join); rows are the distinct assignments, with `null`
 * for a variable that stays unbound (a wildcard answer).
 */
import type { AuthorizationEngine, Fact, OutputValue, TypedValue, ValuePattern } from "../api/types.js";
import { toTypedValue } from "../api/values.js";
import { checkIdBytes, type Limits } from "./limits.js";
import { badRequest } from "./state.js";

interface Constraint {
  readonly type: string;
  readonly ids: readonly string[] | null;
}

type Atom = readonly [string, readonly string[]];
type Binding = ReadonlyMap<string, TypedValue | null>;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function atom(x: unknown): Atom {
  if (!Array.isArray(x) || typeof x[0] !== "string" || !Array.isArray(x[1]) || !(x[1] as unknown[]).every((v) => typeof v === "string")) {
    throw badRequest("a query predicate or call must be `[name, [variable, …]]`");
  }
  return [x[0], x[1] as string[]];
}

function typed(v: OutputValue): TypedValue {
  return toTypedValue(v);
}

export function evaluateQuery(engine: Pick<AuthorizationEngine, "query">, body: Record<string, unknown>, contextFacts: readonly Fact[], limits: Limits): Record<string, string | null>[] {
  const atoms: Atom[] = [atom(body["predicate"]), ...(Array.isArray(body["calls"]) ? (body["calls"] as unknown[]).map(atom) : [])];
  const rawConstraints = isObject(body["constraints"]) ? body["constraints"] : {};
  const constraints = new Map<string, Constraint>();
  for (const [name, c] of Object.entries(rawConstraints)) {
    if (!isObject(c) || typeof c["type"] !== "string") throw badRequest(`the constraint of \`${name}\` needs a type`);
    const ids = c["ids"];
    if (ids !== null && ids !== undefined && (!Array.isArray(ids) || !ids.every((i) => typeof i === "string"))) throw badRequest(`the ids of \`${name}\` must be strings`);
    if (Array.isArray(ids)) for (const id of ids as string[]) checkIdBytes(c["type"], id, limits);
    constraints.set(name, { type: c["type"], ids: Array.isArray(ids) ? (ids as string[]) : null });
  }
  const vars: string[] = [];
  for (const [, args] of atoms) {
    for (const v of args) {
      if (!constraints.has(v)) throw badRequest(`the variable \`${v}\` has no type; all variables must have a type`);
      if (!vars.includes(v)) vars.push(v);
    }
  }
  // canonical allowed ids per variable
  const allowed = new Map<string, Set<string> | null>();
  for (const v of vars) {
    const c = constraints.get(v)!;
    allowed.set(v, c.ids === null ? null : new Set(c.ids.map((id) => toTypedValue({ type: c.type, id }).id)));
  }

  let bindings: Binding[] = [new Map()];
  for (const [pred, args] of atoms) {
    const next: Binding[] = [];
    for (const b of bindings) {
      const patterns: ValuePattern[] = args.map((v) => {
        const bound = b.get(v);
        if (bound !== undefined && bound !== null) return bound;
        const c = constraints.get(v)!;
        const ids = allowed.get(v);
        if (ids !== null && ids !== undefined && ids.size === 1) return { type: c.type, id: [...ids][0]! };
        return { type: c.type };
      });
      for (const row of engine.query(pred, patterns, contextFacts)) {
        const out = new Map(b);
        let ok = true;
        for (let i = 0; i < args.length && ok; i++) {
          const v = args[i]!;
          const got = row[i + 1];
          const value = got === null || got === undefined ? null : typed(got);
          const c = constraints.get(v)!;
          if (value !== null) {
            if (value.type !== c.type) ok = false;
            const ids = allowed.get(v);
            if (ids !== null && ids !== undefined && !ids.has(value.id)) ok = false;
          }
          const prev = out.get(v);
          if (prev === undefined || prev === null) out.set(v, value);
          else if (value !== null && (prev.type !== value.type || prev.id !== value.id)) ok = false;
        }
        if (ok) next.push(out);
      }
    }
    bindings = next;
  }
  // wildcard answers for constrained variables stand for each allowed id
  const expanded: Binding[] = [];
  for (const b of bindings) {
    let partial: Map<string, TypedValue | null>[] = [new Map(b)];
    for (const v of vars) {
      const ids = allowed.get(v);
      if (b.get(v) === null && ids !== null && ids !== undefined) {
        const type = constraints.get(v)!.type;
        partial = partial.flatMap((p) => [...ids].map((id) => new Map(p).set(v, { type, id })));
      }
    }
    expanded.push(...partial);
  }
  const seen = new Set<string>();
  const rows: Record<string, string | null>[] = [];
  for (const b of expanded) {
    const row: Record<string, string | null> = {};
    for (const v of vars) row[v] = b.get(v)?.id ?? null;
    const key = JSON.stringify(vars.map((v) => row[v]));
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}
