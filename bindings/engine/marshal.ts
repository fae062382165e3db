/**
 * Moving facts, patterns and answers between JS values and the core's I/O buffers.
 * All views are taken after the last call that could grow memory.
 */
import type { TypedValue } from "../api/types.js";
import type { TypedPattern } from "../api/values.js";
import type { Tuple } from "./shared/answers.js";
import type { Interner } from "./intern.js";
import type { Core } from "./memory.js";
import { VAL_BASE } from "./intern.js";

/** One fact ready for the core: relation id and value ids. */
export interface FactRecord {
  readonly rel: number;
  readonly vids: readonly number[];
}

/** Words per chunk of fact records. */
const CHUNK_WORDS = 1 << 18;

/** Send fact records in chunks through `op` (insertFacts/deleteFacts/ctxInsert); returns the sum of results. */
export function sendFacts(core: Core, records: readonly FactRecord[], op: (n: number) => number): number {
  let total = 0;
  let i = 0;
  while (i < records.length) {
    let words = 0;
    let j = i;
    while (j < records.length && (words + records[j]!.vids.length + 1 <= CHUNK_WORDS || j === i)) {
      words += records[j]!.vids.length + 1;
      j++;
    }
    const at = core.reserve(words);
    const view = core.u32();
    let p = at;
    for (let k = i; k < j; k++) {
      const r = records[k]!;
      view[p++] = r.rel;
      for (const v of r.vids) view[p++] = v;
    }
    total += op(j - i) >>> 0;
    i = j;
  }
  return total;
}

export const NONE = 0xffffffff;

/**
 * Write a pattern for selectRows: arity value words (bound positions), then arity exact-type
 * words (NONE = any). Returns [mask, typed], or undefined when nothing can match (a value or
 * type the core has never seen).
 */
export function writePattern(core: Core, interner: Interner, pats: readonly TypedPattern[]): [mask: number, typed: number] | undefined {
  const n = pats.length;
  const words: number[] = new Array<number>(2 * n).fill(0);
  let mask = 0;
  let typed = 0;
  for (let i = 0; i < n; i++) {
    const p = pats[i]!;
    words[n + i] = NONE;
    if (p.id === null) {
      if (p.type !== null) {
        const t = interner.typeIds.get(p.type);
        if (t === undefined) return undefined;
        words[n + i] = t;
        typed = 1;
      }
    } else {
      const v = interner.lookup(p as TypedValue);
      if (v < 0) return undefined;
      words[i] = v;
      mask |= 1 << i;
    }
  }
  const at = core.reserve(2 * n);
  core.u32().set(words, at);
  return [mask >>> 0, typed];
}

/** Read `count` rows of `width` value ids from the output buffer. */
export function readRows(core: Core, count: number, width: number): Uint32Array {
  const at = core.out();
  return core.u32().slice(at, at + count * width);
}

/** Decode answer rows of the free positions into full tuples, given the bound positions. */
export function answerTuples(interner: Interner, rows: Uint32Array, arity: number, mask: number, boundVals: readonly (TypedValue | undefined)[]): Tuple[] {
  const free: number[] = [];
  for (let i = 0; i < arity; i++) if (!((mask >>> i) & 1)) free.push(i);
  const width = free.length;
  const count = width === 0 ? 0 : rows.length / width;
  const out: Tuple[] = [];
  for (let r = 0; r < count; r++) {
    const t = new Array<Tuple[number]>(arity);
    for (let i = 0; i < arity; i++) if ((mask >>> i) & 1) t[i] = boundVals[i]!;
    for (let k = 0; k < width; k++) t[free[k]!] = interner.decode(rows[r * width + k]!);
    out.push(t);
  }
  return out;
}

/** A growable buffer of fact records (rel, values...) on the JS side. */
export class WordBuffer {
  words: Uint32Array;
  length = 0;
  /** Number of records. */
  count = 0;

  constructor(capacity = 1024) {
    this.words = new Uint32Array(capacity);
  }

  reserve(n: number): void {
    if (this.length + n > this.words.length) {
      let c = this.words.length * 2;
      while (c < this.length + n) c *= 2;
      const w = new Uint32Array(c);
      w.set(this.words.subarray(0, this.length));
      this.words = w;
    }
  }

  clear(): void {
    this.length = 0;
    this.count = 0;
  }
}

/**
 * Send the records of a WordBuffer in chunks through `op` (insertFacts, ctxInsert...).
 * `arityOf(rel)` gives each record's length. Returns the sum of the results.
 */
export function sendWords(core: Core, buf: WordBuffer, arityOf: (rel: number) => number, op: (n: number) => number): number {
  let total = 0;
  let p = 0;
  const w = buf.words;
  while (p < buf.length) {
    let q = p;
    let n = 0;
    while (q < buf.length && (q - p < CHUNK_WORDS || n === 0)) {
      q += 1 + arityOf(w[q]!);
      n++;
    }
    const at = core.reserve(q - p);
    core.u32().set(w.subarray(p, q), at);
    total += op(n) >>> 0;
    p = q;
  }
  return total;
}

/** Batches at least this large are announced to the core first (storeReserve). */
export const RESERVE_MIN_FACTS = 4096;

/**
 * The shape of a batch for storeReserve: per relation [rel, count, d0 .. d(arity-1)], where dc
 * bounds how many different values column c holds (exact for ordinary values, below `idLimit`;
 * every Integer counted as new). The core sizes rows and index tables from it once, instead of growing 1.5×
 * at a time.
 */
export function batchShape(bufs: WordBuffer | readonly WordBuffer[], arityOf: (rel: number) => number, idLimit: number): Uint32Array {
  const setWords = (idLimit >>> 5) + 1;
  const counts: number[] = [];
  const seen: (Uint32Array | undefined)[] = [];
  const distinct: number[] = [];
  for (const buf of bufs instanceof WordBuffer ? [bufs] : bufs) {
    const w = buf.words;
    for (let p = 0; p < buf.length; ) {
      const rel = w[p]!;
      const arity = arityOf(rel);
      let bits = seen[rel];
      if (bits === undefined) {
        seen[rel] = bits = new Uint32Array(setWords * Math.min(arity, 8));
        counts[rel] = 0;
        for (let k = 0; k < arity; k++) distinct[rel * 8 + k] = 0;
      }
      counts[rel]!++;
      const d = rel * 8;
      for (let k = 0; k < arity && k < 8; k++) {
        const v = w[p + 1 + k]!;
        if (v >= idLimit) {
          distinct[d + k]!++;
          continue;
        }
        const i = k * setWords + (v >>> 5);
        const b = 1 << (v & 31);
        if ((bits[i]! & b) === 0) {
          bits[i] = bits[i]! | b;
          distinct[d + k]!++;
        }
      }
      p += 1 + arity;
    }
  }
  const out: number[] = [];
  counts.forEach((n, rel) => {
    out.push(rel, n);
    // columns beyond 8 are not tracked: bound them by the count
    for (let k = 0; k < arityOf(rel); k++) out.push(k < 8 ? distinct[rel * 8 + k]! : n);
  });
  return Uint32Array.from(out);
}

/**
 * Words per buffer of a bulk write's records: a large batch is kept in buffers of about this
 * size (the chunk sendWords sends) rather than one buffer doubling as it fills, which would
 * allocate (and first touch) twice the memory.
 */
export const BULK_BUFFER_WORDS = CHUNK_WORDS;

/** The buffer for a bulk write's next record: the last of `bufs`, or a new one once it is full. */
export function bulkBuffer(bufs: WordBuffer[]): WordBuffer {
  const last = bufs[bufs.length - 1];
  if (last !== undefined && last.length < BULK_BUFFER_WORDS) return last;
  // the first buffer starts small (most writes are small), the next ones at full size
  const next = new WordBuffer(last === undefined ? 1024 : BULK_BUFFER_WORDS + 1024);
  bufs.push(next);
  return next;
}

/** Insert buffers of facts, as one batch (announcing a large one first); returns how many were new. */
export function insertWords(core: Core, bufs: WordBuffer | readonly WordBuffer[], arityOf: (rel: number) => number): number {
  const list = bufs instanceof WordBuffer ? [bufs] : bufs;
  let count = 0;
  for (const b of list) count += b.count;
  if (count >= RESERVE_MIN_FACTS) {
    // ordinary value ids are below VAL_BASE + the values the core knows (the interner was flushed)
    const shape = batchShape(list, arityOf, VAL_BASE + core.flushedValues);
    let n = 0;
    for (let p = 0; p < shape.length; p += 2 + arityOf(shape[p]!)) n++;
    const at = core.reserve(shape.length);
    core.u32().set(shape, at);
    core.x.storeReserve(core.io, n);
  }
  let added = 0;
  for (const b of list) added += sendWords(core, b, arityOf, (n) => core.x.insertFacts(n));
  return added;
}
