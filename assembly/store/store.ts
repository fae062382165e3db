// The fact store: one relation per predicate/arity, open-addressing hash indexes, a free list.
//
// Rows. A relation of arity a >= 2 stores each row as 2a u32 words: the a values, then one
// "next" link per column, used by that column's index (rows with the same key are chained,
// newest first; NONE ends a chain). The link lives in the row's cache line, so walking a chain
// costs one memory access per row. Arity 0 and 1 rows are one word (no chains). A deleted row
// has 0 in its first word and goes on the free list.
//
// Indexes. Two kinds:
//   - single-column (mask has one bit, arity >= 2): slot = [key value, head row + 1]; the key
//     is compared in the slot, without touching rows. Plans ask only for these (other key
//     columns are checked on the chain's rows); a multi-column request maps to the index of
//     its lowest column.
//   - full-key (mask = all columns): slot = [hash, row + 1], one row per slot: the dedup set.
//     It exists only when no single-column index can serve as the dedup carrier (see relFind).
// Slots use linear probing over any capacity (fastrange), grow by 1.5x at load 0.8, and are
// removed by backward-shift deletion, so deleting leaves no trace. Per-index prev[] arrays make
// unlinking O(1).
//
// Relation record (REL_WORDS words): ARITY STRIDE ROWS CAP NROWS LIVE FREE FREECAP NFREE IDXHEAD DEDUP EXISTS
// Index record (IDX_WORDS words):    REL MASK SLOTS CAP USED COL PREV CHAINED NEXTREL
import { NONE, zalloc, regrow, nextCap, hmix, hfin, ld, st } from "../util/mem";

const REL_WORDS: u32 = 12;
const R_ARITY: u32 = 0;
const R_STRIDE: u32 = 1;
const R_ROWS: u32 = 2;
const R_CAP: u32 = 3;
const R_NROWS: u32 = 4;
const R_LIVE: u32 = 5;
const R_FREE: u32 = 6;
const R_FREECAP: u32 = 7;
const R_NFREE: u32 = 8;
const R_IDXHEAD: u32 = 9;
const R_DEDUP: u32 = 10;
const R_EXISTS: u32 = 11;

const IDX_WORDS: u32 = 10;
const I_REL: u32 = 0;
const I_MASK: u32 = 1;
const I_SLOTS: u32 = 2;
const I_CAP: u32 = 3;
const I_USED: u32 = 4;
const I_COL: u32 = 5;
const I_PREV: u32 = 6;
const I_CHAINED: u32 = 7;
const I_NEXTREL: u32 = 8;

/** Rows a dedup check walks on a chain before a full-key index is built instead. */
const DEDUP_WALK: u32 = 48;

let relTab: usize = 0;
let relCap: u32 = 0;
export let nRels: u32 = 0;

let idxTab: usize = 0;
let idxCap: u32 = 0;
export let nIdx: u32 = 0;

@inline function R(rel: u32, f: u32): usize {
  return relTab + ((<usize>(rel * REL_WORDS + f)) << 2);
}
@inline function I(idx: u32, f: u32): usize {
  return idxTab + ((<usize>(idx * IDX_WORDS + f)) << 2);
}

@inline export function relArity(rel: u32): u32 { return ld(R(rel, R_ARITY)); }
@inline export function relStride(rel: u32): u32 { return ld(R(rel, R_STRIDE)); }
@inline export function relRows(rel: u32): usize { return <usize>ld(R(rel, R_ROWS)); }
@inline export function relNRows(rel: u32): u32 { return ld(R(rel, R_NROWS)); }
@inline export function relLive(rel: u32): u32 { return rel < nRels ? ld(R(rel, R_LIVE)) : 0; }
@inline export function relExists(rel: u32): bool { return rel < nRels && ld(R(rel, R_EXISTS)) != 0; }
@inline export function idxRel(idx: u32): u32 { return ld(I(idx, I_REL)); }
@inline export function idxMask(idx: u32): u32 { return ld(I(idx, I_MASK)); }
@inline export function idxChained(idx: u32): bool { return ld(I(idx, I_CHAINED)) != 0; }
@inline export function rowPtr(rel: u32, row: u32): usize {
  return relRows(rel) + ((<usize>(row * relStride(rel))) << 2);
}
/** The next row of `row`'s chain in a single-column index. */
@inline export function idxNext(idx: u32, row: u32): u32 {
  const rel = ld(I(idx, I_REL));
  return ld(rowPtr(rel, row) + ((<usize>(relArity(rel) + ld(I(idx, I_COL)))) << 2));
}
@inline export function fullMask(arity: u32): u32 { return arity >= 32 ? 0xFFFFFFFF : (<u32>1 << arity) - 1; }

/** Hash of the masked columns of `p` (a row or a key laid out like a row). */
@inline export function hashKey(p: usize, mask: u32): u32 {
  let h: u32 = 0x9747b28c;
  let m = mask;
  while (m != 0) {
    const pos = ctz(m);
    m &= m - 1;
    h = hmix(h, ld(p + (<usize>pos << 2)));
  }
  return hfin(h ^ mask);
}

/** Home slot of a hash in a table of `cap` slots (fastrange: any capacity works). */
@inline function home(h: u32, cap: u32): u32 {
  return <u32>((<u64>h * <u64>cap) >>> 32);
}

@inline function nextSlot(j: u32, cap: u32): u32 {
  const k = j + 1;
  return k == cap ? 0 : k;
}

/** The hash a slot was placed by: single-column slots hold the key value itself. */
@inline function slotHash(chained: bool, word: u32): u32 {
  return chained ? hfin(word ^ 0x9747b28c) : word;
}

@inline function keyEq(a: usize, b: usize, mask: u32): bool {
  let m = mask;
  while (m != 0) {
    const pos = ctz(m);
    m &= m - 1;
    if (ld(a + (<usize>pos << 2)) != ld(b + (<usize>pos << 2))) return false;
  }
  return true;
}

// ------------------------------------------------------------------ relations

/** Make sure relation `rel` exists with `arity`. Returns 0, or 1 when it exists with another arity. */
export function relEnsure(rel: u32, arity: u32): u32 {
  if (rel >= relCap) {
    const c = nextCap(relCap, rel + 1, 16);
    relTab = regrow(relTab, <usize>(relCap * REL_WORDS) << 2, <usize>(c * REL_WORDS) << 2);
    relCap = c;
  }
  if (rel >= nRels) nRels = rel + 1;
  if (ld(R(rel, R_EXISTS)) != 0) return ld(R(rel, R_ARITY)) == arity ? 0 : 1;
  st(R(rel, R_EXISTS), 1);
  st(R(rel, R_ARITY), arity);
  st(R(rel, R_STRIDE), arity >= 2 ? 2 * arity : 1);
  st(R(rel, R_IDXHEAD), NONE);
  st(R(rel, R_DEDUP), NONE);
  return 0;
}

function relGrow(rel: u32, need: u32): void {
  const cap = ld(R(rel, R_CAP));
  if (need <= cap) return;
  relGrowTo(rel, nextCap(cap, need, 64));
}

/** Resize a buffer without zeroing: rows past NROWS and their prev[] words are written before use. */
@inline function resize(ptr: usize, bytes: usize): usize {
  return ptr == 0 ? heap.alloc(bytes) : heap.realloc(ptr, bytes);
}

/** Grow the rows (and every chained index's prev[]) to exactly `c` rows. */
function relGrowTo(rel: u32, c: u32): void {
  const cap = ld(R(rel, R_CAP));
  if (c <= cap) return;
  const stride = relStride(rel);
  st(R(rel, R_ROWS), <u32>resize(relRows(rel), <usize>(c * stride) << 2));
  st(R(rel, R_CAP), c);
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    if (idxChained(idx)) st(I(idx, I_PREV), <u32>resize(<usize>ld(I(idx, I_PREV)), <usize>c << 2));
    idx = ld(I(idx, I_NEXTREL));
  }
}

/**
 * Make room for `n` more rows of an empty relation (one reallocation for a whole batch). A
 * relation holding facts grows on demand: the batch may repeat stored facts.
 */
export function relReserve(rel: u32, n: u32): void {
  if (ld(R(rel, R_LIVE)) != 0) return;
  const nfree = ld(R(rel, R_NFREE));
  if (n > nfree) relGrow(rel, ld(R(rel, R_NROWS)) + (n - nfree));
}

// ------------------------------------------------------------------ indexes

/**
 * Find the index of (rel, mask), creating (and building) it if needed. Mask 0 = scan; a mask
 * of several (but not all) columns maps to the index of its lowest column.
 */
export function idxEnsure(rel: u32, mask: u32): u32 {
  const arity = relArity(rel);
  const full = fullMask(arity);
  mask &= full;
  if (mask != full && popcnt(mask) > 1) mask &= ~mask + 1;
  for (let i: u32 = 0; i < nIdx; i++) {
    if (ld(I(i, I_REL)) == rel && ld(I(i, I_MASK)) == mask) return i;
  }
  return idxCreate(rel, mask);
}

/** The single-column index of `col`, or NONE. */
export function idxOfColumn(rel: u32, col: u32): u32 {
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    if (idxChained(idx) && ld(I(idx, I_COL)) == col) return idx;
    idx = ld(I(idx, I_NEXTREL));
  }
  return NONE;
}

/** The full-key index, or NONE. */
export function idxFull(rel: u32): u32 {
  const full = fullMask(relArity(rel));
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    if (ld(I(idx, I_MASK)) == full) return idx;
    idx = ld(I(idx, I_NEXTREL));
  }
  return NONE;
}

function idxCreate(rel: u32, mask: u32): u32 {
  if (nIdx >= idxCap) {
    const c = nextCap(idxCap, nIdx + 1, 16);
    idxTab = regrow(idxTab, <usize>(idxCap * IDX_WORDS) << 2, <usize>(c * IDX_WORDS) << 2);
    idxCap = c;
  }
  const idx = nIdx++;
  st(I(idx, I_REL), rel);
  st(I(idx, I_MASK), mask);
  st(I(idx, I_NEXTREL), NONE);
  if (mask == 0) return idx; // scan pseudo-index: not maintained
  const arity = relArity(rel);
  const chained: bool = mask != fullMask(arity);
  st(I(idx, I_CHAINED), chained ? 1 : 0);
  st(I(idx, I_COL), ctz(mask));
  const cap: u32 = 16;
  st(I(idx, I_SLOTS), <u32>zalloc(<usize>cap << 3));
  st(I(idx, I_CAP), cap);
  st(I(idx, I_USED), 0);
  if (chained) {
    const rcap = ld(R(rel, R_CAP));
    st(I(idx, I_PREV), <u32>zalloc(<usize>(rcap < 1 ? 1 : rcap) << 2));
  }
  st(I(idx, I_NEXTREL), ld(R(rel, R_IDXHEAD)));
  st(R(rel, R_IDXHEAD), idx);
  // build over existing rows
  const n = relNRows(rel);
  const rows = relRows(rel);
  const stride = relStride(rel);
  for (let r: u32 = 0; r < n; r++) {
    if (ld(rows + ((<usize>(r * stride)) << 2)) != 0) idxInsertRow(idx, r);
  }
  return idx;
}

function idxRehash(idx: u32): void {
  const oldCap = ld(I(idx, I_CAP));
  idxRehashTo(idx, oldCap + (oldCap >>> 1));
}

/** Move an index's slots to a table of `cap` slots (cap > used / 0.8). */
function idxRehashTo(idx: u32, cap: u32): void {
  const oldCap = ld(I(idx, I_CAP));
  const oldSlots = <usize>ld(I(idx, I_SLOTS));
  const chained = ld(I(idx, I_CHAINED)) != 0;
  const slots = zalloc(<usize>cap << 3);
  for (let i: u32 = 0; i < oldCap; i++) {
    const s = oldSlots + (<usize>i << 3);
    const head = ld(s + 4);
    if (head == 0) continue;
    const w = ld(s);
    let j = home(slotHash(chained, w), cap);
    while (ld(slots + (<usize>j << 3) + 4) != 0) j = nextSlot(j, cap);
    st(slots + (<usize>j << 3), w);
    st(slots + (<usize>j << 3) + 4, head);
  }
  heap.free(oldSlots);
  st(I(idx, I_SLOTS), <u32>slots);
  st(I(idx, I_CAP), cap);
}

/** The first row whose masked columns equal those of `key` (laid out like a row), or NONE. */
export function idxFind(idx: u32, key: usize): u32 {
  const slots = <usize>ld(I(idx, I_SLOTS));
  const cap = ld(I(idx, I_CAP));
  if (ld(I(idx, I_CHAINED)) != 0) {
    const k = ld(key + (<usize>ld(I(idx, I_COL)) << 2));
    let j = home(slotHash(true, k), cap);
    while (true) {
      const s = slots + (<usize>j << 3);
      const head = ld(s + 4);
      if (head == 0) return NONE;
      if (ld(s) == k) return head - 1;
      j = nextSlot(j, cap);
    }
  }
  const rel = ld(I(idx, I_REL));
  const mask = ld(I(idx, I_MASK));
  const h = hashKey(key, mask);
  const rows = relRows(rel);
  const stride = relStride(rel);
  let j = home(h, cap);
  while (true) {
    const s = slots + (<usize>j << 3);
    const head = ld(s + 4);
    if (head == 0) return NONE;
    if (ld(s) == h && keyEq(rows + ((<usize>((head - 1) * stride)) << 2), key, mask)) return head - 1;
    j = nextSlot(j, cap);
  }
}

/** Smallest index (in 8-byte slots) that idxTouch reads. */
const TOUCH_MIN_SLOTS: u32 = 32768;

/**
 * Read the home slot of value `v` in single-column index `idx` and, when the slot holds it,
 * the first word of its newest row: a hint that brings both into cache (TOUCH). Returns what
 * it read, so the reads are kept.
 */
export function idxTouch(idx: u32, v: u32): u32 {
  // (a table of under 256 KB stays in cache: reading it early gains nothing)
  const cap = ld(I(idx, I_CAP));
  if (cap < TOUCH_MIN_SLOTS || ld(I(idx, I_CHAINED)) == 0) return 0;
  const s = <usize>ld(I(idx, I_SLOTS)) + (<usize>home(slotHash(true, v), cap) << 3);
  const head = ld(s + 4);
  if (head == 0 || ld(s) != v) return head;
  return ld(rowPtr(ld(I(idx, I_REL)), head - 1));
}

function idxInsertRow(idx: u32, row: u32): void {
  const rel = ld(I(idx, I_REL));
  const rp = rowPtr(rel, row);
  const chained = ld(I(idx, I_CHAINED)) != 0;
  const slots = <usize>ld(I(idx, I_SLOTS));
  const cap = ld(I(idx, I_CAP));
  let w: u32;
  let h: u32;
  const mask = ld(I(idx, I_MASK));
  if (chained) {
    w = ld(rp + (<usize>ld(I(idx, I_COL)) << 2));
    h = slotHash(true, w);
  } else {
    h = hashKey(rp, mask);
    w = h;
  }
  let j = home(h, cap);
  while (true) {
    const s = slots + (<usize>j << 3);
    const head = ld(s + 4);
    if (head == 0) {
      st(s, w);
      st(s + 4, row + 1);
      if (chained) {
        st(rp + ((<usize>(relArity(rel) + ld(I(idx, I_COL)))) << 2), NONE);
        st(<usize>ld(I(idx, I_PREV)) + (<usize>row << 2), NONE);
      }
      const used = ld(I(idx, I_USED)) + 1;
      st(I(idx, I_USED), used);
      if (used * 5 > cap * 4) idxRehash(idx);
      return;
    }
    if (ld(s) == w) {
      if (chained) {
        const old = head - 1;
        const prev = <usize>ld(I(idx, I_PREV));
        st(rp + ((<usize>(relArity(rel) + ld(I(idx, I_COL)))) << 2), old);
        st(prev + (<usize>row << 2), NONE);
        st(prev + (<usize>old << 2), row);
        st(s + 4, row + 1);
        return;
      }
      if (keyEq(rowPtr(rel, head - 1), rp, mask)) return; // already present (callers check first)
    }
    j = nextSlot(j, cap);
  }
}

/** Remove slot j by backward-shift deletion (linear probing keeps no tombstones). */
function slotRemove(idx: u32, j0: u32): void {
  const slots = <usize>ld(I(idx, I_SLOTS));
  const cap = ld(I(idx, I_CAP));
  const chained = ld(I(idx, I_CHAINED)) != 0;
  let i = j0;
  let j = j0;
  while (true) {
    j = nextSlot(j, cap);
    const sj = slots + (<usize>j << 3);
    if (ld(sj + 4) == 0) break;
    const k = home(slotHash(chained, ld(sj)), cap);
    const stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    const si = slots + (<usize>i << 3);
    st(si, ld(sj));
    st(si + 4, ld(sj + 4));
    i = j;
  }
  st(slots + (<usize>i << 3), 0);
  st(slots + (<usize>i << 3) + 4, 0);
  st(I(idx, I_USED), ld(I(idx, I_USED)) - 1);
}

function idxRemoveRow(idx: u32, row: u32): void {
  if (ld(I(idx, I_CHAINED)) != 0) {
    const rel = ld(I(idx, I_REL));
    const link = (<usize>(relArity(rel) + ld(I(idx, I_COL)))) << 2;
    const prev = <usize>ld(I(idx, I_PREV));
    const p = ld(prev + (<usize>row << 2));
    const n = ld(rowPtr(rel, row) + link);
    if (p != NONE) {
      st(rowPtr(rel, p) + link, n);
      if (n != NONE) st(prev + (<usize>n << 2), p);
      return;
    }
    // row heads its chain: find its slot
    const j = slotOfHead(idx, row);
    if (n != NONE) {
      st(prev + (<usize>n << 2), NONE);
      st(<usize>ld(I(idx, I_SLOTS)) + (<usize>j << 3) + 4, n + 1);
      return;
    }
    slotRemove(idx, j);
    return;
  }
  slotRemove(idx, slotOfHead(idx, row));
}

function slotOfHead(idx: u32, row: u32): u32 {
  const rel = ld(I(idx, I_REL));
  const chained = ld(I(idx, I_CHAINED)) != 0;
  const rp = rowPtr(rel, row);
  const h = chained ? slotHash(true, ld(rp + (<usize>ld(I(idx, I_COL)) << 2))) : hashKey(rp, ld(I(idx, I_MASK)));
  const slots = <usize>ld(I(idx, I_SLOTS));
  const cap = ld(I(idx, I_CAP));
  let j = home(h, cap);
  while (true) {
    const s = slots + (<usize>j << 3);
    const head = ld(s + 4);
    if (head == row + 1) return j;
    if (head == 0) return NONE; // not found (should not happen)
    j = nextSlot(j, cap);
  }
}

// ------------------------------------------------------------------ facts

/**
 * The index that decides whether a fact is stored: the single-column index of the lowest
 * column (its chains hold every copy of a fact), or a full-key index if there is none. Sharing
 * an index the plans need saves a whole hash table per relation.
 */
function chooseDedup(rel: u32): u32 {
  let best: u32 = NONE;
  let bestCol: u32 = 0xFFFFFFFF;
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    if (!idxChained(idx)) {
      best = idx;
      break;
    }
    const c = ld(I(idx, I_COL));
    if (c < bestCol) {
      best = idx;
      bestCol = c;
    }
    idx = ld(I(idx, I_NEXTREL));
  }
  if (best == NONE) best = idxCreate(rel, fullMask(relArity(rel)));
  st(R(rel, R_DEDUP), best);
  return best;
}

/** Find a stored row equal to the arity values at `vals`; NONE if absent. */
export function relFind(rel: u32, vals: usize): u32 {
  const arity = relArity(rel);
  if (arity == 0) return ld(R(rel, R_LIVE)) != 0 ? 0 : NONE;
  let d = ld(R(rel, R_DEDUP));
  if (d == NONE) d = chooseDedup(rel);
  if (!idxChained(d)) return idxFind(d, vals);
  const full = fullMask(arity);
  const link = (<usize>(arity + ld(I(d, I_COL)))) << 2;
  let row = idxFind(d, vals);
  let walked: u32 = 0;
  while (row != NONE) {
    const rp = rowPtr(rel, row);
    if (keyEq(rp, vals, full)) return row;
    if (++walked > DEDUP_WALK) {
      // long chains: build a full-key index once and use it from now on
      const f = idxCreate(rel, full);
      st(R(rel, R_DEDUP), f);
      return idxFind(f, vals);
    }
    row = ld(rp + link);
  }
  return NONE;
}

/**
 * Read the home slot of the fact at `vals` in each index of `rel` (what inserting it reads
 * first); returns their XOR, so that the reads are kept. A bulk insert touches a group of facts
 * this way before inserting them, so that their memory misses overlap instead of coming one at
 * a time.
 */
export function relTouch(rel: u32, vals: usize): u32 {
  let t: u32 = 0;
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    const chained = ld(I(idx, I_CHAINED)) != 0;
    const h = chained ? slotHash(true, ld(vals + (<usize>ld(I(idx, I_COL)) << 2))) : hashKey(vals, ld(I(idx, I_MASK)));
    t ^= ld(<usize>ld(I(idx, I_SLOTS)) + (<usize>home(h, ld(I(idx, I_CAP))) << 3) + 4);
    idx = ld(I(idx, I_NEXTREL));
  }
  return t;
}

/** Insert the fact at `vals` (arity words). Returns the new row id, or NONE when already present. */
export function relInsert(rel: u32, vals: usize): u32 {
  const arity = relArity(rel);
  if (relFind(rel, vals) != NONE) return NONE;
  let row: u32;
  const nfree = ld(R(rel, R_NFREE));
  if (nfree > 0) {
    row = ld(<usize>ld(R(rel, R_FREE)) + (<usize>(nfree - 1) << 2));
    st(R(rel, R_NFREE), nfree - 1);
  } else {
    row = ld(R(rel, R_NROWS));
    if (row >= ld(R(rel, R_CAP))) relGrow(rel, row + 1);
    st(R(rel, R_NROWS), row + 1);
  }
  const rp = rowPtr(rel, row);
  if (arity == 0) st(rp, 1);
  // a word loop: memory.copy is a host call, dear for a few words
  else for (let c: u32 = 0; c < arity; c++) st(rp + (<usize>c << 2), ld(vals + (<usize>c << 2)));
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    idxInsertRow(idx, row);
    idx = ld(I(idx, I_NEXTREL));
  }
  st(R(rel, R_LIVE), ld(R(rel, R_LIVE)) + 1);
  return row;
}

/** Delete a row: unlink it from every index and put it on the free list. */
export function relDeleteRow(rel: u32, row: u32): void {
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    idxRemoveRow(idx, row);
    idx = ld(I(idx, I_NEXTREL));
  }
  st(rowPtr(rel, row), 0);
  const nfree = ld(R(rel, R_NFREE));
  const fcap = ld(R(rel, R_FREECAP));
  if (nfree >= fcap) {
    const c = nextCap(fcap, nfree + 1, 64);
    st(R(rel, R_FREE), <u32>regrow(<usize>ld(R(rel, R_FREE)), <usize>fcap << 2, <usize>c << 2));
    st(R(rel, R_FREECAP), c);
  }
  st(<usize>ld(R(rel, R_FREE)) + (<usize>nfree << 2), row);
  st(R(rel, R_NFREE), nfree + 1);
  const live = ld(R(rel, R_LIVE)) - 1;
  st(R(rel, R_LIVE), live);
  if (live == 0) {
    // everything deleted: forget the free list and the high-water mark
    st(R(rel, R_NFREE), 0);
    st(R(rel, R_NROWS), 0);
  }
}

/** Delete the fact at `vals`. Returns true if it was stored. */
export function relDelete(rel: u32, vals: usize): bool {
  const row = relFind(rel, vals);
  if (row == NONE) return false;
  relDeleteRow(rel, row);
  return true;
}

/** Next live row >= from, or NONE. */
export function relNextLive(rel: u32, from: u32): u32 {
  const n = relNRows(rel);
  const rows = relRows(rel);
  const stride = relStride(rel);
  for (let r = from; r < n; r++) {
    if (ld(rows + ((<usize>(r * stride)) << 2)) != 0) return r;
  }
  return NONE;
}

/** Number of occupied slots of an index (0 for the scan pseudo-index). */
export function idxUsed(idx: u32): u32 {
  return ld(I(idx, I_USED));
}

/** Bytes held by a relation and its indexes (for memory accounting). */
export function relBytes(rel: u32): u32 {
  if (!relExists(rel)) return 0;
  const cap = ld(R(rel, R_CAP));
  let b: u32 = cap * relStride(rel) * 4 + ld(R(rel, R_FREECAP)) * 4;
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    b += ld(I(idx, I_CAP)) * 8;
    if (idxChained(idx)) b += cap * 4;
    idx = ld(I(idx, I_NEXTREL));
  }
  return b;
}

// ------------------------------------------------------------------ batches

/** Slots for `keys` keys at load 0.75 (below the 0.8 that rehashes; short probes for lookups). */
@inline function slotsFor(keys: u32): u32 {
  return keys + keys / 3 + 2;
}

/**
 * Exact capacities for a batch of `count` facts into an empty `rel`, whose column c holds at most
 * `ld(distinct + 4c)` different values: the rows (and prev[] arrays) for the new rows and index
 * tables that will not rehash during the batch. With `apply` false, returns the bytes the new
 * arrays take (so the caller can grow memory once); with `apply` true, reallocates.
 */
export function relPlanBatch(rel: u32, count: u32, distinct: usize, apply: bool): usize {
  const arity = relArity(rel);
  // only an empty relation: a batch for a filled one may be mostly facts already stored, and
  // the 1.5x growth steps cost less than reserving for all of them
  if (count == 0 || arity == 0 || ld(R(rel, R_LIVE)) != 0) return 0;
  let d = ld(R(rel, R_DEDUP));
  if (d == NONE) d = chooseDedup(rel);
  if (idxChained(d) && count > DEDUP_WALK * ld(distinct + (<usize>ld(I(d, I_COL)) << 2))) {
    // chains will average more than the dedup walk: the full-key index relFind would build
    // mid-batch is built now, so it is sized with the rest
    st(R(rel, R_DEDUP), idxCreate(rel, fullMask(arity)));
  }
  let bytes: usize = 0;
  const nfree = ld(R(rel, R_NFREE));
  const need = ld(R(rel, R_NROWS)) + (count > nfree ? count - nfree : 0);
  const cap = ld(R(rel, R_CAP));
  let idx = ld(R(rel, R_IDXHEAD));
  while (idx != NONE) {
    if (need > cap && idxChained(idx)) bytes += <usize>need << 2;
    const more = idxChained(idx) ? ld(distinct + (<usize>ld(I(idx, I_COL)) << 2)) : count;
    const slots = slotsFor(ld(I(idx, I_USED)) + more);
    if (slots > ld(I(idx, I_CAP))) {
      bytes += <usize>slots << 3;
      if (apply) idxRehashTo(idx, slots);
    }
    idx = ld(I(idx, I_NEXTREL));
  }
  if (need > cap) {
    bytes += <usize>(need * relStride(rel)) << 2;
    if (apply) relGrowTo(rel, need);
  }
  return bytes;
}

// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveStoreGlobals. */
export const STORE_GLOBALS: u32 = 6;

/** Write this module's globals at `p` (u32 each); returns the address after them. */
export function saveStoreGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>relTab);
  store<u32>(p + 4, <u32>relCap);
  store<u32>(p + 8, <u32>nRels);
  store<u32>(p + 12, <u32>idxTab);
  store<u32>(p + 16, <u32>idxCap);
  store<u32>(p + 20, <u32>nIdx);
  return p + 24;
}

/** Read this module's globals from `p` (the layout of saveStoreGlobals). */
export function loadStoreGlobals(p: usize): usize {
  relTab = load<u32>(p + 0);
  relCap = load<u32>(p + 4);
  nRels = load<u32>(p + 8);
  idxTab = load<u32>(p + 12);
  idxCap = load<u32>(p + 16);
  nIdx = load<u32>(p + 20);
  return p + 24;
}
