/**
 * Grouped interning for bulk fact writes. A large id table is out of cache, so each lookup's
 * first slot read is a memory miss; a group of already validated facts is interned in two
 * passes, the first hashing every id and reading its home slot (the misses overlap), the second
 * probing and adding in fact order (so value ids are the same as one fact at a time, and an id
 * new in the group that repeats later in it is found by the later lookup). An argument equal
 * to the same argument of one of the two facts before it takes that one's value id unlooked-up.
 */
import { type IdTable, type Interner, strHash } from "./intern.js";
import type { WordBuffer } from "./marshal.js";

/** Facts per group. */
export const GROUP_FACTS = 16;
/** Facts of more arguments are not grouped. */
export const GROUP_MAX_ARITY = 8;

export class FactGroup {
  /** facts pending */
  n = 0;
  private readonly rels = new Int32Array(GROUP_FACTS);
  private readonly arities = new Int32Array(GROUP_FACTS);
  /** per argument slot (fact * GROUP_MAX_ARITY + position): type name and id text */
  private readonly types: string[] = new Array<string>(GROUP_FACTS * GROUP_MAX_ARITY).fill("");
  private readonly ids: string[] = new Array<string>(GROUP_FACTS * GROUP_MAX_ARITY).fill("");
  /** per argument slot: a known value id (an entity handle's), else -1 */
  private readonly known = new Int32Array(GROUP_FACTS * GROUP_MAX_ARITY);
  private readonly hashes = new Int32Array(GROUP_FACTS * GROUP_MAX_ARITY);
  /** per argument slot: the earlier slot of the group holding the same value, else -1 */
  private readonly from = new Int32Array(GROUP_FACTS * GROUP_MAX_ARITY);
  /** per argument slot: its value id, once interned */
  private readonly vals = new Int32Array(GROUP_FACTS * GROUP_MAX_ARITY);
  private readonly tables: (IdTable | undefined)[] = new Array<IdTable | undefined>(GROUP_FACTS * GROUP_MAX_ARITY).fill(undefined);
  private readonly seenTypes: string[] = new Array<string>(GROUP_FACTS * GROUP_MAX_ARITY).fill("");
  private readonly seenTables: IdTable[] = [];
  /** Keeps the first pass's slot reads from being optimised away. */
  private touched = 0;

  /** Set argument `i` of the next fact: a valid id of `type` (not Integer or Boolean), or a handle's value id. */
  arg(i: number, type: string, id: string, known: number): void {
    const q = this.n * GROUP_MAX_ARITY + i;
    this.types[q] = type;
    this.ids[q] = id;
    this.known[q] = known;
  }

  /** Queue the next fact (its arguments set by arg); returns whether the group is full. */
  push(rel: number, arity: number): boolean {
    this.rels[this.n] = rel;
    this.arities[this.n] = arity;
    return ++this.n === GROUP_FACTS;
  }

  /** Intern the pending facts' arguments and append their records (rel, value ids) to `buf`. */
  flush(interner: Interner, buf: WordBuffer): void {
    const n = this.n;
    if (n === 0) return;
    this.n = 0;
    const { types, ids, known, hashes, tables, from, vals } = this;
    let words = 0;
    let touched = 0;
    // the group's types and their tables (a few: a relation sees few type shapes)
    const seenTypes = this.seenTypes;
    const seenTables = this.seenTables;
    let seen = 0;
    for (let f = 0; f < n; f++) {
      const arity = this.arities[f]!;
      words += 1 + arity;
      for (let q = f * GROUP_MAX_ARITY, end = q + arity; q < end; q++) {
        from[q] = -1;
        if (known[q]! >= 0) continue;
        const t = types[q]!;
        const id = ids[q]!;
        // the same value as in one of the two facts before (bulk loads come in runs): no lookup
        const i = q - f * GROUP_MAX_ARITY;
        if (f >= 1 && i < this.arities[f - 1]! && ids[q - GROUP_MAX_ARITY] === id && types[q - GROUP_MAX_ARITY] === t) {
          from[q] = q - GROUP_MAX_ARITY;
          continue;
        }
        if (f >= 2 && i < this.arities[f - 2]! && ids[q - 2 * GROUP_MAX_ARITY] === id && types[q - 2 * GROUP_MAX_ARITY] === t) {
          from[q] = q - 2 * GROUP_MAX_ARITY;
          continue;
        }
        let k = 0;
        while (k < seen && seenTypes[k] !== t) k++;
        if (k === seen) {
          seenTypes[seen] = t;
          seenTables[seen++] = interner.mapOf(t);
        }
        hashes[q] = strHash(id);
        tables[q] = seenTables[k]!;
      }
    }
    // a short loop of independent reads, so that many of them are in flight at once
    for (let f = 0; f < n; f++) {
      for (let q = f * GROUP_MAX_ARITY, end = q + this.arities[f]!; q < end; q++) if (known[q]! < 0 && from[q]! < 0) touched ^= tables[q]!.head(hashes[q]!);
    }
    this.touched = touched;
    buf.reserve(words);
    const w = buf.words;
    let p = buf.length;
    for (let f = 0; f < n; f++) {
      w[p++] = this.rels[f]!;
      for (let q = f * GROUP_MAX_ARITY, end = q + this.arities[f]!; q < end; q++) {
        let v = known[q]!;
        if (v < 0 && from[q]! >= 0) v = vals[from[q]!]!;
        else if (v < 0) {
          const m = tables[q]!;
          const id = ids[q]!;
          v = m.probe(id, hashes[q]!);
          if (v < 0) v = interner.addHashed(m, types[q]!, id, hashes[q]!);
        }
        vals[q] = v;
        w[p++] = v;
      }
    }
    buf.length = p;
    buf.count += n;
  }

  /** Drop references to the last group's strings and tables. */
  release(): void {
    this.types.fill("");
    this.ids.fill("");
    this.tables.fill(undefined);
    this.seenTypes.fill("");
    this.seenTables.length = 0;
  }
}
