/** Fact writes (insert, delete, batch, insertMany) and reads (get): validation and encoding of facts into core records. */
import type { Fact, FactPattern, OutputFact, Transaction, TypedValue, Value } from "../api/types.js";
import { toOutputValue, toTypedFact, toTypedFactPattern, toTypedValue, type TypedPattern } from "../api/values.js";
import { predKey } from "../compile/ir.js";
import { stageBatch } from "./shared/batch.js";
import type { EngineState } from "./engine-state.js";
import { EntityHandle } from "./handle.js";
import { insertWords, readRows, sendWords, WordBuffer, writePattern } from "./marshal.js";
import type { Loaded } from "./policy.js";

export class FactWriter {
  /** A reusable buffer for single inserts and context facts. */
  readonly scratch = new WordBuffer();
  /** name -> arity -> relation id, for facts the policy accepts */
  private readonly relByName = new Map<string, (number | undefined)[]>();
  /** per relation: argument type tuples seen, and whether the policy accepts them */
  private readonly accepted: { readonly types: readonly string[]; readonly ok: boolean }[][] = [];
  /** Type names of the arguments argId last encoded (for the validation cache). */
  private readonly argTypes: string[] = [];

  constructor(private readonly st: EngineState) {}

  /** Forget what was validated against the previous policy. */
  policyChanged(): void {
    this.relByName.clear();
    this.accepted.length = 0;
  }

  /** Value id of fact argument `k`, validating it if it is new; records its type name in argTypes[k]. */
  private argId(a: Value, k: number): number {
    const interner = this.st.interner;
    if (typeof a === "object" && a !== null) {
      const t = (a as TypedValue).type;
      const id = (a as TypedValue).id;
      if (typeof t === "string" && typeof id === "string" && t !== "Integer" && t !== "Boolean" && t.length > 0) {
        this.argTypes[k] = t;
        const handle = EntityHandle.idIn(a, this.st);
        if (handle >= 0) return handle;
        // one lookup, and one insert for a new entity (validated like toTypedValue does)
        const v = interner.findOrAdd(t, id);
        if (v >= 0) return v;
      }
    } else if (typeof a === "string") {
      this.argTypes[k] = "String";
      const v = interner.find("String", a);
      if (v >= 0) return v;
    }
    const tv = toTypedValue(a);
    this.argTypes[k] = tv.type;
    return interner.value(tv);
  }

  /**
   * Validate a fact against the policy's signatures and append it (rel, value ids) to `buf`.
   * Validation is cached per relation and tuple of argument types.
   */
  encodeFact(s: Loaded, fact: Fact, buf: WordBuffer): void {
    if (!Array.isArray(fact) || typeof fact[0] !== "string" || fact[0].length === 0) toTypedFact(fact);
    const pred = fact[0];
    const arity = fact.length - 1;
    let rel = this.relByName.get(pred)?.[arity];
    if (rel === undefined) {
      // slow path: full validation (and the error) for a predicate/arity seen first
      const [p, ...args] = toTypedFact(fact);
      s.validator.check(p, args);
      rel = this.st.relId(predKey(p, arity), arity);
      let byArity = this.relByName.get(p);
      if (byArity === undefined) this.relByName.set(p, (byArity = []));
      byArity[arity] = rel;
    }
    buf.reserve(arity + 1);
    const w = buf.words;
    let p = buf.length;
    w[p++] = rel;
    for (let i = 1; i <= arity; i++) w[p++] = this.argId(fact[i]!, i - 1);
    // validation, cached per relation by the tuple of argument type names (a short list: a
    // relation sees few type shapes); the names come from the arguments, so no value id is
    // looked up
    let cache = this.accepted[rel];
    if (cache === undefined) this.accepted[rel] = cache = [];
    const types = this.argTypes;
    let ok: boolean | undefined;
    for (let k = 0; k < cache.length && ok === undefined; k++) {
      const shape = cache[k]!;
      let same = true;
      for (let i = 0; i < arity; i++) {
        if (shape.types[i] !== types[i]) {
          same = false;
          break;
        }
      }
      if (same) ok = shape.ok;
    }
    if (ok === undefined) {
      const args = Array.from(w.subarray(buf.length + 1, p), (v) => this.st.interner.decodeValue(v));
      ok = s.validator.problem(pred, args) === undefined;
      if (cache.length < 64) cache.push({ types: types.slice(0, arity), ok });
    }
    if (!ok) {
      const [p2, ...args] = toTypedFact(fact);
      s.validator.check(p2, args);
    }
    buf.length = p;
    buf.count++;
  }

  insert(fact: Fact): void {
    const st = this.st;
    const s = st.state();
    const buf = this.scratch;
    buf.clear();
    this.encodeFact(s, fact, buf);
    st.interner.flush(st.core);
    sendWords(st.core, buf, st.relArity, (n) => st.core.x.insertFacts(n));
  }

  delete(pattern: FactPattern): number {
    const [pred, ...pats] = toTypedFactPattern(pattern);
    return this.deleteTyped(pred, pats);
  }

  private deleteTyped(pred: string, pats: readonly TypedPattern[]): number {
    const st = this.st;
    const rel = st.relIds.get(predKey(pred, pats.length));
    if (rel === undefined) return 0;
    const w = writePattern(st.core, st.interner, pats);
    if (w === undefined) return 0;
    return st.core.x.selectRows(rel, w[0], w[1], 1) >>> 0;
  }

  batch(body: (tx: Transaction) => void): void {
    const st = this.st;
    const s = st.state();
    // inserts are encoded into word buffers; a delete ends the current buffer (order matters)
    const ops: (WordBuffer | { readonly pred: string; readonly pats: readonly TypedPattern[] })[] = [];
    let cur: WordBuffer | undefined;
    stageBatch(body, {
      insert: (fact) => {
        if (cur === undefined) ops.push((cur = new WordBuffer()));
        this.encodeFact(s, fact, cur);
      },
      delete: (pattern) => {
        const [pred, ...pats] = toTypedFactPattern(pattern);
        ops.push({ pred, pats });
        cur = undefined;
      },
    });
    st.interner.flush(st.core);
    for (const op of ops) {
      if (op instanceof WordBuffer) insertWords(st.core, op, st.relArity);
      else this.deleteTyped(op.pred, op.pats);
    }
  }

  /** Insert many facts at once (validated first; all or nothing); returns how many were new. */
  insertMany(facts: Iterable<Fact>): number {
    const st = this.st;
    const s = st.state();
    const buf = new WordBuffer();
    for (const f of facts) this.encodeFact(s, f, buf);
    st.interner.flush(st.core);
    return insertWords(st.core, buf, st.relArity);
  }

  /** Remove every stored fact. */
  clear(): void {
    const st = this.st;
    for (let rel = 0; rel < st.rels.length; rel++) if ((st.core.x.relCount(rel) >>> 0) > 0) st.core.x.selectRows(rel, 0, 0, 1);
  }

  get(pattern: FactPattern): OutputFact[] {
    const st = this.st;
    const [pred, ...pats] = toTypedFactPattern(pattern);
    const rel = st.relIds.get(predKey(pred, pats.length));
    if (rel === undefined) return [];
    const w = writePattern(st.core, st.interner, pats);
    if (w === undefined) return [];
    const n = st.core.x.selectRows(rel, w[0], w[1], 0) >>> 0;
    const rows = readRows(st.core, n, pats.length);
    const out: OutputFact[] = [];
    for (let r = 0; r < n; r++) {
      const args = Array.from(rows.subarray(r * pats.length, (r + 1) * pats.length), (v) => toOutputValue(st.interner.decodeValue(v)));
      out.push([pred, ...args]);
    }
    return out;
  }
}
