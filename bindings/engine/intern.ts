/**
 * Value and type interning: value ⇄ u32 (docs/abi.md, "Value ids"). One Map per type from id
 * to number, so that the check path never builds a concatenated key string. Ids are never
 * reused, so stored rows stay valid across policy loads.
 */
import type { TypedValue } from "../api/types.js";
import { MAX_ID_BYTES } from "../api/values.js";
import { VALUE_MIN } from "../compile/plan-types.js";
import type { AVal } from "./shared/answers.js";
import { type IdEntries, IdOrder } from "./id-order.js";
import type { Core } from "./memory.js";

export const VAL_BASE = VALUE_MIN;
export const INT_BIT = 0x80000000;
export const MAX_TYPES = 0xfffe;

export const TYPE_STRING = 0;
export const TYPE_INTEGER = 1;
export const TYPE_BOOLEAN = 2;

const I64_MASK = (1n << 64n) - 1n;

/** IdTable slot: 8 words (32 bytes, so a slot never straddles a cache line). */
const SLOT = 8;
/** Ids of up to this many UTF-16 code units are kept inside their slot. */
const INLINE_UNITS = 8;

/** FNV-1a over UTF-16 code units. */
export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // As int32, like the Int32Array slots it is compared with (the FNV offset basis alone, the
  // hash of "", is above 2^31).
  return h | 0;
}

/** UTF-16 code units of every interned id text, shared by the IdTables. */
class TextPool {
  units = new Uint16Array(1 << 16);
  length = 0;

  add(s: string): number {
    const at = this.length;
    if (at + s.length > this.units.length) {
      let c = this.units.length * 2;
      while (c < at + s.length) c *= 2;
      const u = new Uint16Array(c);
      u.set(this.units.subarray(0, at));
      this.units = u;
    }
    const u = this.units;
    for (let i = 0; i < s.length; i++) u[at + i] = s.charCodeAt(i);
    this.length = at + s.length;
    return at;
  }
}

/**
 * id text -> value id for one type: open addressing over an Int32Array of 8-word slots
 * [hash, value id, text length, text offset, 4 words of inline text] (value id 0 = empty). An
 * id of up to INLINE_UNITS code units is compared inside its slot (one cache line, so a lookup
 * costs one memory miss instead of two); a longer one in the shared TextPool. No per-entry
 * objects (little GC work). Snapshots keep the 4-word layout [hash, value id, offset, length].
 */
export class IdTable {
  /** the type id of the values in this table */
  typeId = -1;
  private cap = 64;
  private slots: Int32Array<ArrayBuffer> = new Int32Array(64 * SLOT);
  private n = 0;
  /** the sort order of the ids (list results) */
  readonly order = new IdOrder();

  constructor(private readonly pool: TextPool) {}

  /** How many ids the table holds. */
  get size(): number {
    return this.n;
  }

  /** The table's state, for a snapshot: entry count and its 4-word slots (capacity = slots.length / 4). */
  save(): { readonly n: number; readonly slots: Int32Array<ArrayBuffer> } {
    const s = this.slots;
    const out = new Int32Array(4 * this.cap);
    for (let j = 0; j < this.cap; j++) {
      const k = SLOT * j;
      out[4 * j] = s[k]!;
      out[4 * j + 1] = s[k + 1]!;
      out[4 * j + 2] = s[k + 3]!;
      out[4 * j + 3] = s[k + 2]!;
    }
    return { n: this.n, slots: out };
  }

  /** Restore the state of save() (slots.length / 4 must be a power of two; the pool loaded). */
  load(n: number, slots: Int32Array): void {
    this.n = n;
    this.cap = slots.length >>> 2;
    const s = (this.slots = new Int32Array(this.cap * SLOT));
    const u = this.pool.units;
    for (let j = 0; j < this.cap; j++) {
      const k = SLOT * j;
      const off = slots[4 * j + 2]!;
      const len = slots[4 * j + 3]!;
      s[k] = slots[4 * j]!;
      s[k + 1] = slots[4 * j + 1]!;
      s[k + 2] = len;
      s[k + 3] = off;
      if (len <= INLINE_UNITS) for (let i = 0; i < len; i++) s[k + 4 + (i >> 1)] = s[k + 4 + (i >> 1)]! | ((u[off + i] ?? 0) << (16 * (i & 1)));
    }
  }

  /** Call `f(vid, text offset, text length)` for every entry. */
  forEach(f: (vid: number, off: number, len: number) => void): void {
    const s = this.slots;
    for (let k = 0; k < s.length; k += SLOT) if (s[k + 1] !== 0) f(s[k + 1]!, s[k + 3]!, s[k + 2]!);
  }

  /** The first slot to probe for hash `h`: read it early so that its memory miss overlaps other work. */
  head(h: number): number {
    return this.slots[SLOT * ((Math.imul(h, 0x9e3779b1) >>> 0) & (this.cap - 1))]!;
  }

  find(id: string): number {
    return this.probe(id, strHash(id));
  }

  /** find(id) with its hash `h` = strHash(id). */
  probe(id: string, h: number): number {
    const s = this.slots;
    const m = this.cap - 1;
    const len = id.length;
    let j = (Math.imul(h, 0x9e3779b1) >>> 0) & m;
    for (;;) {
      const k = SLOT * j;
      const v = s[k + 1]!;
      if (v === 0) return -1;
      if (s[k] === h && s[k + 2] === len) {
        let i = 0;
        if (len <= INLINE_UNITS) {
          for (; i < len; i++) if (((s[k + 4 + (i >> 1)]! >>> (16 * (i & 1))) & 0xffff) !== id.charCodeAt(i)) break;
        } else {
          const u = this.pool.units;
          const off = s[k + 3]!;
          while (i < len && u[off + i] === id.charCodeAt(i)) i++;
        }
        if (i === len) return v;
      }
      j = (j + 1) & m;
    }
  }

  /** Add an id known to be absent. */
  add(id: string, vid: number): void {
    this.addHashed(id, strHash(id), vid);
  }

  /** add(id, vid) with its hash `h` = strHash(id). */
  addHashed(id: string, h: number, vid: number): void {
    const k = this.put(h, vid, id.length, this.pool.add(id));
    const s = this.slots;
    if (id.length <= INLINE_UNITS) for (let i = 0; i < id.length; i++) s[k + 4 + (i >> 1)] = s[k + 4 + (i >> 1)]! | (id.charCodeAt(i) << (16 * (i & 1)));
    if (++this.n * 10 > this.cap * 7) {
      const old = this.slots;
      const oc = this.cap;
      this.cap *= 2;
      this.slots = new Int32Array(this.cap * SLOT);
      const s2 = this.slots;
      for (let o = 0; o < oc * SLOT; o += SLOT) {
        if (old[o + 1] === 0) continue;
        const k = this.put(old[o]!, old[o + 1]!, old[o + 2]!, old[o + 3]!);
        s2[k + 4] = old[o + 4]!;
        s2[k + 5] = old[o + 5]!;
        s2[k + 6] = old[o + 6]!;
        s2[k + 7] = old[o + 7]!;
      }
    }
  }

  /** Place an entry; returns its slot's first word. */
  private put(h: number, vid: number, len: number, off: number): number {
    const s = this.slots;
    const m = this.cap - 1;
    let j = (Math.imul(h, 0x9e3779b1) >>> 0) & m;
    while (s[SLOT * j + 1] !== 0) j = (j + 1) & m;
    const k = SLOT * j;
    s[k] = h;
    s[k + 1] = vid;
    s[k + 2] = len;
    s[k + 3] = off;
    return k;
  }
}

/** The contents of an Interner (engine snapshots). */
export interface InternerParts {
  readonly typeNames: readonly string[];
  /** per ordinary value (id - VAL_BASE): its type id */
  readonly valType: Uint32Array;
  /** UTF-16 code units of every id text */
  readonly pool: Uint16Array;
  /** per ordinary value: [offset, length] of its id text in `pool` */
  readonly spans: Int32Array;
  /** per type (but Integer): its hash table slots [hash, value id, text offset, text length] */
  readonly tables: readonly { readonly type: string; readonly n: number; readonly slots: Int32Array<ArrayBuffer> }[];
  /** the Integer values' decimal texts, in id order, joined by "\n" */
  readonly ints: string;
}

export class Interner {
  /** type name -> type id */
  readonly typeIds = new Map<string, number>();
  readonly typeNames: string[] = [];
  /** type name -> (id -> value id), for every type but Integer */
  private readonly byType = new Map<string, IdTable>();
  /** per ordinary value: its type id and id text */
  private valType = new Uint32Array(1024);
  private valText: (string | undefined)[] = [];
  /** After a restore: [text offset, length] in the pool per restored value (texts made on demand). */
  private valSpan: Int32Array | undefined;
  private readonly ints = new Map<string, number>();
  private readonly intText: string[] = [];
  private readonly pool = new TextPool();
  private strings: IdTable;

  constructor() {
    for (const t of ["String", "Integer", "Boolean", "Resource", "Actor"]) this.type(t);
    this.strings = this.mapOf("String");
  }

  type(name: string): number {
    let id = this.typeIds.get(name);
    if (id === undefined) {
      id = this.typeNames.length;
      if (id >= MAX_TYPES) throw new Error("too many types");
      this.typeIds.set(name, id);
      this.typeNames.push(name);
    }
    return id;
  }

  private lastType = "";
  private lastTable: IdTable | undefined;

  /** The id table of a type (not Integer), made if new. */
  mapOf(type: string): IdTable {
    if (type === this.lastType && this.lastTable !== undefined) return this.lastTable;
    let m = this.byType.get(type);
    if (m === undefined) {
      m = new IdTable(this.pool);
      m.typeId = this.type(type);
      this.byType.set(type, m);
    }
    this.lastType = type;
    this.lastTable = m;
    return m;
  }

  /** The value id of a canonical value, interning it. */
  value(v: TypedValue): number {
    if (v.type === "Integer") return this.int(v.id);
    const m = this.mapOf(v.type);
    const have = m.find(v.id);
    if (have >= 0) return have;
    return this.add(m, v.type, v.id);
  }

  /** The value id of a canonical value if it is interned, else -1. */
  lookup(v: TypedValue): number {
    if (v.type === "Integer") return this.ints.get(v.id) ?? -1;
    return this.byType.get(v.type)?.find(v.id) ?? -1;
  }

  private tableOf(type: string): IdTable | undefined {
    if (type === "String") return this.strings;
    return type === this.lastType ? this.lastTable : this.byType.get(type);
  }

  /** Hot path: entity or String by type and id (both already valid), or -1. */
  find(type: string, id: string): number {
    const m = this.tableOf(type);
    return m === undefined ? -1 : m.find(id);
  }

  private pairTypeA = "";
  private pairTableA: IdTable | undefined;
  private pairTypeB = "";
  private pairTableB: IdTable | undefined;

  /** The second result of findPair. */
  pairSecond = -1;
  /** The type ids of findPair's two values (when found; read without touching valType). */
  pairTypeIdA = -1;
  pairTypeIdB = -1;
  /** Keeps findPair's early reads from being optimised away. */
  private touched = 0;

  /**
   * find(typeA, idA), and find(typeB, idB) into `pairSecond`, with both tables' first slots
   * read before either is probed, so that their memory misses overlap (a check's actor and
   * resource are usually in large tables, out of cache).
   */
  findPair(typeA: string, idA: string, typeB: string, idB: string): number {
    // (each side remembers its last type's table: checks repeat a few types)
    let ta = this.pairTableA;
    if (typeA !== this.pairTypeA || ta === undefined) {
      ta = this.pairTableA = this.tableOf(typeA);
      this.pairTypeA = typeA;
    }
    let tb = this.pairTableB;
    if (typeB !== this.pairTypeB || tb === undefined) {
      tb = this.pairTableB = this.tableOf(typeB);
      this.pairTypeB = typeB;
    }
    if (ta === undefined || tb === undefined) {
      this.pairSecond = tb === undefined ? -1 : tb.find(idB);
      return ta === undefined ? -1 : ta.find(idA);
    }
    const ha = strHash(idA);
    const hb = strHash(idB);
    this.touched = ta.head(ha) ^ tb.head(hb);
    this.pairSecond = tb.probe(idB, hb);
    this.pairTypeIdA = ta.typeId;
    this.pairTypeIdB = tb.typeId;
    return ta.probe(idA, ha);
  }

  /**
   * Hot path for entities: the id of (type, id), interning it if new. Returns -1 when the id
   * needs the full checks of toTypedValue (empty, or possibly longer than MAX_ID_BYTES).
   */
  findOrAdd(type: string, id: string): number {
    const m = this.mapOf(type);
    const have = m.find(id);
    if (have >= 0) return have;
    if (id.length === 0 || id.length * 3 > MAX_ID_BYTES) return -1;
    return this.add(m, type, id);
  }

  string(s: string): number {
    const have = this.strings.find(s);
    return have >= 0 ? have : this.add(this.strings, "String", s);
  }

  private add(m: IdTable, type: string, id: string): number {
    return this.addHashed(m, type, id, strHash(id));
  }

  /**
   * Intern an id known to be absent from `m` (the table of `type`) and valid (checked like
   * toTypedValue does), with its hash `h` = strHash(id).
   */
  addHashed(m: IdTable, type: string, id: string, h: number): number {
    const idx = this.valText.length;
    if (VAL_BASE + idx >= INT_BIT) throw new Error("too many values");
    const t = this.type(type);
    if (idx >= this.valType.length) {
      const n = new Uint32Array(this.valType.length * 2);
      n.set(this.valType);
      this.valType = n;
    }
    this.valType[idx] = t;
    this.valText.push(id);
    const vid = VAL_BASE + idx;
    m.addHashed(id, h, vid);
    return vid;
  }

  private int(text: string): number {
    const have = this.ints.get(text);
    if (have !== undefined) return have;
    const k = this.intText.length;
    if (k >= 0x7fffffff) throw new Error("too many integers");
    this.intText.push(text);
    const vid = (INT_BIT | k) >>> 0;
    this.ints.set(text, vid);
    return vid;
  }

  /** The type id of a value id (wildcards: their type). */
  typeOf(vid: number): number {
    if (vid >= INT_BIT) return TYPE_INTEGER;
    if (vid >= VAL_BASE) return this.valType[vid - VAL_BASE]!;
    return vid - 1;
  }

  /** Decode a value id (or a wildcard id) to an answer position. */
  decode(vid: number): AVal {
    vid >>>= 0;
    if (vid >= INT_BIT) return { type: "Integer", id: this.intText[vid - INT_BIT]! };
    if (vid >= VAL_BASE) return { type: this.typeNames[this.valType[vid - VAL_BASE]!]!, id: this.text(vid - VAL_BASE) };
    return { type: this.typeNames[vid - 1] ?? "?", id: null };
  }

  /** The id text of an ordinary value (not an Integer or a wildcard). */
  textOf(vid: number): string {
    return this.text(vid - VAL_BASE);
  }

  /** The id text of ordinary value `i` (vid - VAL_BASE). */
  private text(i: number): string {
    const t = this.valText[i];
    if (t !== undefined) return t;
    const off = this.valSpan![2 * i]!;
    const made = String.fromCharCode.apply(null, this.pool.units.subarray(off, off + this.valSpan![2 * i + 1]!) as unknown as number[]);
    this.valText[i] = made;
    return made;
  }

  /**
   * Per ordinary value: [its type id + 1, its rank in the type's id order] once its type is
   * ranked (see IdOrder), else [0, 0]. One read gives list both the type check and the rank.
   */
  private valRank = new Int32Array(0);

  /**
   * The id texts of those of `vids` that are ordinary values of type `type` (not Integer),
   * sorted in UTF-16 code unit order, or undefined if some vid is a wildcard. `scratch` (at
   * least vids.length long) is overwritten; `vids` is only read (it may be a view of the core's
   * output).
   */
  sortedTexts(type: string, vids: Uint32Array, scratch: Int32Array): string[] | undefined {
    const m = this.tableOf(type);
    const t = this.typeIds.get(type);
    const n = vids.length;
    if (m === undefined || t === undefined) {
      for (let i = 0; i < n; i++) if (vids[i]! < VAL_BASE) return undefined;
      return [];
    }
    if (this.valRank.length < 2 * this.valText.length) {
      const r = new Int32Array(2 * Math.max(this.valType.length, this.valText.length));
      r.set(this.valRank);
      this.valRank = r;
    }
    const vr = this.valRank;
    let k = 0;
    const tag = t + 1;
    if (m.order.fresh(m.size)) {
      // every value of the type is ranked: a value not tagged with it is of another type
      for (let i = 0; i < n; i++) {
        const v = vids[i]!;
        if (v < VAL_BASE) return undefined;
        if (v >= INT_BIT) continue;
        const x = v - VAL_BASE;
        if (vr[2 * x] === tag) scratch[k++] = vr[2 * x + 1]!;
      }
      return m.order.fromRanks(scratch.subarray(0, k));
    }
    for (let i = 0; i < n; i++) {
      const v = vids[i]!;
      if (v < VAL_BASE) return undefined;
      if (v < INT_BIT && this.valType[v - VAL_BASE] === t) scratch[k++] = v - VAL_BASE;
    }
    return m.order.sort(scratch.subarray(0, k), m.size, () => this.indicesOf(m), vr, tag, (i) => this.text(i));
  }

  /** Every id in a table: value index (vid - VAL_BASE) and text span in the pool. */
  private indicesOf(m: IdTable): IdEntries {
    const idx = new Int32Array(m.size);
    const off = new Int32Array(m.size);
    const len = new Int32Array(m.size);
    let o = 0;
    m.forEach((vid, at, n) => {
      idx[o] = vid - VAL_BASE;
      off[o] = at;
      len[o++] = n;
    });
    return { idx, off, len, units: this.pool.units };
  }

  /** Decode a concrete value id. */
  decodeValue(vid: number): TypedValue {
    const v = this.decode(vid);
    if (v.id === null) throw new Error(`value id ${vid} is a wildcard`);
    return v;
  }

  /** Send value types and Integer values the core has not seen yet. */
  flush(core: Core): void {
    while (core.flushedValues < this.valText.length) {
      const n = Math.min(this.valText.length - core.flushedValues, 1 << 16);
      const at = core.reserve(n);
      core.u32().set(this.valType.subarray(core.flushedValues, core.flushedValues + n), at);
      core.x.defineValues(n);
      core.flushedValues += n;
    }
    while (core.flushedInts < this.intText.length) {
      const n = Math.min(this.intText.length - core.flushedInts, 1 << 15);
      const at = core.reserve(2 * n);
      const view = core.u32();
      for (let i = 0; i < n; i++) {
        const v = BigInt(this.intText[core.flushedInts + i]!) & I64_MASK;
        view[at + 2 * i] = Number(v & 0xffffffffn);
        view[at + 2 * i + 1] = Number(v >> 32n);
      }
      core.x.defineInts(n);
      core.flushedInts += n;
    }
  }

  /** Everything the interner holds, for a snapshot (views into its tables: copy before changing it). */
  saveParts(): InternerParts {
    const tables: { type: string; n: number; slots: Int32Array<ArrayBuffer> }[] = [];
    const spans = new Int32Array(2 * this.valText.length);
    for (const [type, t] of this.byType) {
      tables.push({ type, ...t.save() });
      t.forEach((vid, off, len) => {
        spans[2 * (vid - VAL_BASE)] = off;
        spans[2 * (vid - VAL_BASE) + 1] = len;
      });
    }
    return {
      spans,
      typeNames: [...this.typeNames],
      valType: this.valType.subarray(0, this.valText.length),
      pool: this.pool.units.subarray(0, this.pool.length),
      tables,
      ints: this.intText.join("\n"),
    };
  }

  /** An interner holding `parts` (from saveParts), with the same value ids. */
  static fromParts(parts: InternerParts): Interner {
    const it = new Interner();
    if (parts.typeNames.slice(0, it.typeNames.length).join("\u0000") !== it.typeNames.join("\u0000")) throw new Error("built-in types differ");
    for (const t of parts.typeNames) it.type(t);
    const nv = parts.valType.length;
    let cap = it.valType.length;
    while (cap < nv) cap *= 2;
    it.valType = new Uint32Array(cap);
    it.valType.set(parts.valType);
    let pcap = it.pool.units.length;
    while (pcap < parts.pool.length) pcap *= 2;
    it.pool.units = new Uint16Array(pcap);
    it.pool.units.set(parts.pool);
    it.pool.length = parts.pool.length;
    const spans = parts.spans;
    if (spans.length !== 2 * nv) throw new Error("value count mismatch");
    for (let i = 0; i < nv; i++) {
      const off = spans[2 * i]!;
      const len = spans[2 * i + 1]!;
      if (off < 0 || len < 0 || off + len > parts.pool.length) throw new Error("bad value entry");
    }
    it.valSpan = spans;
    it.valText = new Array<string | undefined>(nv);
    let entries = 0;
    for (const { type, n, slots } of parts.tables) {
      const cap = slots.length >>> 2;
      if (cap === 0 || (cap & (cap - 1)) !== 0 || n * 10 > cap * 7) throw new Error(`bad table for ${type}`);
      it.mapOf(type).load(n, slots);
      entries += n;
    }
    if (entries !== nv) throw new Error("value count mismatch");
    it.lastType = "";
    it.lastTable = undefined;
    if (parts.ints !== "") {
      for (const t of parts.ints.split("\n")) {
        it.ints.set(t, (INT_BIT | it.intText.length) >>> 0);
        it.intText.push(t);
      }
    }
    return it;
  }

  /** Does the core lack some interned values? */
  dirty(core: Core): boolean {
    return core.flushedValues < this.valText.length || core.flushedInts < this.intText.length;
  }

  get valueCount(): number {
    return this.valText.length;
  }
}
