/** Fact writes (insert, delete, batch, insertMany) and reads (get): validation and encoding of facts into core records. */
import type { Fact, FactPattern, OutputFact, Transaction, TypedValue, Value } from "../api/types.js";
import { MAX_ID_BYTES, toOutputValue, toTypedFact, toTypedFactPattern, toTypedValue, type TypedPattern } from "../api/values.js";
import { predKey } from "../compile/ir.js";
import { stageBatch } from "./shared/batch.js";
import type { EngineState } from "./engine-state.js";
import { FactGroup, GROUP_MAX_ARITY } from "./fact-group.js";
import { EntityHandle } from "./handle.js";
import { bulkBuffer, insertWords, readRows, sendWords, WordBuffer, writePattern } from "./marshal.js";
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

  /** Bulk writes' facts awaiting interning (see defer). */
  private readonly group = new FactGroup();

  constructor(private readonly st: EngineState) {}

  /** Forget what was validated against the previous policy. */
  policyChanged(): void {
    this.relByName.clear();
    this.lastPred = "";
    this.lastArities = undefined;
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

  /**
   * Queue `fact` in the group if it is plainly valid: a known relation, every argument a String
   * or an entity whose id passes toTypedValue's checks without encoding, and a tuple of
   * argument types the policy is known to accept. Returns false (nothing queued) otherwise.
   */
  private defer(fact: Fact): boolean {
    if (!Array.isArray(fact)) return false;
    const pred: unknown = fact[0];
    const arity = fact.length - 1;
    if (typeof pred !== "string" || arity > GROUP_MAX_ARITY) return false;
    let arities = this.lastArities;
    if (pred !== this.lastPred || arities === undefined) {
      arities = this.relByName.get(pred);
      this.lastPred = pred;
      this.lastArities = arities;
    }
    const rel = arities?.[arity];
    if (rel === undefined) return false;
    const g = this.group;
    const types = this.argTypes;
    for (let i = 0; i < arity; i++) {
      const a: unknown = fact[i + 1];
      if (typeof a === "string") {
        if (a.length * 3 > MAX_ID_BYTES) return false;
        types[i] = "String";
        g.arg(i, "String", a, -1);
      } else if (typeof a === "object" && a !== null) {
        const t: unknown = (a as TypedValue).type;
        const id: unknown = (a as TypedValue).id;
        if (typeof t !== "string" || typeof id !== "string" || t === "Integer" || t === "Boolean" || t.length === 0) return false;
        if (id.length === 0 || id.length * 3 > MAX_ID_BYTES) return false;
        types[i] = t;
        g.arg(i, t, id, EntityHandle.idIn(a, this.st));
      } else return false;
    }
    if (this.acceptedShape(rel, arity) !== true) return false;
    if (g.push(rel, arity)) g.flush(this.st.interner, this.bulk!);
    return true;
  }

  /** defer's last predicate and its relByName entry (facts of a bulk load come in runs). */
  private lastPred = "";
  private lastArities: (number | undefined)[] | undefined;

  /** Whether the policy accepts argTypes[0 .. arity) for `rel`, if that is cached. */
  private acceptedShape(rel: number, arity: number): boolean | undefined {
    const cache = this.accepted[rel];
    if (cache === undefined) return undefined;
    const types = this.argTypes;
    for (let k = 0; k < cache.length; k++) {
      const shape = cache[k]!;
      let i = 0;
      while (i < arity && shape.types[i] === types[i]) i++;
      if (i === arity) return shape.ok;
    }
    return undefined;
  }

  /** The buffer `defer` fills (set while a bulk write runs). */
  private bulk: WordBuffer | undefined;

  /** encodeFact for bulk writes: facts are grouped for interning (see FactGroup). */
  private encodeBulk(s: Loaded, fact: Fact, buf: WordBuffer): void {
    if (this.bulk !== buf) {
      this.group.flush(this.st.interner, this.bulk ?? buf);
      this.bulk = buf;
    }
    if (this.defer(fact)) return;
    // anything else in fact order, after the group, exactly as encodeFact does it
    this.group.flush(this.st.interner, buf);
    this.encodeFact(s, fact, buf);
  }

  /** Intern the group's facts (also when the write fails: values are interned as one at a time would). */
  private endBulk(): void {
    const buf = this.bulk;
    this.bulk = undefined;
    if (buf !== undefined) this.group.flush(this.st.interner, buf);
    this.group.release();
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
    const ops: (WordBuffer[] | { readonly pred: string; readonly pats: readonly TypedPattern[] })[] = [];
    let cur: WordBuffer[] | undefined;
    try {
      stageBatch(body, {
        insert: (fact) => {
          if (cur === undefined) ops.push((cur = []));
          this.encodeBulk(s, fact, bulkBuffer(cur));
        },
        delete: (pattern) => {
          const [pred, ...pats] = toTypedFactPattern(pattern);
          this.endBulk();
          ops.push({ pred, pats });
          cur = undefined;
        },
      });
    } finally {
      this.endBulk();
    }
    st.interner.flush(st.core);
    for (const op of ops) {
      if (Array.isArray(op)) insertWords(st.core, op, st.relArity);
      else this.deleteTyped(op.pred, op.pats);
    }
  }

  /** Insert many facts at once (validated first; all or nothing); returns how many were new. */
  insertMany(facts: Iterable<Fact>): number {
    const st = this.st;
    const s = st.state();
    const bufs: WordBuffer[] = [];
    try {
      for (const f of facts) this.encodeBulk(s, f, bulkBuffer(bufs));
    } finally {
      this.endBulk();
    }
    st.interner.flush(st.core);
    return insertWords(st.core, bufs, st.relArity);
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
