// The exported ABI of the boreal core. Every export takes and returns numbers only; bulk data
// goes through the I/O buffer (ioPtr) and the output buffer (outPtr). See docs/abi.md.
import { NONE, regrow, nextCap, ld, st } from "./util/mem";
import * as V from "./program/values";
import * as S from "./store/store";
import * as PR from "./program/program";
import * as E from "./eval/eval";
import * as ES from "./eval/state";
import * as B from "./eval/budget";
import * as T from "./eval/trace";
export * from "./store/bulk-abi";

const ABI_VERSION: u32 = 1;

let io: usize = 0;
let ioCap: u32 = 0; // words
let out: usize = 0;
let outCap: u32 = 0; // words

// context facts inserted for one call: (rel, row) pairs
let ctx: usize = 0;
let ctxCap: u32 = 0;
let nCtx: u32 = 0;

function init(): void {
  if (io == 0) {
    ioCap = 1 << 16;
    io = regrow(0, 0, <usize>ioCap << 2);
    outCap = 1 << 12;
    out = regrow(0, 0, <usize>outCap << 2);
    ES.evalInit();
  }
}

function outReserve(words: u32): void {
  if (words <= outCap) return;
  const c = nextCap(outCap, words, 1024);
  out = regrow(out, <usize>outCap << 2, <usize>c << 2);
  outCap = c;
}

export function abiVersion(): u32 {
  return ABI_VERSION;
}

/** Address of the I/O buffer (the host writes requests here). */
export function ioPtr(): usize {
  init();
  return io;
}

/** Make the I/O buffer hold at least `words` words; returns its (possibly new) address. */
export function ioReserve(words: u32): usize {
  init();
  if (words > ioCap) {
    const c = nextCap(ioCap, words, 1024);
    io = regrow(io, <usize>ioCap << 2, <usize>c << 2);
    ioCap = c;
  }
  return io;
}

export function ioWords(): u32 {
  init();
  return ioCap;
}

/** Address of the output buffer (results of the last call). */
export function outPtr(): usize {
  init();
  return out;
}

// ---------------------------------------------------------------- types and values

/** io: n rows of ceil(n/32) words; bit t of row s is set iff s ⊑ t. */
export function setTypes(n: u32): void {
  init();
  V.setTypes(io, n);
}

/** io: n type ids of the next n ordinary values (ids 0x10000 + count ...). */
export function defineValues(n: u32): void {
  init();
  V.defineValues(io, n);
}

/** io: n Integer values as (lo, hi) pairs, for ids 0x80000000 + count ... */
export function defineInts(n: u32): void {
  init();
  V.defineInts(io, n);
}

export function valueCount(): u32 {
  return V.nValues;
}

export function intCount(): u32 {
  return V.nInts;
}

// ---------------------------------------------------------------- store

/** Create relation `rel` with `arity` (no-op if it exists). Returns 1 on an arity clash. */
export function relEnsure(rel: u32, arity: u32): u32 {
  init();
  return S.relEnsure(rel, arity);
}

/** io: n (rel, mask) pairs; replaced in place by index ids (io[i]). Builds missing indexes. */
export function ensureIndexes(n: u32): void {
  init();
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(io + (<usize>(2 * i) << 2));
    const mask = ld(io + (<usize>(2 * i + 1) << 2));
    st(io + (<usize>i << 2), S.idxEnsure(rel, mask));
  }
}

/** io: n records [rel, v0 .. v(arity-1)]. Returns how many were new. */
export function insertFacts(n: u32): u32 {
  init();
  if (n > 256) reserveRows(n);
  let p = io;
  let added: u32 = 0;
  for (let i: u32 = 0; i < n; i += INSERT_GROUP) {
    const m = min(INSERT_GROUP, n - i);
    // read the group's index slots first (S.relTouch), then insert
    let q = p;
    let t: u32 = 0;
    for (let k: u32 = 0; k < m; k++) {
      const rel = ld(q);
      t ^= S.relTouch(rel, q + 4);
      q += (<usize>(S.relArity(rel) + 1)) << 2;
    }
    st(TOUCHED, ld(TOUCHED) ^ t);
    for (let k: u32 = 0; k < m; k++) {
      const rel = ld(p);
      const arity = S.relArity(rel);
      if (S.relInsert(rel, p + 4) != NONE) added++;
      p += (<usize>(arity + 1)) << 2;
    }
  }
  return added;
}

/** Facts per group of a bulk insert (see S.relTouch). */
const INSERT_GROUP: u32 = 16;
/** A word that keeps relTouch's reads from being optimised away (static data, not a global). */
const TOUCHED: usize = memory.data(4);

/** Count a batch's records per relation and grow each relation once. */
function reserveRows(n: u32): void {
  const counts = regrow(0, 0, <usize>(S.nRels + 1) << 2);
  let p = io;
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(p);
    const c = counts + (<usize>rel << 2);
    st(c, ld(c) + 1);
    p += (<usize>(S.relArity(rel) + 1)) << 2;
  }
  for (let r: u32 = 0; r < S.nRels; r++) {
    const k = ld(counts + (<usize>r << 2));
    if (k > 0) S.relReserve(r, k);
  }
  heap.free(counts);
}

/** io: n records [rel, v0 .. v(arity-1)]. Returns how many were deleted. */
export function deleteFacts(n: u32): u32 {
  init();
  let p = io;
  let removed: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(p);
    const arity = S.relArity(rel);
    if (S.relDelete(rel, p + 4)) removed++;
    p += (<usize>(arity + 1)) << 2;
  }
  return removed;
}

/**
 * Select (or delete, when `del` is 1) the rows of `rel` matching a pattern. io: arity words of
 * values (used where `mask` has a bit), then, if `typed` is 1, arity words of exact type ids
 * (NONE = any). Selected rows go to the output buffer. Returns the number of rows.
 */
export function selectRows(rel: u32, mask: u32, typed: u32, del: u32): u32 {
  init();
  if (!S.relExists(rel)) return 0;
  const arity = S.relArity(rel);
  const stride = S.relStride(rel);
  mask &= S.fullMask(arity);
  // use the full-key index or a bound column's index if one exists, else scan
  let idx: u32 = NONE;
  if (mask != 0) {
    if (mask == S.fullMask(arity)) idx = S.idxFull(rel);
    let m = mask;
    while (idx == NONE && m != 0) {
      idx = S.idxOfColumn(rel, ctz(m));
      m &= m - 1;
    }
  }
  // copy the pattern out of io (deletes do not touch io, but be safe)
  const pat = heap.alloc(<usize>(2 * arity + 2) << 2);
  memory.copy(pat, io, <usize>((typed != 0 ? 2 : 1) * arity) << 2);
  let count: u32 = 0;
  let row: u32 = idx == NONE ? S.relNextLive(rel, 0) : S.idxFind(idx, pat);
  while (row != NONE) {
    const next: u32 = idx == NONE ? S.relNextLive(rel, row + 1) : (S.idxChained(idx) ? S.idxNext(idx, row) : NONE);
    const rp = S.rowPtr(rel, row);
    let ok = true;
    for (let k: u32 = 0; k < arity; k++) {
      const v = ld(rp + (<usize>k << 2));
      if (((mask >>> k) & 1) != 0 && v != ld(pat + (<usize>k << 2))) { ok = false; break; }
      if (typed != 0) {
        const t = ld(pat + (<usize>(arity + k) << 2));
        if (t != NONE && V.typeOfVal(v) != t) { ok = false; break; }
      }
    }
    if (ok) {
      if (del != 0) {
        S.relDeleteRow(rel, row);
      } else {
        outReserve((count + 1) * stride);
        memory.copy(out + (<usize>(count * arity) << 2), rp, <usize>arity << 2);
      }
      count++;
    }
    row = next;
  }
  heap.free(pat);
  return count;
}

/** Live facts of one relation. */
export function relCount(rel: u32): u32 {
  return S.relExists(rel) ? S.relLive(rel) : 0;
}

/** Live facts of all relations. */
export function factCount(): u32 {
  let n: u32 = 0;
  for (let r: u32 = 0; r < S.nRels; r++) if (S.relExists(r)) n += S.relLive(r);
  return n;
}

/** Occupied slots of all hash indexes (0 when every fact is deleted). */
export function indexEntries(): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < S.nIdx; i++) n += S.idxUsed(i);
  return n;
}

/** Bytes held by relations and indexes. */
export function storeBytes(): u32 {
  let n: u32 = 0;
  for (let r: u32 = 0; r < S.nRels; r++) n += S.relBytes(r);
  return n;
}

export function memoryPages(): u32 {
  return <u32>memory.size();
}

// ---------------------------------------------------------------- program

export function progReset(): void {
  PR.progReset();
}

/** io: n plan records then codeWords words of code. Returns the id of the first new plan. */
export function addPlans(n: u32, codeWords: u32): u32 {
  init();
  return PR.addPlans(io, n, codeWords);
}

export function planCount(): u32 {
  return PR.nPlans;
}

// ---------------------------------------------------------------- evaluation

/**
 * Evaluate `plan` with its bound arguments in io (in position order). `now` is the value id
 * of the query's `@current_unix_time`. Plans with no free positions return 1 or 0. Others
 * write their distinct answers (width words each) to the output buffer and return the count.
 */
export function query(plan: u32, now: u32): u32 {
  const sg = E.solve(plan, io, now);
  if (B.evalStatusVal != B.EVAL_OK) return NONE;
  const width = E.planWidth(plan);
  if (width == 0) return E.sgHasAnswer(sg) ? 1 : 0;
  // (word loops, not memory.copy: answers are a few words and V8 calls out for memory.copy)
  let n: u32 = 0;
  let a = E.sgFirstAnswer(sg);
  while (a != 0) {
    outReserve((n + 1) * width);
    const d = out + (<usize>(n * width) << 2);
    const v = E.ansVals(a);
    for (let k: u32 = 0; k < width; k++) store<u32>(d + (<usize>k << 2), load<u32>(v + (<usize>k << 2)));
    n++;
    a = E.ansNext(a);
  }
  return n;
}

/**
 * Evaluation limits for every following query (0 = none): at most `maxSteps` machine steps,
 * at most `budgetMs` milliseconds (host clock `env.boreal_now`, checked every 1024 steps).
 * A query over budget returns NONE (0xFFFFFFFF); evalStatus() says which limit it hit.
 */
export function setEvalBudget(maxSteps: f64, budgetMs: f64): void {
  B.setBudget(maxSteps, budgetMs);
}

/** Status of the last query: 0 ok, 1 step budget exceeded, 2 time budget exceeded. */
export function evalStatus(): u32 {
  return B.evalStatusVal;
}

/** Clear the fact trace and enable it: rows matched by PROBEs are recorded (once each). */
export function traceBegin(): void {
  T.traceStart();
}

/** Disable tracing; the traced rows go to the output buffer as records [rel, values...]. Returns their count. */
export function traceEnd(): u32 {
  init();
  T.traceStop();
  const words = T.traceWords();
  outReserve(words);
  if (words > 0) memory.copy(out, T.traceData(), <usize>words << 2);
  return T.traceRecords();
}

/** Subgoals created by the last query (diagnostics). */
export function lastSubgoals(): u32 {
  return ES.statSubgoals;
}

/** io: n context fact records [rel, values...]; inserts those not stored, remembering them. */
export function ctxInsert(n: u32): u32 {
  init();
  let p = io;
  let added: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(p);
    const arity = S.relArity(rel);
    const row = S.relInsert(rel, p + 4);
    if (row != NONE) {
      if (nCtx + 1 > ctxCap) {
        const c = nextCap(ctxCap, nCtx + 1, 64);
        ctx = regrow(ctx, <usize>ctxCap << 3, <usize>c << 3);
        ctxCap = c;
      }
      st(ctx + (<usize>nCtx << 3), rel);
      st(ctx + (<usize>nCtx << 3) + 4, row);
      nCtx++;
      added++;
    }
    p += (<usize>(arity + 1)) << 2;
  }
  return added;
}

/** Remove exactly the context facts that ctxInsert added. */
export function ctxClear(): void {
  while (nCtx > 0) {
    nCtx--;
    S.relDeleteRow(ld(ctx + (<usize>nCtx << 3)), ld(ctx + (<usize>nCtx << 3) + 4));
  }
}

/** Distinct stored values whose type is exactly `type`, to the output buffer. Returns the count. */
export function knownValues(type: u32): u32 {
  init();
  const nv = V.nValues;
  const bits = regrow(0, 0, <usize>((nv + 32) >>> 5) << 2);
  let n: u32 = 0;
  for (let r: u32 = 0; r < S.nRels; r++) {
    if (!S.relExists(r)) continue;
    const arity = S.relArity(r);
    if (arity == 0) continue;
    const nr = S.relNRows(r);
    for (let row: u32 = 0; row < nr; row++) {
      const rp = S.rowPtr(r, row);
      if (ld(rp) == 0) continue;
      for (let k: u32 = 0; k < arity; k++) {
        const v = ld(rp + (<usize>k << 2));
        if (v < V.VAL_BASE || v >= V.INT_BIT) continue;
        if (V.typeOfVal(v) != type) continue;
        const i = v - V.VAL_BASE;
        const w = bits + (<usize>(i >>> 5) << 2);
        const b: u32 = 1 << (i & 31);
        if ((ld(w) & b) != 0) continue;
        st(w, ld(w) | b);
        outReserve(n + 1);
        st(out + (<usize>n << 2), v);
        n++;
      }
    }
  }
  heap.free(bits);
  return n;
}

// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveIndexGlobals. */
const INDEX_GLOBALS: u32 = 7;

/** Write this module's globals at `p` (u32 each); returns the address after them. */
function saveIndexGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>io);
  store<u32>(p + 4, <u32>ioCap);
  store<u32>(p + 8, <u32>out);
  store<u32>(p + 12, <u32>outCap);
  store<u32>(p + 16, <u32>ctx);
  store<u32>(p + 20, <u32>ctxCap);
  store<u32>(p + 24, <u32>nCtx);
  return p + 28;
}

/** Read this module's globals from `p` (the layout of saveIndexGlobals). */
function loadIndexGlobals(p: usize): usize {
  io = load<u32>(p + 0);
  ioCap = load<u32>(p + 4);
  out = load<u32>(p + 8);
  outCap = load<u32>(p + 12);
  ctx = load<u32>(p + 16);
  ctxCap = load<u32>(p + 20);
  nCtx = load<u32>(p + 24);
  return p + 28;
}

// ---------------------------------------------------------------- snapshots

/** How many u32 words stateSave writes (every mutable global of the core). */
export function stateWords(): u32 {
  return INDEX_GLOBALS + PR.PROGRAM_GLOBALS + V.VALUES_GLOBALS + ES.EVAL_GLOBALS + B.BUDGET_GLOBALS + T.TRACE_GLOBALS + S.STORE_GLOBALS;
}

/**
 * Write every mutable global at `ptr` (stateWords() words). With a copy of linear memory this
 * is the whole state of the core; the allocator's own state lives in memory.
 */
export function stateSave(ptr: usize): void {
  let p = saveIndexGlobals(ptr);
  p = PR.saveProgramGlobals(p);
  p = V.saveValuesGlobals(p);
  p = ES.saveEvalGlobals(p);
  p = B.saveBudgetGlobals(p);
  p = T.saveTraceGlobals(p);
  S.saveStoreGlobals(p);
}

/**
 * Read every mutable global from `ptr` (the layout of stateSave). Call on a fresh instance after
 * its memory was replaced by a saved image (the allocator must be initialised first: ioPtr()).
 */
export function stateLoad(ptr: usize): void {
  let p = loadIndexGlobals(ptr);
  p = PR.loadProgramGlobals(p);
  p = V.loadValuesGlobals(p);
  p = ES.loadEvalGlobals(p);
  p = B.loadBudgetGlobals(p);
  p = T.loadTraceGlobals(p);
  S.loadStoreGlobals(p);
}

/** A hash of the first `words` u32 words of linear memory (snapshot integrity check). */
export function memHash(words: u32): u32 {
  let a: u32 = 0x811c9dc5;
  let b: u32 = 0x01000193;
  let c: u32 = 0x9e3779b1;
  let d: u32 = 0x85ebca6b;
  const end = (<usize>(words & ~3)) << 2;
  for (let p: usize = 0; p < end; p += 16) {
    a = (a ^ load<u32>(p)) * 0x01000193;
    b = (b ^ load<u32>(p, 4)) * 0x01000193;
    c = (c ^ load<u32>(p, 8)) * 0x01000193;
    d = (d ^ load<u32>(p, 12)) * 0x01000193;
  }
  for (let p = end; p < (<usize>words) << 2; p += 4) a = (a ^ load<u32>(p)) * 0x01000193;
  let h = (a ^ (b >>> 7)) * 0x01000193;
  h = (h ^ c) * 0x01000193;
  h = (h ^ (d << 3)) * 0x01000193;
  return h ^ words;
}
