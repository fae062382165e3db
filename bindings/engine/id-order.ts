/**
 * The sort order of one type's ids (UTF-16 code unit order, as `list` returns them), kept as
 * integer ranks so that sorting a result is an integer sort, not string comparisons.
 *
 * The ranking is made on the first sort of the type (one string sort of all its ids). Ids
 * interned later make it stale: sorts then compare strings, and the ranking is made again once
 * the string comparisons spent since exceed what a ranking costs (amortised: at most about
 * twice the work of never ranking).
 */

/** Cost units of sorting n items by comparisons. */
function sortCost(n: number): number {
  return n < 2 ? 0 : n * Math.log2(n);
}

export class IdOrder {
  /** value indices of the type in id order, as of the ranking */
  private sorted: Int32Array = new Int32Array(0);
  /** the type's value count when ranked (-1: never) */
  private rankedCount = -1;
  /** comparisons spent on string sorts since the ranking went stale */
  private debt = 0;

  /**
   * The ids (value indices `idx`) sorted, as texts. `count`: the type's value count now;
   * `all()`: every value index of the type; `rank`: the interner's per-value ranks (indexed
   * by value index, written here); `text(i)`: the id text of value index i.
   */
  sort(idx: Int32Array, count: number, all: () => Int32Array, rank: Int32Array, text: (i: number) => string): string[] {
    const k = idx.length;
    if (this.rankedCount !== count) {
      if (this.rankedCount >= 0 && this.debt + sortCost(k) < sortCost(count)) {
        this.debt += sortCost(k);
        return stringSort(idx, text);
      }
      this.rank(all(), rank, text);
      this.rankedCount = count;
      this.debt = 0;
    }
    const out = new Array<string>(k);
    const sorted = this.sorted;
    if (k * 16 >= count) {
      // dense: mark the ranks in a bitmap and read it in order
      const bits = bitmap(count);
      for (let i = 0; i < k; i++) {
        const r = rank[idx[i]!]!;
        bits[r >>> 5] = bits[r >>> 5]! | (1 << (r & 31));
      }
      let o = 0;
      const words = (count + 31) >>> 5;
      for (let w = 0; w < words && o < k; w++) {
        let b = bits[w]!;
        if (b === 0) continue;
        bits[w] = 0;
        while (b !== 0) {
          const low = b & -b;
          out[o++] = text(sorted[(w << 5) + 31 - Math.clz32(low)]!);
          b ^= low;
        }
      }
      if (o < k) out.length = o;
      return out;
    }
    const ranks = new Int32Array(k);
    for (let i = 0; i < k; i++) ranks[i] = rank[idx[i]!]!;
    ranks.sort();
    for (let i = 0; i < k; i++) out[i] = text(sorted[ranks[i]!]!);
    return out;
  }

  private rank(all: Int32Array, rank: Int32Array, text: (i: number) => string): void {
    const n = all.length;
    const texts = new Array<string>(n);
    const pos = new Array<number>(n);
    for (let p = 0; p < n; p++) {
      texts[p] = text(all[p]!);
      pos[p] = p;
    }
    // ids of one type are distinct, so no comparison returns 0
    pos.sort((x, y) => (texts[x]! < texts[y]! ? -1 : 1));
    const sorted = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const i = all[pos[r]!]!;
      sorted[r] = i;
      rank[i] = r;
    }
    this.sorted = sorted;
  }
}

function stringSort(idx: Int32Array, text: (i: number) => string): string[] {
  const out = new Array<string>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = text(idx[i]!);
  return out.sort();
}

/** A zeroed scratch bitmap of at least n bits (sort leaves it zeroed). */
let scratch = new Int32Array(1024);
function bitmap(n: number): Int32Array {
  const words = (n + 31) >>> 5;
  if (scratch.length < words) scratch = new Int32Array(Math.max(words, 2 * scratch.length));
  return scratch;
}
