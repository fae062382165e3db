/**
 * A set of answer tuples (values and typed wildcards) with lazily built per-position indexes.
 * Indexes are only an optimisation: `candidates(pos, v)` returns a superset of the tuples
 * whose position `pos` unifies with the concrete value `v` (the tuples holding `v` there,
 * plus every tuple holding a wildcard there).
 */
import type { TypedValue } from "../api/types.js";
import { avalKey, tupleKey, type Tuple } from "../engine/shared/answers.js";

interface PosIndex {
  readonly vals: Map<string, Tuple[]>;
  readonly wild: Tuple[];
}

const NONE: readonly Tuple[] = [];

export class Relation {
  private readonly keys = new Set<string>();
  private readonly list: Tuple[] = [];
  private readonly indexes: (PosIndex | undefined)[] = [];

  get size(): number {
    return this.list.length;
  }

  get tuples(): readonly Tuple[] {
    return this.list;
  }

  has(t: Tuple): boolean {
    return this.keys.has(tupleKey(t));
  }

  /** Adds the tuple; false if it was already present. */
  add(t: Tuple): boolean {
    const k = tupleKey(t);
    if (this.keys.has(k)) return false;
    this.keys.add(k);
    this.list.push(t);
    for (let pos = 0; pos < this.indexes.length; pos++) {
      const ix = this.indexes[pos];
      if (ix !== undefined) indexTuple(ix, pos, t);
    }
    return true;
  }

  /** Tuples that may unify with `v` at `pos`: [exact matches, wildcards at pos]. */
  candidates(pos: number, v: TypedValue): readonly (readonly Tuple[])[] {
    let ix = this.indexes[pos];
    if (ix === undefined) {
      ix = { vals: new Map(), wild: [] };
      for (const t of this.list) indexTuple(ix, pos, t);
      while (this.indexes.length < pos) this.indexes.push(undefined);
      this.indexes[pos] = ix;
    }
    return [ix.vals.get(avalKey(v)) ?? NONE, ix.wild];
  }
}

function indexTuple(ix: PosIndex, pos: number, t: Tuple): void {
  const v = t[pos];
  if (v === undefined) return;
  if (v.id === null) {
    ix.wild.push(t);
    return;
  }
  const k = avalKey(v);
  const bucket = ix.vals.get(k);
  if (bucket === undefined) ix.vals.set(k, [t]);
  else bucket.push(t);
}
