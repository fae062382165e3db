/**
 * Builds IR Programs from a compact Datalog-like text, for testing the reference evaluator
 * without the compiler.
 *
 *   rules:   head.   head :- lit, lit, ... .
 *   head:    p(t, x: Type, ...)            (a specialiser becomes an `isa` at the start of the body)
 *   literal: p(t..) | not p(t..) | t = t | t != t | t < t | t <= t | t > t | t >= t | t : Type
 *            | t in [t, ...]
 *   term:    x (lowercase or `_`-prefixed: a variable; each `_` is fresh) | "str" | 42 | -3 | true
 *            | false | Type:id | now
 * Predicate names may start with `#` (internal).
 */
import { NO_SPAN } from "../../bindings/api/span.js";
import type { TypedValue } from "../../bindings/api/types.js";
import type {
  BlockInfo, CompiledTest, IRRule, IRTerm, Literal, PredInfo, PredKey, Program, Signature, TypeInfo,
} from "../../bindings/compile/ir.js";
import { predKey } from "../../bindings/compile/ir.js";
import { BUILTIN_TYPES } from "../../bindings/polar/model.js";

export interface ProgramSpec {
  /** type name -> direct supertypes (built-ins are added). */
  readonly types?: Readonly<Record<string, readonly string[]>>;
  readonly rules?: string;
  /** predicate key -> signatures; `"any"` = one all-null signature of that arity. */
  readonly signatures?: Readonly<Record<string, readonly Signature[] | "any">>;
  readonly blocks?: Readonly<Record<string, { permissions?: readonly string[]; extends?: readonly string[] }>>;
  readonly tests?: readonly CompiledTest[];
}

const TOKEN = /\s*(:-|!=|<=|>=|"(?:[^"\\]|\\.)*"|-?[0-9]+|[A-Z][A-Za-z0-9_]*:[A-Za-z0-9_-]+|#?[A-Za-z_][A-Za-z0-9_]*|[(),.:=<>[\]])/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  const text = src.replace(/%[^\n]*/g, "");
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (m === null) throw new Error(`cannot tokenize at ${text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}`);
    out.push(m[1]!);
  }
  return out;
}

export function v(type: string, id: string): TypedValue {
  return { type, id };
}

class RuleParser {
  private i = 0;
  private vars = new Map<string, number>();
  private names: string[] = [];
  constructor(private readonly toks: string[]) {}

  private peek(): string | undefined {
    return this.toks[this.i];
  }
  private next(): string {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error("unexpected end of rules");
    return t;
  }
  private expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new Error(`expected ${t}, got ${got}`);
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }

  private term(): IRTerm {
    const t = this.next();
    if (t.startsWith('"')) return { k: "const", value: v("String", JSON.parse(t) as string) };
    if (/^-?[0-9]+$/.test(t)) return { k: "const", value: v("Integer", BigInt(t).toString()) };
    if (t === "true" || t === "false") return { k: "const", value: v("Boolean", t) };
    if (t === "now") return { k: "now" };
    const colon = t.indexOf(":");
    if (colon > 0) return { k: "const", value: v(t.slice(0, colon), t.slice(colon + 1)) };
    if (/^[a-z_]/.test(t)) {
      const name = t === "_" ? `_${this.names.length}` : t;
      let n = this.vars.get(name);
      if (n === undefined || t === "_") {
        n = this.names.length;
        this.vars.set(name, n);
        this.names.push(name);
      }
      return { k: "var", v: n };
    }
    throw new Error(`bad term ${t}`);
  }

  private args(): IRTerm[] {
    this.expect("(");
    const out: IRTerm[] = [];
    while (this.peek() !== ")") {
      out.push(this.term());
      if (this.peek() === ",") this.next();
    }
    this.expect(")");
    return out;
  }

  private literal(): Literal {
    const span = NO_SPAN;
    if (this.peek() === "not") {
      this.next();
      const name = this.next();
      const args = this.args();
      return { k: "not", pred: predKey(name, args.length), args, span };
    }
    if (this.toks[this.i + 1] === "(") {
      const name = this.next();
      const args = this.args();
      return { k: "atom", pred: predKey(name, args.length), args, span };
    }
    const a = this.term();
    const op = this.next();
    if (op === ":") return { k: "isa", t: a, type: this.next(), span };
    if (op === "in") {
      this.expect("[");
      const list: IRTerm[] = [];
      while (this.peek() !== "]") {
        list.push(this.term());
        if (this.peek() === ",") this.next();
      }
      this.expect("]");
      return { k: "in", t: a, list, span };
    }
    const ops: Record<string, "eq" | "ne" | "lt" | "le" | "gt" | "ge"> = { "=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };
    const k = ops[op];
    if (k === undefined) throw new Error(`bad operator ${op}`);
    return { k: "cmp", op: k, a, b: this.term(), span };
  }

  rule(id: number): IRRule {
    this.vars = new Map();
    this.names = [];
    const name = this.next();
    this.expect("(");
    const head: IRTerm[] = [];
    const body: Literal[] = [];
    while (this.peek() !== ")") {
      const t = this.term();
      head.push(t);
      if (this.peek() === ":") {
        this.next();
        body.push({ k: "isa", t, type: this.next(), span: NO_SPAN });
      }
      if (this.peek() === ",") this.next();
    }
    this.expect(")");
    if (this.peek() === ":-") {
      this.next();
      for (;;) {
        body.push(this.literal());
        if (this.peek() !== ",") break;
        this.next();
      }
    }
    this.expect(".");
    const pred = predKey(name, head.length);
    return { id, pred, head, body, nvars: this.names.length, varNames: this.names, origin: name.startsWith("#not") ? "negation" : name.startsWith("#") ? "test" : "rule", span: NO_SPAN };
  }
}

export function parseRules(src: string): IRRule[] {
  const p = new RuleParser(tokenize(src));
  const rules: IRRule[] = [];
  while (!p.done()) rules.push(p.rule(rules.length));
  return rules;
}

/** Strongly connected components, dependencies first (Tarjan). */
function sccs(nodes: readonly PredKey[], deps: ReadonlyMap<PredKey, Set<PredKey>>): PredKey[][] {
  let index = 0;
  const idx = new Map<PredKey, number>();
  const low = new Map<PredKey, number>();
  const stack: PredKey[] = [];
  const on = new Set<PredKey>();
  const out: PredKey[][] = [];
  const visit = (n: PredKey): void => {
    idx.set(n, index);
    low.set(n, index++);
    stack.push(n);
    on.add(n);
    for (const m of deps.get(n) ?? []) {
      if (!idx.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (on.has(m)) low.set(n, Math.min(low.get(n)!, idx.get(m)!));
    }
    if (low.get(n) === idx.get(n)) {
      const comp: PredKey[] = [];
      let m: PredKey;
      do {
        m = stack.pop()!;
        on.delete(m);
        comp.push(m);
      } while (m !== n);
      out.push(comp);
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

export function buildProgram(spec: ProgramSpec): Program {
  const rules = parseRules(spec.rules ?? "");
  const deps = new Map<PredKey, Set<PredKey>>();
  const node = (p: PredKey): Set<PredKey> => {
    let s = deps.get(p);
    if (s === undefined) deps.set(p, (s = new Set()));
    return s;
  };
  for (const r of rules) {
    const s = node(r.pred);
    for (const l of r.body) if (l.k === "atom" || l.k === "not") { s.add(l.pred); node(l.pred); }
  }
  const signatures = new Map<PredKey, readonly Signature[]>();
  for (const [k, s] of Object.entries(spec.signatures ?? {})) {
    node(k);
    const arity = Number(k.slice(k.lastIndexOf("/") + 1));
    signatures.set(k, s === "any" ? [new Array<null>(arity).fill(null)] : s);
  }
  const strata = sccs([...deps.keys()], deps);
  const preds = new Map<PredKey, PredInfo>();
  strata.forEach((comp, i) => {
    for (const key of comp) {
      const slash = key.lastIndexOf("/");
      const name = key.slice(0, slash);
      preds.set(key, { key, name, arity: Number(key.slice(slash + 1)), rules: rules.filter((r) => r.pred === key).map((r) => r.id), stratum: i, internal: name.startsWith("#"), demandOnly: name.startsWith("#not") });
    }
  });
  const types = new Map<string, TypeInfo>(BUILTIN_TYPES.map((t) => [t.name, t]));
  for (const [name, sup] of Object.entries(spec.types ?? {})) {
    types.set(name, { name, kind: sup.includes("Actor") ? "actor" : sup.includes("Resource") ? "resource" : "opaque", supertypes: sup });
  }
  const blocks = new Map<string, BlockInfo>();
  for (const [name, b] of Object.entries(spec.blocks ?? {})) {
    blocks.set(name, { kind: "resource", name, roles: [], permissions: b.permissions ?? [], relations: new Map(), extends: b.extends ?? [] });
  }
  return { rules, preds, strata, signatures, types, blocks, tests: spec.tests ?? [], warnings: [] };
}

import type { Fact, QueryRow } from "../../bindings/api/types.js";
import { ReferenceCore, type ReferenceOptions } from "../../bindings/reference/core.js";

/** A ReferenceCore with the program loaded and the facts inserted. */
export function engineFor(spec: ProgramSpec, facts: readonly Fact[] = [], options: ReferenceOptions = {}): ReferenceCore {
  const e = new ReferenceCore(options);
  e.loadProgram(buildProgram(spec));
  for (const f of facts) e.insert(f);
  return e;
}

/** Entities as `Type:id`, other values as JSON, null as `*`; rows joined by `|` and sorted. */
export function rows(result: readonly QueryRow[]): string[] {
  const show = (x: unknown): string =>
    x === null ? "*" : typeof x === "object" ? `${(x as TypedValue).type}:${(x as TypedValue).id}` : typeof x === "bigint" ? `${x}n` : JSON.stringify(x);
  return result.map((r) => r.slice(1).map(show).join("|")).sort();
}

export const ent = (type: string, id: string): TypedValue => ({ type, id });
