/**
 * The reference evaluator: stratified, bottom-up, semi-naive fixpoint over a Program and a
 * set of ground facts (docs/semantics.md). Answers may hold typed wildcards (answers.ts).
 *
 * Strata are evaluated in order (dependencies first). Within a stratum, round 0 applies every
 * rule to the facts; each later round applies every rule once per body atom of the stratum,
 * with that atom reading only the previous round's new answers (the delta) and every other
 * atom reading everything known. The set of possible answers is finite (values come from the
 * facts, the rules and `now`; wildcard types from the program), so this terminates on any
 * data, cyclic or not.
 *
 * Rule bodies are in a valid evaluation order (ir.ts). An `isa` on an unbound variable binds it
 * to the wildcard `*T` at once; later literals narrow it per the unification table. This is
 * equivalent to checking the type when the variable gets bound, because `isa(x, T)` is the
 * same operation as unifying `x` with `*T`.
 */
import type { TypedValue } from "../api/types.js";
import type { IRRule, IRTerm, Literal, PredKey, Program } from "../compile/ir.js";
import { type AVal, Lattice, type Tuple, unify, wildcard } from "../engine/shared/answers.js";
import { Relation } from "./relation.js";

/** Where ground facts come from: the argument tuples of one predicate key. */
export interface FactSource {
  tuples(key: PredKey): Iterable<readonly TypedValue[]>;
}

/** The computed answers of every evaluated predicate; other predicates read their facts. */
export class Model {
  private readonly rels = new Map<PredKey, Relation>();
  constructor(private readonly facts: readonly FactSource[]) {}

  rel(key: PredKey): Relation {
    let r = this.rels.get(key);
    if (r === undefined) {
      r = this.fromFacts(key);
      this.rels.set(key, r);
    }
    return r;
  }

  fromFacts(key: PredKey): Relation {
    const r = new Relation();
    for (const src of this.facts) for (const t of src.tuples(key)) r.add(t);
    return r;
  }

  set(key: PredKey, r: Relation): void {
    this.rels.set(key, r);
  }
}

type Env = (AVal | undefined)[];

function internal(msg: string): never {
  throw new Error(`boreal internal error (reference evaluator): ${msg}`);
}

/** Predicates that `roots` depend on (through atoms and negations), roots included. */
export function dependencyClosure(program: Program, rulesById: ReadonlyMap<number, IRRule>, roots: Iterable<PredKey>): Set<PredKey> {
  const seen = new Set<PredKey>();
  const stack = [...roots];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const id of program.preds.get(p)?.rules ?? []) {
      for (const lit of rulesById.get(id)?.body ?? []) {
        if ((lit.k === "atom" || lit.k === "not") && !seen.has(lit.pred)) stack.push(lit.pred);
      }
    }
  }
  return seen;
}

/** Does any rule of the program use `@current_unix_time`? */
export function usesNow(program: Program): boolean {
  const isNow = (t: IRTerm): boolean => t.k === "now";
  return program.rules.some((r) => r.head.some(isNow) || r.body.some((l) => {
    switch (l.k) {
      case "atom": case "not": return l.args.some(isNow);
      case "cmp": return isNow(l.a) || isNow(l.b);
      case "isa": return isNow(l.t);
      case "in": return isNow(l.t) || l.list.some(isNow);
    }
  }));
}

/**
 * Evaluate the predicates that `roots` need (default: every non-internal predicate) over the
 * union of `facts`, with `now` as the value of `@current_unix_time`.
 */
export function evaluate(program: Program, lat: Lattice, facts: readonly FactSource[], now: bigint, roots?: Iterable<PredKey>): Model {
  const rulesById = new Map(program.rules.map((r) => [r.id, r] as const));
  const rootList = roots ?? [...program.preds.values()].filter((p) => !p.internal).map((p) => p.key);
  const needed = dependencyClosure(program, rulesById, rootList);
  const model = new Model(facts);
  const body = new BodyRunner(program, rulesById, model, lat, { type: "Integer", id: now.toString() });

  for (const stratum of program.strata) {
    // Demand-only predicates (`#notN`) are evaluated per call, never materialised.
    const preds = stratum.filter((p) => needed.has(p) && program.preds.get(p)?.demandOnly !== true);
    if (preds.length === 0) continue;
    const inStratum = new Set(preds);
    for (const p of preds) model.set(p, model.fromFacts(p));
    const rules: IRRule[] = [];
    for (const p of preds) {
      for (const id of program.preds.get(p)?.rules ?? []) rules.push(rulesById.get(id) ?? internal(`rule ${id} of ${p} is missing`));
    }

    // One round: apply rules, collect answers not yet known, then add them (never while reading).
    let delta = new Map<PredKey, Relation>();
    const round = (apply: (rule: IRRule, emit: (t: Tuple) => boolean) => void): void => {
      const next = new Map<PredKey, Relation>();
      for (const rule of rules) {
        const full = model.rel(rule.pred);
        apply(rule, (t) => {
          if (full.has(t)) return false;
          let n = next.get(rule.pred);
          if (n === undefined) next.set(rule.pred, (n = new Relation()));
          n.add(t);
          return false;
        });
      }
      for (const [p, n] of next) for (const t of n.tuples) model.rel(p).add(t);
      delta = next;
    };

    round((rule, emit) => body.run(rule, -1, undefined, emit));
    while (delta.size > 0) {
      round((rule, emit) => {
        rule.body.forEach((lit, j) => {
          if (lit.k !== "atom" || !inStratum.has(lit.pred)) return;
          const d = delta.get(lit.pred);
          if (d !== undefined && d.size > 0) body.run(rule, j, d, emit);
        });
      });
    }
  }
  return model;
}

/** Evaluates rule bodies left to right over the model, depth-first over the bindings. */
class BodyRunner {
  constructor(
    private readonly program: Program,
    private readonly rulesById: ReadonlyMap<number, IRRule>,
    private readonly model: Model,
    private readonly lat: Lattice,
    private readonly now: TypedValue,
  ) {}

  /**
   * Apply `rule` from `env`; the atom at `deltaPos` (if >= 0) reads `deltaRel` instead of the
   * model. `emit` gets each head tuple; returning true stops the evaluation (and run returns true).
   */
  run(rule: IRRule, deltaPos: number, deltaRel: Relation | undefined, emit: (t: Tuple) => boolean | void, env?: Env): boolean {
    const step = (i: number, env: Env): boolean => {
      const lit = rule.body[i];
      if (lit === undefined) {
        return emit(rule.head.map((t) => this.hold(t, env) ?? internal(`head variable \`${varName(rule, t)}\` of rule ${rule.id} is unbound`))) === true;
      }
      const next = (e: Env): boolean => step(i + 1, e);
      switch (lit.k) {
        case "atom":
          return this.matchAtom(i === deltaPos && deltaRel !== undefined ? deltaRel : this.model.rel(lit.pred), lit.args, env, next);
        case "not":
          return this.holds(lit.pred, lit.args, env) ? false : next(env);
        case "isa": {
          const r = unify(this.lat, this.hold(lit.t, env), wildcard(lit.type));
          return r !== null && next(this.bind(env, lit.t, r));
        }
        case "in":
          return lit.list.some((e) => this.equate(rule, lit, lit.t, e, env, next));
        case "cmp":
          if (lit.op === "eq") return this.equate(rule, lit, lit.a, lit.b, env, next);
          return this.compare(rule, lit, env) && next(env);
      }
    };
    return step(0, env ?? new Array<AVal | undefined>(rule.nvars).fill(undefined));
  }

  /**
   * Does `pred(args)` have an answer under `env` (unbound variables in `args` are local)?
   * A demand-only predicate runs its rules with the call's arguments bound to the head.
   */
  private holds(pred: PredKey, args: readonly IRTerm[], env: Env): boolean {
    const info = this.program.preds.get(pred);
    if (info?.demandOnly !== true) return this.matchAtom(this.model.rel(pred), args, env, () => true);
    const found = (): boolean => true;
    return info.rules.some((id) => {
      const rule = this.rulesById.get(id) ?? internal(`rule ${id} of ${pred} is missing`);
      if (rule.head.length !== args.length) return false;
      let e: Env | null = new Array<AVal | undefined>(rule.nvars).fill(undefined);
      for (let i = 0; i < args.length && e !== null; i++) {
        const h = this.hold(args[i]!, env);
        if (h === undefined) continue;
        const r = unify(this.lat, this.hold(rule.head[i]!, e), h);
        e = r === null ? null : this.bind(e, rule.head[i]!, r);
      }
      return e !== null && this.run(rule, -1, undefined, found, e);
    });
  }

  /** What a term holds: a value, a wildcard, or undefined for an unbound variable. */
  private hold(t: IRTerm, env: Env): AVal | undefined {
    switch (t.k) {
      case "var": return env[t.v];
      case "const": return t.value;
      case "now": return this.now;
    }
  }

  private bind(env: Env, t: IRTerm, v: AVal): Env {
    if (t.k !== "var" || env[t.v] === v) return env;
    const e = env.slice();
    e[t.v] = v;
    return e;
  }

  /** Call `k` with the bindings for each tuple of `rel` that unifies with `args`; stop when `k` returns true. */
  private matchAtom(rel: Relation, args: readonly IRTerm[], env: Env, k: (e: Env) => boolean): boolean {
    let chunks: readonly (readonly Tuple[])[] = [rel.tuples];
    for (let pos = 0; pos < args.length; pos++) {
      const h = this.hold(args[pos]!, env);
      if (h !== undefined && h.id !== null) {
        chunks = rel.candidates(pos, h);
        break;
      }
    }
    for (const chunk of chunks) {
      for (const t of chunk) {
        if (t.length !== args.length) continue;
        let e: Env | null = env;
        for (let pos = 0; pos < args.length && e !== null; pos++) {
          const a = args[pos]!;
          const r = unify(this.lat, this.hold(a, e), t[pos]!);
          e = r === null ? null : this.bind(e, a, r);
        }
        if (e !== null && k(e)) return true;
      }
    }
    return false;
  }

  /** `a = b` (also one alternative of `in`): bind an unbound side, else unify both. */
  private equate(rule: IRRule, lit: Literal, a: IRTerm, b: IRTerm, env: Env, k: (e: Env) => boolean): boolean {
    const ha = this.hold(a, env);
    const hb = this.hold(b, env);
    if (ha === undefined && hb === undefined) internal(`both sides unbound in \`${lit.k}\` of rule ${rule.id}`);
    const r = ha === undefined ? hb! : hb === undefined ? ha : unify(this.lat, ha, hb);
    return r !== null && k(this.bind(this.bind(env, a, r), b, r));
  }

  private compare(rule: IRRule, lit: Literal & { k: "cmp" }, env: Env): boolean {
    const a = this.hold(lit.a, env);
    const b = this.hold(lit.b, env);
    if (a === undefined || b === undefined) internal(`unbound operand of \`${lit.op}\` in rule ${rule.id}`);
    // A wildcard stands for every value of its type: no single comparison holds for all of them.
    if (a.id === null || b.id === null) return false;
    if (lit.op === "ne") return a.type !== b.type || a.id !== b.id;
    if (lit.op === "eq") return a.type === b.type && a.id === b.id;
    if (a.type !== "Integer" || b.type !== "Integer") return false;
    const x = BigInt(a.id);
    const y = BigInt(b.id);
    switch (lit.op) {
      case "lt": return x < y;
      case "le": return x <= y;
      case "gt": return x > y;
      case "ge": return x >= y;
    }
  }
}

function varName(rule: IRRule, t: IRTerm): string {
  return t.k === "var" ? (rule.varNames[t.v] ?? `_${t.v}`) : t.k;
}
