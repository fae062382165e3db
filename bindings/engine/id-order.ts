/**
 * The sort order of one type's ids (UTF-16 code unit order, as `list` returns them), kept as
 * integer ranks so that sorting a result is an integer sort, not string comparisons.
 *
 * The ranking is made on the first sort of the type (a radix sort of all its ids). Ids
 * interned later make it stale: sorts then compare strings, and the ranking is made again once
 * the string comparisons spent since exceed what a ranking costs (amortised: at most about
 * twice the work of never ranking).
 */

/** Cost units of sorting n items by comparisons. */
function sortCost(n: number): number {
  return n < 2 ? 0 : n * Math.log2(n);
}

export class IdOrder {
  /** the type's id texts in order, as of the ranking (rank -> text: no second lookup) */
  private sorted: string[] = [];
  /** the type's value count when ranked (-1: never) */
  private rankedCount = -1;
  /** comparisons spent on string sorts since the ranking went stale */
  private debt = 0;

  /** Is the ranking current for a type of `count` values? */
  fresh(count: number): boolean {
    return this.rankedCount === count;
  }

  /**
   * The ids (value indices `idx`) sorted, as texts, when the ranking may be stale. `count`:
   * the type's value count now; `all()`: every id of the type; `ranks`: the interner's
   * per-value [type tag, rank] pairs (written here for the type's values, tagged `tag`);
   * `text(i)`: the id text of value index i.
   */
  sort(idx: Int32Array, count: number, all: () => IdEntries, ranks: Int32Array, tag: number, text: (i: number) => string): string[] {
    const k = idx.length;
    if (this.rankedCount !== count) {
      if (this.rankedCount >= 0 && this.debt + sortCost(k) < sortCost(count)) {
        this.debt += sortCost(k);
        return stringSort(idx, text);
      }
      this.rank(all(), ranks, tag, text);
      this.rankedCount = count;
      this.debt = 0;
    }
    for (let i = 0; i < k; i++) idx[i] = ranks[2 * idx[i]! + 1]!;
    return this.fromRanks(idx);
  }

  /** The texts of the ids of ranks `r` (of the current ranking; distinct), in order. `r` is overwritten. */
  fromRanks(r: Int32Array): string[] {
    const k = r.length;
    const count = this.sorted.length;
    const out = new Array<string>(k);
    const sorted = this.sorted;
    if (k * 256 >= count) {
      // not sparse: mark the ranks in a bitmap and read it in order (cheaper than a sort); a
      // second level marks the bitmap's non-zero words, so the read skips empty stretches
      // without testing (and mispredicting on) every word
      const bits = bitmap(count);
      const marks = bitmapMarks(count);
      for (let i = 0; i < k; i++) {
        const x = r[i]!;
        const w = x >>> 5;
        bits[w] = bits[w]! | (1 << (x & 31));
        marks[w >>> 5] = marks[w >>> 5]! | (1 << (w & 31));
      }
      let o = 0;
      const groups = (count + 1023) >>> 10;
      for (let g = 0; g < groups; g++) {
        let m = marks[g]!;
        if (m === 0) continue;
        marks[g] = 0;
        while (m !== 0) {
          const lowW = m & -m;
          m ^= lowW;
          const w = (g << 5) + 31 - Math.clz32(lowW);
          let b = bits[w]!;
          bits[w] = 0;
          const base = (w << 5) + 31;
          while (b !== 0) {
            const low = b & -b;
            out[o++] = sorted[base - Math.clz32(low)]!;
            b ^= low;
          }
        }
      }
      if (o < k) out.length = o;
      return out;
    }
    r.sort();
    for (let i = 0; i < k; i++) out[i] = sorted[r[i]!]!;
    return out;
  }

  private rank(all: IdEntries, ranks: Int32Array, tag: number, text: (i: number) => string): void {
    const n = all.idx.length;
    const pos = new Int32Array(n);
    for (let p = 0; p < n; p++) pos[p] = p;
    let maxLen = 0;
    for (let p = 0; p < n; p++) if (all.len[p]! > maxLen) maxLen = all.len[p]!;
    if (maxLen * n <= LSD_MAX_DIGITS) lsdSort(pos, all, maxLen);
    else radixSort(pos, all);
    const sorted = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      const i = all.idx[pos[r]!]!;
      sorted[r] = text(i);
      ranks[2 * i] = tag;
      ranks[2 * i + 1] = r;
    }
    this.sorted = sorted;
  }
}

/** A type's ids: value index, and text offset and length in `units`, per entry. */
export interface IdEntries {
  readonly idx: Int32Array;
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly units: Uint16Array;
}

/** lsdSort's digit table (max id length × ids) at most this large, else radixSort. */
const LSD_MAX_DIGITS = 1 << 23;

/**
 * Sort entry positions by their texts (UTF-16 code unit order), least significant code unit
 * first (for short ids): stable counting sorts by `unit + 1` (0 past the end, so a prefix
 * sorts first), over only the range of units present at a position; positions where every id
 * has the same unit are skipped.
 */
export function lsdSort(pos: Int32Array, e: IdEntries, maxLen: number): void {
  const n = pos.length;
  const { off, len, units } = e;
  // the digits, one row per code unit position (each id's units read once, in a row)
  const rows = new Int32Array(maxLen * n);
  for (let p = 0; p < n; p++) {
    const o = off[p]!;
    const l = len[p]!;
    for (let d = 0; d < l; d++) rows[d * n + p] = units[o + d]! + 1;
  }
  const digit = new Int32Array(n);
  let src: Int32Array = pos;
  let dst: Int32Array = new Int32Array(n);
  let count = new Int32Array(0);
  for (let d = maxLen - 1; d >= 0; d--) {
    const row = d * n;
    let lo = 0x7fffffff;
    let hi = -1;
    for (let k = 0; k < n; k++) {
      const c = rows[row + src[k]!]!;
      digit[k] = c;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    if (lo === hi) continue;
    const buckets = hi - lo + 2;
    if (count.length < buckets) count = new Int32Array(buckets);
    else count.fill(0, 0, buckets);
    for (let k = 0; k < n; k++) count[digit[k]! - lo + 1]!++;
    for (let b = 1; b < buckets; b++) count[b]! += count[b - 1]!;
    for (let k = 0; k < n; k++) dst[count[digit[k]! - lo]!++] = src[k]!;
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== pos) pos.set(src);
}

/**
 * Sort entry positions by their texts (UTF-16 code unit order; the texts are distinct):
 * most-significant-digit first, two code units per digit, each group ordered by a native sort
 * of 64-bit keys [digit (34 bits) | position in the group (30 bits)]; small groups by
 * insertion. No string objects, no comparator calls.
 */
export function radixSort(pos: Int32Array, e: IdEntries): void {
  const n = pos.length;
  const keys = new BigUint64Array(n);
  const kw = new Uint32Array(keys.buffer);
  const tmp = new Int32Array(n);
  const { off, len, units } = e;
  // code unit + 1 at depth d, 0 past the end (the end sorts first)
  const at = (p: number, d: number): number => (d < len[p]! ? units[off[p]! + d]! + 1 : 0);
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    const m = hi - lo;
    if (m <= 16) {
      insertionSort(pos, lo, hi, d, e);
      continue;
    }
    for (let k = 0; k < m; k++) {
      const p = pos[lo + k]!;
      const c0 = at(p, d);
      const c1 = at(p, d + 1);
      // key = (c0 << 17 | c1) << 30 | k, little-endian words
      kw[2 * (lo + k)] = (((c1 & 3) << 30) | k) >>> 0;
      kw[2 * (lo + k) + 1] = ((c0 << 15) | (c1 >>> 2)) >>> 0;
    }
    keys.subarray(lo, hi).sort();
    for (let k = 0; k < m; k++) tmp[k] = pos[lo + (kw[2 * (lo + k)]! & 0x3fffffff)]!;
    pos.set(tmp.subarray(0, m), lo);
    // groups of equal digits (two code units, neither past the end) are ordered by the next ones
    let a = lo;
    while (a < hi) {
      const hw = kw[2 * a + 1]!;
      const lw = kw[2 * a]! >>> 30;
      let b = a + 1;
      while (b < hi && kw[2 * b + 1] === hw && kw[2 * b]! >>> 30 === lw) b++;
      if (b - a > 1 && hw >>> 15 !== 0 && ((hw & 0x7fff) << 2 | lw) !== 0) stack.push(a, b, d + 2);
      a = b;
    }
  }
}

/** Order pos[lo, hi) by the texts from code unit d on (the units before d are equal). */
function insertionSort(pos: Int32Array, lo: number, hi: number, d: number, e: IdEntries): void {
  const { off, len, units } = e;
  for (let i = lo + 1; i < hi; i++) {
    const p = pos[i]!;
    const op = off[p]!;
    const lp = len[p]!;
    let j = i - 1;
    while (j >= lo) {
      const q = pos[j]!;
      const oq = off[q]!;
      const lq = len[q]!;
      const l = lp < lq ? lp : lq;
      let k = d;
      while (k < l && units[oq + k] === units[op + k]) k++;
      // q after p?
      if (k < l ? units[oq + k]! < units[op + k]! : lq < lp) break;
      pos[j + 1] = q;
      j--;
    }
    pos[j + 1] = p;
  }
}

function stringSort(idx: Int32Array, text: (i: number) => string): string[] {
  const out = new Array<string>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = text(idx[i]!);
  return out.sort();
}

/** A zeroed scratch bitmap of at least n bits (fromRanks leaves it zeroed). */
let scratch = new Int32Array(1024);
function bitmap(n: number): Int32Array {
  const words = (n + 31) >>> 5;
  if (scratch.length < words) scratch = new Int32Array(Math.max(words, 2 * scratch.length));
  return scratch;
}

/** A zeroed scratch bitmap with a bit per word of bitmap(n) (fromRanks leaves it zeroed). */
let scratchMarks = new Int32Array(32);
function bitmapMarks(n: number): Int32Array {
  const words = (n + 1023) >>> 10;
  if (scratchMarks.length < words) scratchMarks = new Int32Array(Math.max(words, 2 * scratchMarks.length));
  return scratchMarks;
}
