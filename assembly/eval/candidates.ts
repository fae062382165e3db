// Candidates of one step: rows of a PROBE, answers of a CALL, elements of an IN, each
// iterated from a cursor that a choice point resumes.
import { NONE, ld, st } from "../util/mem";
import { isWild, isInt, intOf, sub, typeOfVal } from "../program/values";
import { ansAdd } from "./tables";
import { P, C, P_MASK, P_FREEMASK, REG_LIMIT, MODE_BIND, CMP_LT, CMP_LE, CMP_GT, OP_ISA, OP_EMIT } from "../program/program";
import { idxRel, idxMask, idxChained, relNextLive, relRows, relStride, relArity } from "../store/store";
import { tracing, traceRow } from "./trace";
import {
  AN_VALS, F_EXHAUSTED, SG_FLAGS, CPF, CP_A, CP_B, CP_KIND, CP_PC, CP_TRAIL, K_CALL, K_IN, K_PROBE, SG, SG_PLAN, SG_STATE,
  S_COMPLETE, arena, chkBuf, cpTop, ensureCps, keyBuf,
} from "./state";
import { opval, trailUndo, unifyOp, unifyReg } from "./unify";

// ---------------------------------------------------------------- candidates

/** Apply a PROBE's post-checks and outputs to row values at rp. */
export function probeTry(pc: u32, usedMask: u32, rp: usize, regBase: u32, regs: usize): bool {
  const nk = C(pc + 3);
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    const pos = C(q);
    if (((usedMask >>> pos) & 1) == 0) {
      if (!unifyOp(C(q + 1), ld(rp + (<usize>pos << 2)), regBase, regs)) return false;
    }
    q += 2;
  }
  const no = C(q);
  q++;
  for (let k: u32 = 0; k < no; k++) {
    const v = ld(rp + (<usize>C(q) << 2));
    const reg = C(q + 1);
    if (C(q + 2) == MODE_BIND) st(regs + (<usize>reg << 2), v);
    else if (!unifyReg(regBase + reg, v)) return false;
    q += 3;
  }
  return true;
}

/** Apply a CALL/NOT's post-checks and outputs to an answer (values at ap, plan freeMask). */
export function answerTry(pc: u32, freeMask: u32, ap: usize, regBase: u32, regs: usize): bool {
  const nk = C(pc + 3);
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    const pos = C(q);
    if (((freeMask >>> pos) & 1) != 0) {
      const v = ld(ap + (<usize>popcnt(freeMask & ((<u32>1 << pos) - 1)) << 2));
      if (!unifyOp(C(q + 1), v, regBase, regs)) return false;
    }
    q += 2;
  }
  const no = C(q);
  q++;
  for (let k: u32 = 0; k < no; k++) {
    const pos = C(q);
    const v = ld(ap + (<usize>popcnt(freeMask & ((<u32>1 << pos) - 1)) << 2));
    const reg = C(q + 1);
    if (C(q + 2) == MODE_BIND) st(regs + (<usize>reg << 2), v);
    else if (!unifyReg(regBase + reg, v)) return false;
    q += 3;
  }
  return true;
}

@inline export function stepLen(pc: u32): u32 {
  // PROBE/CALL/NOT: op a b nk [2*nk] no [3*no]
  const nk = C(pc + 3);
  return 5 + 2 * nk + 3 * C(pc + 4 + 2 * nk);
}

// ---------------------------------------------------------------- probe tails

/**
 * The EMIT that ends a PROBE's "tail", or 0: when the steps after a PROBE are only ISA filters
 * and then an EMIT of at least one value, every row's continuation is "filter, add an answer,
 * backtrack into the next row". probeFrom then runs that tail itself for every row (no choice
 * point, no machine iteration per row): the same answers in the same order.
 */
export function emitTail(after: u32): u32 {
  let p = after;
  while (C(p) == OP_ISA) p += 3;
  return C(p) == OP_EMIT && C(p + 1) != 0 ? p : 0;
}

/** Run a tail's ISA steps (from `after`) and its EMIT (at `emit`) for subgoal `sg` on one row's registers. */
function runTail(after: u32, emit: u32, sg: u32, regBase: u32, regs: usize): void {
  let p = after;
  while (p < emit) {
    const r = C(p + 1);
    const t = C(p + 2);
    const v = ld(regs + (<usize>r << 2));
    if (!(isWild(v) ? unifyReg(regBase + r, t + 1) : sub(typeOfVal(v), t))) return;
    p += 3;
  }
  const n = C(emit + 1);
  for (let k: u32 = 0; k < n; k++) st(keyBuf + (<usize>k << 2), opval(C(emit + 2 + k), regs));
  ansAdd(sg, keyBuf, n);
}

/** Where a PROBE's rows are and how its chain links them. */
class RowWalk {
  rel: u32 = 0;
  mask: u32 = 0;
  chained: bool = false;
  rows: usize = 0;
  stride: u32 = 0;
  link: u32 = 0;
  /** key checks laid out in chkBuf (columns outside the index) */
  nchk: u32 = 0;
  wild: bool = false;
  /** the key positions probeTry still has to unify */
  used: u32 = 0;
}
const walk = new RowWalk();

/**
 * Set `walk` up for PROBE `pc` on index `idx`. Key columns outside the index are checked on
 * each row; when their values are concrete (the usual case) that is a plain comparison.
 */
function walkBegin(pc: u32, idx: u32, regs: usize): void {
  const w = walk;
  const rel = idxRel(idx);
  const mask = idxMask(idx);
  w.rel = rel;
  w.mask = mask;
  w.chained = mask != 0 && idxChained(idx);
  w.rows = relRows(rel);
  w.stride = relStride(rel);
  w.link = relArity(rel) + (w.chained ? <u32>ctz(mask) : 0);
  const nk = C(pc + 3);
  let nchk: u32 = 0;
  let wild = false;
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    const pos = C(q);
    if (((mask >>> pos) & 1) == 0) {
      const v = opval(C(q + 1), regs);
      if (isWild(v)) wild = true;
      st(chkBuf + (<usize>nchk << 3), pos << 2);
      st(chkBuf + (<usize>nchk << 3) + 4, v);
      nchk++;
    }
    q += 2;
  }
  w.nchk = nchk;
  w.wild = wild;
  w.used = wild ? mask : fullKeyMask(pc);
}

/** Do the row's values pass the walk's `nchk` concrete key checks (laid out in chkBuf)? */
@inline function rowPasses(rp: usize, nchk: u32): bool {
  for (let k: u32 = 0; k < nchk; k++) {
    if (ld(rp + <usize>ld(chkBuf + (<usize>k << 3))) != ld(chkBuf + (<usize>k << 3) + 4)) return false;
  }
  return true;
}

/**
 * Keep choice point `cpIdx` (or push one of `kind` for step `pc`, with `b` and trail mark `t0`)
 * and set its cursor to `a`: the row, answer or element the step resumes at. Returns its index.
 */
function keepCp(cpIdx: u32, kind: u32, pc: u32, b: u32, t0: u32, a: u32): u32 {
  if (cpIdx == NONE) {
    ensureCps(cpTop + 1);
    cpIdx = cpTop++;
    st(CPF(cpIdx, CP_KIND), kind);
    st(CPF(cpIdx, CP_PC), pc);
    st(CPF(cpIdx, CP_B), b);
    st(CPF(cpIdx, CP_TRAIL), t0);
  }
  st(CPF(cpIdx, CP_A), a);
  return cpIdx;
}

/** Iterate PROBE rows from `row` on. Returns true on a match (CP pushed/updated as needed). */
export function probeFrom(pc: u32, idx: u32, row: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
  walkBegin(pc, idx, regs);
  // (the walk's fields in locals: the loop's stores could alias them)
  const rel = walk.rel, rows = walk.rows, stride = walk.stride, link = walk.link, used = walk.used;
  const scan = walk.mask == 0, chained = walk.chained, nchk = walk.wild ? 0 : walk.nchk;
  while (row != NONE) {
    const rp = rows + ((<usize>(row * stride)) << 2);
    const next = scan ? relNextLive(rel, row + 1) : chained ? ld(rp + (<usize>link << 2)) : NONE;
    if (rowPasses(rp, nchk) && probeTry(pc, used, rp, regBase, regs)) {
      if (tracing) traceRow(rel, rp);
      if (next != NONE) keepCp(cpIdx, K_PROBE, pc, idx, t0, next);
      else if (cpIdx != NONE) cpTop--; // exhausted: this was the top choice point
      return true;
    }
    trailUndo(t0);
    row = next;
  }
  if (cpIdx != NONE) cpTop--;
  return false;
}

/**
 * probeFrom for a PROBE with a tail (emitTail): every matching row runs the tail for subgoal
 * `sg`, up to `limit` rows; afterwards the machine backtracks. When the limit stops the run
 * with rows left, a choice point resumes it at the next row (after the machine's budget
 * check). Returns the rows visited (at least 1), which count as machine steps.
 */
export function probeTail(pc: u32, idx: u32, row: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize, emit: u32, sg: u32, limit: u32): u32 {
  walkBegin(pc, idx, regs);
  const rel = walk.rel, rows = walk.rows, stride = walk.stride, link = walk.link, used = walk.used;
  const scan = walk.mask == 0, chained = walk.chained, nchk = walk.wild ? 0 : walk.nchk;
  const after = pc + stepLen(pc);
  const single = walk.wild ? NONE : singleTail(pc, after, emit);
  const off = <usize>(single & 0xFF) << 2;
  const isa1 = single >>> 8; // the ISA's type + 1, 0 for none
  let visited: u32 = 0;
  while (row != NONE) {
    const rp = rows + ((<usize>(row * stride)) << 2);
    const next = scan ? relNextLive(rel, row + 1) : chained ? ld(rp + (<usize>link << 2)) : NONE;
    if (rowPasses(rp, nchk)) {
      const v = ld(rp + off);
      if (single != NONE && !isWild(v)) {
        // the single-value shape: no unification, nothing trailed
        if (tracing) traceRow(rel, rp);
        if (isa1 == 0 || sub(typeOfVal(v), isa1 - 1)) {
          st(keyBuf, v);
          ansAdd(sg, keyBuf, 1);
        }
      } else {
        if (probeTry(pc, used, rp, regBase, regs)) {
          if (tracing) traceRow(rel, rp);
          runTail(after, emit, sg, regBase, regs);
        }
        trailUndo(t0);
      }
    }
    row = next;
    if (++visited >= limit && row != NONE) {
      keepCp(cpIdx, K_PROBE, pc, idx, t0, row);
      return visited;
    }
  }
  if (cpIdx != NONE) cpTop--;
  return visited;
}

/**
 * The shape of a probe tail whose whole work per row is one value: the PROBE's keys are all
 * settled by its index or by rowPasses, it has one output, binding a fresh register, and the
 * tail has at most one ISA, on that register, and EMITs just that register. Such a row needs
 * no unification and leaves nothing on the trail. Returns (ISA type + 1) << 8 | the output's
 * row position (no ISA: type + 1 = 0), or NONE for any other shape.
 */
function singleTail(pc: u32, after: u32, emit: u32): u32 {
  const q = pc + 4 + 2 * C(pc + 3);
  if (C(q) != 1 || C(q + 3) != MODE_BIND) return NONE;
  const reg = C(q + 2);
  const pos = C(q + 1);
  if (pos > 0xFF || C(emit + 1) != 1 || C(emit + 2) != reg) return NONE;
  if (after == emit) return pos;
  if (after + 3 != emit || C(after + 1) != reg) return NONE;
  return ((C(after + 2) + 1) << 8) | pos;
}

/** All key positions of a PROBE (checked already when no key value is a wildcard). */
export function fullKeyMask(pc: u32): u32 {
  const nk = C(pc + 3);
  let m: u32 = 0;
  for (let k: u32 = 0; k < nk; k++) m |= <u32>1 << C(pc + 4 + 2 * k);
  return m;
}

/** Iterate answers after `cursor`. Keeps a choice point for live tables. */
export function callFrom(pc: u32, sg: u32, cursor: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
  const freeMask = P(ld(SG(sg, SG_PLAN)), P_FREEMASK);
  let next = ld(arena + <usize>cursor);
  while (next != 0) {
    if (answerTry(pc, freeMask, arena + <usize>next + (<usize>AN_VALS << 2), regBase, regs)) {
      const more = ld(arena + <usize>next) != 0 || ld(SG(sg, SG_STATE)) != S_COMPLETE;
      if (more) {
        keepCp(cpIdx, K_CALL, pc, sg, t0, next);
      } else if (cpIdx != NONE) {
        cpTop--;
      }
      return true;
    }
    trailUndo(t0);
    next = ld(arena + <usize>next);
  }
  if (cpIdx != NONE) cpTop--;
  markExhausted(sg);
  return false;
}

/** A consumer has read all of sg's answers: if sg is incomplete, a later answer makes its SCC re-run. */
export function markExhausted(sg: u32): void {
  if (ld(SG(sg, SG_STATE)) != S_COMPLETE) st(SG(sg, SG_FLAGS), ld(SG(sg, SG_FLAGS)) | F_EXHAUSTED);
}

/** IN: try elements from index i on. */
export function inFrom(pc: u32, i: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
  const term = C(pc + 1);
  const mode = C(pc + 2);
  const n = C(pc + 3);
  while (i < n) {
    const op = C(pc + 4 + i);
    const w = opval(op, regs);
    let ok: bool;
    if (mode == MODE_BIND) {
      st(regs + (<usize>term << 2), w);
      ok = true;
    } else {
      // symmetric: an element variable holding a wildcard narrows too
      ok = unifyReg(regBase + term, w) && (op >= REG_LIMIT || unifyReg(regBase + op, ld(regs + (<usize>term << 2))));
    }
    if (ok) {
      if (i + 1 < n) {
        keepCp(cpIdx, K_IN, pc, 0, t0, i + 1);
      } else if (cpIdx != NONE) cpTop--;
      return true;
    }
    trailUndo(t0);
    i++;
  }
  if (cpIdx != NONE) cpTop--;
  return false;
}

/** Build the bound key of a CALL/NOT for plan `plan` into keyBuf; returns its length. */
export function buildCallKey(pc: u32, plan: u32, regs: usize): u32 {
  const mask = P(plan, P_MASK);
  const nk = C(pc + 3);
  let n: u32 = 0;
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    if (((mask >>> C(q)) & 1) != 0) st(keyBuf + (<usize>(n++) << 2), opval(C(q + 1), regs));
    q += 2;
  }
  return n;
}

/** Does any key operand of a PROBE/CALL/NOT hold a wildcard? */
export function keyHasWild(pc: u32, regs: usize): bool {
  const nk = C(pc + 3);
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    if (isWild(opval(C(q + 1), regs))) return true;
    q += 2;
  }
  return false;
}

@inline export function cmpInts(op: u32, a: u32, b: u32): bool {
  if (!isInt(a) || !isInt(b)) return false;
  const x = intOf(a);
  const y = intOf(b);
  if (op == CMP_LT) return x < y;
  if (op == CMP_LE) return x <= y;
  if (op == CMP_GT) return x > y;
  return x >= y;
}
