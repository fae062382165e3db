/**
 * A plain set of ground facts, grouped by predicate key (`name/arity`). Facts are canonical
 * typed values; a fact exists at most once.
 */
import type { TypedValue } from "../api/types.js";
import type { TypedPattern } from "../api/values.js";
import { predKey, type PredKey } from "../compile/ir.js";
import { tupleKey } from "../engine/shared/answers.js";

export interface StoredFact {
  readonly pred: string;
  readonly args: readonly TypedValue[];
}

/** Does a canonical pattern position accept the value? `{type: null}` = any; `{type: T}` = exactly T. */
export function patternAccepts(p: TypedPattern, v: TypedValue): boolean {
  if (p.id === null) return p.type === null || p.type === v.type;
  return p.type === v.type && p.id === v.id;
}

export class FactStore {
  private readonly preds = new Map<PredKey, Map<string, StoredFact>>();

  get size(): number {
    let n = 0;
    for (const m of this.preds.values()) n += m.size;
    return n;
  }

  /** Adds the fact; false if it was already present. */
  insert(pred: string, args: readonly TypedValue[]): boolean {
    const key = predKey(pred, args.length);
    let m = this.preds.get(key);
    if (m === undefined) {
      m = new Map();
      this.preds.set(key, m);
    }
    const k = tupleKey(args);
    if (m.has(k)) return false;
    m.set(k, { pred, args });
    return true;
  }

  /** Facts of `pred/args.length` that the pattern accepts, in insertion order. */
  match(pred: string, pattern: readonly TypedPattern[]): StoredFact[] {
    const m = this.preds.get(predKey(pred, pattern.length));
    if (m === undefined) return [];
    const out: StoredFact[] = [];
    for (const f of m.values()) {
      if (pattern.every((p, i) => patternAccepts(p, f.args[i]!))) out.push(f);
    }
    return out;
  }

  /** Deletes every fact the pattern accepts; returns how many. */
  delete(pred: string, pattern: readonly TypedPattern[]): number {
    const key = predKey(pred, pattern.length);
    const m = this.preds.get(key);
    if (m === undefined) return 0;
    let n = 0;
    for (const [k, f] of m) {
      if (pattern.every((p, i) => patternAccepts(p, f.args[i]!))) {
        m.delete(k);
        n++;
      }
    }
    if (m.size === 0) this.preds.delete(key);
    return n;
  }

  /** The argument tuples of one predicate key. */
  tuples(key: PredKey): Iterable<readonly TypedValue[]> {
    const m = this.preds.get(key);
    if (m === undefined) return [];
    return [...m.values()].map((f) => f.args);
  }

  *all(): Iterable<StoredFact> {
    for (const m of this.preds.values()) yield* m.values();
  }

  clone(): FactStore {
    const c = new FactStore();
    for (const [k, m] of this.preds) c.preds.set(k, new Map(m));
    return c;
  }
}
