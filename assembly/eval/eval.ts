// The tabled, demand-driven evaluator (see docs/engine.md).
//
// Every subgoal (plan, bound values) has a table of answers in the eval arena. A CALL of a new
// subgoal pushes a frame that runs the plan's rules (nested-loop joins with choice points);
// recursive subgoals consume the answers found so far and the SCC leader re-runs its pass until
// no table that was consumed while incomplete got new answers (linear tabling). A subgoal with
// no free positions completes at its first answer. All stacks live in linear memory.
import { NONE, regrow, nextCap, hmix, hfin, ld, st } from "../util/mem";
import { isWild, typeOfVal, sub, isInt, intOf } from "../program/values";
import {
  P, C, P_MASK, P_WIDTH, P_NRULES, P_CODE, P_MAXREGS, P_FREEMASK,
  OP_ARG, OP_ARGEQ, OP_PROBE, OP_CALL, OP_NOT, OP_CMP, OP_MOVE, OP_ISA, OP_WILD, OP_IN, OP_EMIT,
  REG_LIMIT, OPN_NOW, MODE_BIND, CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE,
} from "../program/program";
import { idxRel, idxMask, idxFind, idxChained, relNextLive, relRows, relStride, relArity } from "../store/store";
import { budgetStart, budgetNext } from "./budget";
import { tracing, traceRow } from "./trace";

// ---------------------------------------------------------------- state

// eval arena: subgoal and answer records, addressed by byte offset (0 = none)
let arena: usize = 0;
let arenaCap: u32 = 0;
let arenaTop: u32 = 16;

// subgoal and answer hash sets: slots [epoch, hash, off, 0]
let sgSlots: usize = 0;
let sgCap: u32 = 0;
let sgUsed: u32 = 0;
let anSlots: usize = 0;
let anCap: u32 = 0;
let anUsed: u32 = 0;
let epoch: u32 = 0;

// stacks
let frames: usize = 0;
let frCap: u32 = 0;
let frTop: u32 = 0;
let cps: usize = 0;
let cpCap: u32 = 0;
let cpTop: u32 = 0;
let trail: usize = 0;
let trCap: u32 = 0;
let trTop: u32 = 0;
let regsBuf: usize = 0;
let rgCap: u32 = 0;
let cstack: usize = 0;
let csCap: u32 = 0;
let csTop: u32 = 0;

let clock: u32 = 0;
export let nowVal: u32 = 0;
let keyBuf: usize = 0;
let tmpBuf: usize = 0;
let chkBuf: usize = 0;

/** Statistics of the last query (for tests and tuning). */
export let statSubgoals: u32 = 0;
export let statAnswers: u32 = 0;

// subgoal record (word offsets)
const SG_FIRST: u32 = 0; // first answer (the "next" word of the list head)
const SG_LAST: u32 = 1;
const SG_PLAN: u32 = 2;
const SG_STATE: u32 = 3;
const SG_DFN: u32 = 4;
const SG_LOW: u32 = 5;
const SG_RUN: u32 = 6;
const SG_FLAGS: u32 = 7;
const SG_HASH: u32 = 8;
const SG_NKEY: u32 = 9;
const SG_KEY: u32 = 10;

const S_NEW: u32 = 0;
const S_ACTIVE: u32 = 1;
const S_EVALUATED: u32 = 2;
const S_COMPLETE: u32 = 3;

const F_CONSUMED: u32 = 1;
const F_STALE: u32 = 2;
const F_HASANS: u32 = 4;
const F_DIRTY: u32 = 8;

// answer record: NEXT SUB values...
const AN_VALS: u32 = 2;

// frame record
const FRAME_WORDS: u32 = 10;
const FR_SUB: u32 = 0;
const FR_PLAN: u32 = 1;
const FR_RULE: u32 = 2;
const FR_PC: u32 = 3;
const FR_REGBASE: u32 = 4;
const FR_CPBASE: u32 = 5;
const FR_TRBASE: u32 = 6;
const FR_PENDING: u32 = 7;
const FR_RLEFT: u32 = 8;

// choice point record
const CP_WORDS: u32 = 6;
const CP_KIND: u32 = 0;
const CP_PC: u32 = 1;
const CP_A: u32 = 2;
const CP_B: u32 = 3;
const CP_TRAIL: u32 = 4;

const K_PROBE: u32 = 1;
const K_CALL: u32 = 2;
const K_IN: u32 = 3;

@inline function SG(off: u32, f: u32): usize {
  return arena + <usize>off + (<usize>f << 2);
}
@inline function FR(i: u32, f: u32): usize {
  return frames + ((<usize>(i * FRAME_WORDS + f)) << 2);
}
@inline function CPF(i: u32, f: u32): usize {
  return cps + ((<usize>(i * CP_WORDS + f)) << 2);
}

// ---------------------------------------------------------------- memory

export function evalInit(): void {
  if (keyBuf == 0) {
    keyBuf = heap.alloc(64 << 2);
    tmpBuf = heap.alloc(64 << 2);
    chkBuf = heap.alloc(64 << 3);
  }
}

function arenaAlloc(bytes: u32): u32 {
  const off = arenaTop;
  const need = off + bytes;
  if (need > arenaCap) {
    let c = arenaCap < 65536 ? <u32>65536 : arenaCap;
    while (c < need) c = c << 1;
    arena = regrow(arena, arenaCap, c);
    arenaCap = c;
  }
  arenaTop = need;
  return off;
}

function ensureFrames(n: u32): void {
  if (n <= frCap) return;
  const c = nextCap(frCap, n, 64);
  frames = regrow(frames, <usize>(frCap * FRAME_WORDS) << 2, <usize>(c * FRAME_WORDS) << 2);
  frCap = c;
}
function ensureCps(n: u32): void {
  if (n <= cpCap) return;
  const c = nextCap(cpCap, n, 256);
  cps = regrow(cps, <usize>(cpCap * CP_WORDS) << 2, <usize>(c * CP_WORDS) << 2);
  cpCap = c;
}
function ensureTrail(n: u32): void {
  if (n <= trCap) return;
  const c = nextCap(trCap, n, 256);
  trail = regrow(trail, <usize>trCap << 3, <usize>c << 3);
  trCap = c;
}
function ensureRegs(n: u32): void {
  if (n <= rgCap) return;
  const c = nextCap(rgCap, n, 1024);
  regsBuf = regrow(regsBuf, <usize>rgCap << 2, <usize>c << 2);
  rgCap = c;
}
function ensureCs(n: u32): void {
  if (n <= csCap) return;
  const c = nextCap(csCap, n, 256);
  cstack = regrow(cstack, <usize>csCap << 2, <usize>c << 2);
  csCap = c;
}

function resetEval(): void {
  arenaTop = 16;
  if (arena == 0) arenaAlloc(0);
  epoch++;
  if (epoch == 0) {
    if (sgSlots != 0) memory.fill(sgSlots, 0, <usize>sgCap << 4);
    if (anSlots != 0) memory.fill(anSlots, 0, <usize>anCap << 4);
    epoch = 1;
  }
  if (sgSlots == 0) {
    sgCap = 1024;
    sgSlots = regrow(0, 0, <usize>sgCap << 4);
    anCap = 1024;
    anSlots = regrow(0, 0, <usize>anCap << 4);
  }
  sgUsed = 0;
  anUsed = 0;
  frTop = 0;
  cpTop = 0;
  trTop = 0;
  csTop = 0;
  clock = 0;
  statSubgoals = 0;
  statAnswers = 0;
}

// ---------------------------------------------------------------- tables

function rehash(slots: usize, cap: u32, isSub: bool): usize {
  const ncap = cap << 1;
  const ns = regrow(0, 0, <usize>ncap << 4);
  const m = ncap - 1;
  for (let i: u32 = 0; i < cap; i++) {
    const s = slots + (<usize>i << 4);
    if (ld(s) != epoch) continue;
    let j = ld(s + 4) & m;
    while (ld(ns + (<usize>j << 4)) == epoch) j = (j + 1) & m;
    const d = ns + (<usize>j << 4);
    st(d, epoch);
    st(d + 4, ld(s + 4));
    st(d + 8, ld(s + 8));
  }
  heap.free(slots);
  if (isSub) sgCap = ncap;
  else anCap = ncap;
  return ns;
}

/** Find or create the subgoal (plan, key[0..nkey)). */
function sgLookup(plan: u32, key: usize, nkey: u32): u32 {
  let h = hmix(0x3c6ef372, plan);
  for (let i: u32 = 0; i < nkey; i++) h = hmix(h, ld(key + (<usize>i << 2)));
  h = hfin(h);
  const m = sgCap - 1;
  let j = h & m;
  while (true) {
    const s = sgSlots + (<usize>j << 4);
    if (ld(s) != epoch) break;
    if (ld(s + 4) == h) {
      const off = ld(s + 8);
      if (ld(SG(off, SG_PLAN)) == plan) {
        let eq = true;
        for (let i: u32 = 0; i < nkey; i++) {
          if (ld(SG(off, SG_KEY + i)) != ld(key + (<usize>i << 2))) { eq = false; break; }
        }
        if (eq) return off;
      }
    }
    j = (j + 1) & m;
  }
  const off = arenaAlloc((SG_KEY + nkey) << 2);
  st(SG(off, SG_FIRST), 0);
  st(SG(off, SG_LAST), off);
  st(SG(off, SG_PLAN), plan);
  st(SG(off, SG_STATE), S_NEW);
  st(SG(off, SG_DFN), NONE);
  st(SG(off, SG_LOW), NONE);
  st(SG(off, SG_RUN), 0);
  st(SG(off, SG_FLAGS), 0);
  st(SG(off, SG_HASH), h);
  st(SG(off, SG_NKEY), nkey);
  for (let i: u32 = 0; i < nkey; i++) st(SG(off, SG_KEY + i), ld(key + (<usize>i << 2)));
  const s = sgSlots + (<usize>j << 4);
  st(s, epoch);
  st(s + 4, h);
  st(s + 8, off);
  sgUsed++;
  statSubgoals++;
  if (sgUsed * 2 > sgCap) sgSlots = rehash(sgSlots, sgCap, true);
  return off;
}

/** Add an answer (width values at vals) to subgoal sg. Returns true if it is new. */
function ansAdd(sg: u32, vals: usize, width: u32): bool {
  let h = hmix(0x85ebca6b, sg);
  for (let i: u32 = 0; i < width; i++) h = hmix(h, ld(vals + (<usize>i << 2)));
  h = hfin(h);
  const m = anCap - 1;
  let j = h & m;
  while (true) {
    const s = anSlots + (<usize>j << 4);
    if (ld(s) != epoch) break;
    if (ld(s + 4) == h) {
      const off = ld(s + 8);
      if (ld(arena + <usize>off + 4) == sg) {
        let eq = true;
        const ap = arena + <usize>off + (<usize>AN_VALS << 2);
        for (let i: u32 = 0; i < width; i++) {
          if (ld(ap + (<usize>i << 2)) != ld(vals + (<usize>i << 2))) { eq = false; break; }
        }
        if (eq) return false;
      }
    }
    j = (j + 1) & m;
  }
  const off = arenaAlloc((AN_VALS + width) << 2);
  const ap = arena + <usize>off;
  st(ap, 0);
  st(ap + 4, sg);
  memory.copy(ap + (<usize>AN_VALS << 2), vals, <usize>width << 2);
  const last = ld(SG(sg, SG_LAST));
  st(arena + <usize>last, off);
  st(SG(sg, SG_LAST), off);
  const s = anSlots + (<usize>j << 4);
  st(s, epoch);
  st(s + 4, h);
  st(s + 8, off);
  anUsed++;
  statAnswers++;
  if (anUsed * 2 > anCap) anSlots = rehash(anSlots, anCap, false);
  const fl = ld(SG(sg, SG_FLAGS));
  if ((fl & F_CONSUMED) != 0) st(SG(sg, SG_FLAGS), fl | F_STALE);
  return true;
}

// ---------------------------------------------------------------- unification

@inline function opval(op: u32, regs: usize): u32 {
  if (op < REG_LIMIT) return ld(regs + (<usize>op << 2));
  if (op == OPN_NOW) return nowVal;
  return op;
}

@inline function trailPush(ri: u32, old: u32): void {
  ensureTrail(trTop + 1);
  const t = trail + (<usize>trTop << 3);
  st(t, ri);
  st(t + 4, old);
  trTop++;
}

function trailUndo(to: u32): void {
  while (trTop > to) {
    trTop--;
    const t = trail + (<usize>trTop << 3);
    st(regsBuf + (<usize>ld(t) << 2), ld(t + 4));
  }
}

/** Unify register `ri` (absolute index) with value w, narrowing a wildcard (trailed). */
function unifyReg(ri: u32, w: u32): bool {
  const addr = regsBuf + (<usize>ri << 2);
  const v = ld(addr);
  if (v == w) return true;
  if (!isWild(v)) {
    if (!isWild(w)) return false;
    return sub(typeOfVal(v), w - 1);
  }
  const s = v - 1;
  if (!isWild(w)) {
    if (!sub(typeOfVal(w), s)) return false;
    trailPush(ri, v);
    st(addr, w);
    return true;
  }
  const t = w - 1;
  if (sub(s, t)) return true;
  if (sub(t, s)) {
    trailPush(ri, v);
    st(addr, w);
    return true;
  }
  return false;
}

/** Unify an operand with a value; only registers can narrow. */
@inline function unifyOp(op: u32, w: u32, regBase: u32, regs: usize): bool {
  if (op < REG_LIMIT) return unifyReg(regBase + op, w);
  const v = op == OPN_NOW ? nowVal : op;
  if (v == w) return true;
  if (!isWild(w)) return false;
  return sub(typeOfVal(v), w - 1);
}

// ---------------------------------------------------------------- frames

function pushFrame(sg: u32): void {
  const plan = ld(SG(sg, SG_PLAN));
  const state = ld(SG(sg, SG_STATE));
  if (state == S_EVALUATED) {
    // re-evaluation: move to the top of the completion stack (the old entry becomes invalid)
    st(SG(sg, SG_FLAGS), ld(SG(sg, SG_FLAGS)) & ~F_DIRTY);
  }
  ensureCs(csTop + 1);
  st(cstack + (<usize>csTop << 2), sg);
  st(SG(sg, SG_DFN), csTop);
  st(SG(sg, SG_LOW), csTop);
  csTop++;
  st(SG(sg, SG_STATE), S_ACTIVE);
  st(SG(sg, SG_RUN), ++clock);
  let regBase: u32 = 0;
  if (frTop > 0) regBase = ld(FR(frTop - 1, FR_REGBASE)) + P(ld(FR(frTop - 1, FR_PLAN)), P_MAXREGS);
  ensureRegs(regBase + P(plan, P_MAXREGS) + 1);
  ensureFrames(frTop + 1);
  const i = frTop++;
  st(FR(i, FR_SUB), sg);
  st(FR(i, FR_PLAN), plan);
  const rule = P(plan, P_CODE);
  st(FR(i, FR_RULE), rule);
  st(FR(i, FR_PC), rule + 2);
  st(FR(i, FR_REGBASE), regBase);
  st(FR(i, FR_CPBASE), cpTop);
  st(FR(i, FR_TRBASE), trTop);
  st(FR(i, FR_PENDING), 0);
  const nr = P(plan, P_NRULES);
  st(FR(i, FR_RLEFT), nr == 0 ? 0 : nr - 1);
}

@inline function csValid(i: u32): u32 {
  const s = ld(cstack + (<usize>i << 2));
  return ld(SG(s, SG_DFN)) == i ? s : 0;
}

/** The top frame ran out of rules. Returns true if the frame restarts (leader re-pass). */
function frameEnd(): bool {
  const i = frTop - 1;
  const sg = ld(FR(i, FR_SUB));
  const dfn = ld(SG(sg, SG_DFN));
  if (ld(SG(sg, SG_LOW)) >= dfn) {
    let stale = false;
    for (let k = dfn; k < csTop; k++) {
      const s = csValid(k);
      if (s != 0 && (ld(SG(s, SG_FLAGS)) & F_STALE) != 0) { stale = true; break; }
    }
    if (stale) {
      for (let k = dfn; k < csTop; k++) {
        const s = csValid(k);
        if (s == 0) continue;
        let fl = ld(SG(s, SG_FLAGS)) & ~(F_STALE | F_CONSUMED);
        if (ld(SG(s, SG_STATE)) == S_EVALUATED) fl |= F_DIRTY;
        st(SG(s, SG_FLAGS), fl);
      }
      st(SG(sg, SG_RUN), ++clock);
      const plan = ld(FR(i, FR_PLAN));
      const rule = P(plan, P_CODE);
      st(FR(i, FR_RULE), rule);
      st(FR(i, FR_PC), rule + 2);
      const nr = P(plan, P_NRULES);
      st(FR(i, FR_RLEFT), nr == 0 ? 0 : nr - 1);
      return true;
    }
    for (let k = dfn; k < csTop; k++) {
      const s = csValid(k);
      if (s == 0) continue;
      const state = ld(SG(s, SG_STATE));
      if (state != S_COMPLETE) {
        if ((ld(SG(s, SG_FLAGS)) & F_DIRTY) != 0 && s != sg) {
          st(SG(s, SG_STATE), S_NEW);
          st(SG(s, SG_FLAGS), 0);
        } else {
          st(SG(s, SG_STATE), S_COMPLETE);
        }
      }
      st(SG(s, SG_DFN), NONE);
    }
    csTop = dfn;
  } else {
    st(SG(sg, SG_STATE), S_EVALUATED);
  }
  cpTop = ld(FR(i, FR_CPBASE));
  trTop = ld(FR(i, FR_TRBASE));
  frTop--;
  return false;
}

/** A subgoal with no free positions found its answer: complete it and pop its frame. */
function earlyComplete(): void {
  const i = frTop - 1;
  const sg = ld(FR(i, FR_SUB));
  let fl = ld(SG(sg, SG_FLAGS)) | F_HASANS;
  let keep = false;
  if ((fl & F_CONSUMED) != 0) {
    fl |= F_STALE;
    keep = true;
  }
  st(SG(sg, SG_FLAGS), fl);
  st(SG(sg, SG_STATE), S_COMPLETE);
  const dfn = ld(SG(sg, SG_DFN));
  for (let k = dfn + 1; k < csTop; k++) {
    const s = csValid(k);
    if (s == 0) continue;
    const state = ld(SG(s, SG_STATE));
    if (state == S_EVALUATED) {
      st(SG(s, SG_FLAGS), ld(SG(s, SG_FLAGS)) | F_DIRTY);
      keep = true;
    } else if (state == S_COMPLETE && (ld(SG(s, SG_FLAGS)) & F_STALE) != 0) keep = true;
  }
  if (!keep) {
    // nothing above depends on anything still open: drop the entries
    for (let k = dfn; k < csTop; k++) {
      const s = csValid(k);
      if (s != 0) st(SG(s, SG_DFN), NONE);
    }
    csTop = dfn;
  }
  cpTop = ld(FR(i, FR_CPBASE));
  trTop = ld(FR(i, FR_TRBASE));
  frTop--;
}

// ---------------------------------------------------------------- candidates

/** Apply a PROBE's post-checks and outputs to row values at rp. */
function probeTry(pc: u32, usedMask: u32, rp: usize, regBase: u32, regs: usize): bool {
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
function answerTry(pc: u32, freeMask: u32, ap: usize, regBase: u32, regs: usize): bool {
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

@inline function stepLen(pc: u32): u32 {
  // PROBE/CALL/NOT: op a b nk [2*nk] no [3*no]
  const nk = C(pc + 3);
  return 5 + 2 * nk + 3 * C(pc + 4 + 2 * nk);
}

/** Iterate PROBE rows from `row` on. Returns true on a match (CP pushed/updated as needed). */
function probeFrom(pc: u32, idx: u32, row: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
  const rel = idxRel(idx);
  const mask = idxMask(idx);
  const chained = mask != 0 && idxChained(idx);
  const rows = relRows(rel);
  const stride = relStride(rel);
  const link = relArity(rel) + (chained ? <u32>ctz(mask) : 0);
  // Key columns outside the index are checked on each row. When their values are concrete
  // (the usual case) that is a plain comparison, done here before the general path.
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
  while (row != NONE) {
    const rp = rows + ((<usize>(row * stride)) << 2);
    let next: u32 = NONE;
    if (mask == 0) next = relNextLive(rel, row + 1);
    else if (chained) next = ld(rp + (<usize>link << 2));
    let pass = true;
    if (!wild) {
      for (let k: u32 = 0; k < nchk; k++) {
        if (ld(rp + <usize>ld(chkBuf + (<usize>k << 3))) != ld(chkBuf + (<usize>k << 3) + 4)) {
          pass = false;
          break;
        }
      }
    }
    if (pass && probeTry(pc, wild ? mask : fullKeyMask(pc), rp, regBase, regs)) {
      if (tracing) traceRow(rel, rp);
      if (next != NONE) {
        if (cpIdx == NONE) {
          ensureCps(cpTop + 1);
          cpIdx = cpTop++;
          st(CPF(cpIdx, CP_KIND), K_PROBE);
          st(CPF(cpIdx, CP_PC), pc);
          st(CPF(cpIdx, CP_B), idx);
          st(CPF(cpIdx, CP_TRAIL), t0);
        }
        st(CPF(cpIdx, CP_A), next);
      } else if (cpIdx != NONE) {
        cpTop--; // exhausted: this was the top choice point
      }
      return true;
    }
    trailUndo(t0);
    row = next;
  }
  if (cpIdx != NONE) cpTop--;
  return false;
}

/** All key positions of a PROBE (checked already when no key value is a wildcard). */
function fullKeyMask(pc: u32): u32 {
  const nk = C(pc + 3);
  let m: u32 = 0;
  for (let k: u32 = 0; k < nk; k++) m |= <u32>1 << C(pc + 4 + 2 * k);
  return m;
}

/** Iterate answers after `cursor`. Keeps a choice point for live tables. */
function callFrom(pc: u32, sg: u32, cursor: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
  const freeMask = P(ld(SG(sg, SG_PLAN)), P_FREEMASK);
  let next = ld(arena + <usize>cursor);
  while (next != 0) {
    if (answerTry(pc, freeMask, arena + <usize>next + (<usize>AN_VALS << 2), regBase, regs)) {
      const more = ld(arena + <usize>next) != 0 || ld(SG(sg, SG_STATE)) != S_COMPLETE;
      if (more) {
        if (cpIdx == NONE) {
          ensureCps(cpTop + 1);
          cpIdx = cpTop++;
          st(CPF(cpIdx, CP_KIND), K_CALL);
          st(CPF(cpIdx, CP_PC), pc);
          st(CPF(cpIdx, CP_B), sg);
          st(CPF(cpIdx, CP_TRAIL), t0);
        }
        st(CPF(cpIdx, CP_A), next);
      } else if (cpIdx != NONE) {
        cpTop--;
      }
      return true;
    }
    trailUndo(t0);
    next = ld(arena + <usize>next);
  }
  if (cpIdx != NONE) cpTop--;
  return false;
}

/** IN: try elements from index i on. */
function inFrom(pc: u32, i: u32, t0: u32, cpIdx: u32, regBase: u32, regs: usize): bool {
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
        if (cpIdx == NONE) {
          ensureCps(cpTop + 1);
          cpIdx = cpTop++;
          st(CPF(cpIdx, CP_KIND), K_IN);
          st(CPF(cpIdx, CP_PC), pc);
          st(CPF(cpIdx, CP_TRAIL), t0);
        }
        st(CPF(cpIdx, CP_A), i + 1);
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
function buildCallKey(pc: u32, plan: u32, regs: usize): u32 {
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
function keyHasWild(pc: u32, regs: usize): bool {
  const nk = C(pc + 3);
  let q = pc + 4;
  for (let k: u32 = 0; k < nk; k++) {
    if (isWild(opval(C(q + 1), regs))) return true;
    q += 2;
  }
  return false;
}

@inline function cmpInts(op: u32, a: u32, b: u32): bool {
  if (!isInt(a) || !isInt(b)) return false;
  const x = intOf(a);
  const y = intOf(b);
  if (op == CMP_LT) return x < y;
  if (op == CMP_LE) return x <= y;
  if (op == CMP_GT) return x > y;
  return x >= y;
}

// ---------------------------------------------------------------- the machine

/**
 * Evaluate subgoal (plan, key) to completion (or to its first answer when it has no free
 * positions). Returns the subgoal's arena offset.
 */
export function solve(plan: u32, key: usize, now: u32): u32 {
  resetEval();
  nowVal = now;
  const nkey = popcnt(P(plan, P_MASK));
  memory.copy(tmpBuf, key, <usize>nkey << 2);
  const root = sgLookup(plan, tmpBuf, nkey);
  pushFrame(root);
  run();
  return root;
}

function run(): void {
  let fi = frTop - 1;
  let pc = ld(FR(fi, FR_PC));
  let regBase = ld(FR(fi, FR_REGBASE));
  let regs = regsBuf + (<usize>regBase << 2);
  let bt = P(ld(FR(fi, FR_PLAN)), P_NRULES) == 0;
  let steps = budgetStart();
  while (true) {
    if (--steps == 0) {
      steps = budgetNext();
      if (steps == 0) return; // over budget: the query's state is dropped by the next resetEval
    }
    if (bt) {
      const cpBase = ld(FR(fi, FR_CPBASE));
      if (cpTop > cpBase) {
        const ci = cpTop - 1;
        const kind = ld(CPF(ci, CP_KIND));
        const cpc = ld(CPF(ci, CP_PC));
        const t0 = ld(CPF(ci, CP_TRAIL));
        trailUndo(t0);
        let ok: bool;
        if (kind == K_PROBE) ok = probeFrom(cpc, ld(CPF(ci, CP_B)), ld(CPF(ci, CP_A)), t0, ci, regBase, regs);
        else if (kind == K_CALL) ok = callFrom(cpc, ld(CPF(ci, CP_B)), ld(CPF(ci, CP_A)), t0, ci, regBase, regs);
        else ok = inFrom(cpc, ld(CPF(ci, CP_A)), t0, ci, regBase, regs);
        if (ok) {
          pc = cpc + (kind == K_IN ? 4 + C(cpc + 3) : stepLen(cpc));
          bt = false;
        }
        continue;
      }
      trailUndo(ld(FR(fi, FR_TRBASE)));
      const rleft = ld(FR(fi, FR_RLEFT));
      if (rleft > 0) {
        const rule = ld(FR(fi, FR_RULE));
        const nrule = rule + C(rule + 1);
        st(FR(fi, FR_RULE), nrule);
        st(FR(fi, FR_RLEFT), rleft - 1);
        pc = nrule + 2;
        bt = false;
        continue;
      }
      if (frameEnd()) {
        pc = ld(FR(fi, FR_PC));
        bt = P(ld(FR(fi, FR_PLAN)), P_NRULES) == 0;
        continue;
      }
      if (frTop == 0) return;
      fi = frTop - 1;
      pc = ld(FR(fi, FR_PC));
      regBase = ld(FR(fi, FR_REGBASE));
      regs = regsBuf + (<usize>regBase << 2);
      bt = false;
      continue;
    }
    const op = C(pc);
    switch (op) {
      case OP_ARG: {
        const sg = ld(FR(fi, FR_SUB));
        st(regs + (<usize>C(pc + 2) << 2), ld(SG(sg, SG_KEY + C(pc + 1))));
        pc += 3;
        break;
      }
      case OP_ARGEQ: {
        const sg = ld(FR(fi, FR_SUB));
        if (unifyOp(C(pc + 2), ld(SG(sg, SG_KEY + C(pc + 1))), regBase, regs)) pc += 3;
        else bt = true;
        break;
      }
      case OP_PROBE: {
        let idx = C(pc + 1);
        const alt = C(pc + 2);
        if (alt != idx && keyHasWild(pc, regs)) idx = alt;
        const mask = idxMask(idx);
        const rel = idxRel(idx);
        const t0 = trTop;
        let row: u32;
        if (mask == 0) {
          row = relNextLive(rel, 0);
        } else {
          // key laid out like a row
          const nk = C(pc + 3);
          let q = pc + 4;
          for (let k: u32 = 0; k < nk; k++) {
            const pos = C(q);
            if (((mask >>> pos) & 1) != 0) st(keyBuf + (<usize>pos << 2), opval(C(q + 1), regs));
            q += 2;
          }
          row = idxFind(idx, keyBuf);
        }
        if (row != NONE && probeFrom(pc, idx, row, t0, NONE, regBase, regs)) pc += stepLen(pc);
        else bt = true;
        break;
      }
      case OP_CALL:
      case OP_NOT: {
        let sg = ld(FR(fi, FR_PENDING));
        const me = ld(FR(fi, FR_SUB));
        if (sg == 0) {
          let plan = C(pc + 1);
          const alt = C(pc + 2);
          if (alt != plan && keyHasWild(pc, regs)) plan = alt;
          const nkey = buildCallKey(pc, plan, regs);
          sg = sgLookup(plan, keyBuf, nkey);
          const state = ld(SG(sg, SG_STATE));
          if (state == S_NEW || (state == S_EVALUATED && (ld(SG(sg, SG_FLAGS)) & F_DIRTY) != 0) || (op == OP_NOT && state == S_EVALUATED)) {
            st(FR(fi, FR_PC), pc);
            st(FR(fi, FR_PENDING), sg);
            pushFrame(sg);
            fi = frTop - 1;
            pc = ld(FR(fi, FR_PC));
            regBase = ld(FR(fi, FR_REGBASE));
            regs = regsBuf + (<usize>regBase << 2);
            bt = P(ld(FR(fi, FR_PLAN)), P_NRULES) == 0;
            break;
          }
          if (state == S_ACTIVE) {
            const d = ld(SG(sg, SG_DFN));
            if (d < ld(SG(me, SG_LOW))) st(SG(me, SG_LOW), d);
            st(SG(sg, SG_FLAGS), ld(SG(sg, SG_FLAGS)) | F_CONSUMED);
          } else if (state == S_EVALUATED) {
            const l = ld(SG(sg, SG_LOW));
            if (l < ld(SG(me, SG_LOW))) st(SG(me, SG_LOW), l);
            st(SG(sg, SG_FLAGS), ld(SG(sg, SG_FLAGS)) | F_CONSUMED);
          }
        } else {
          st(FR(fi, FR_PENDING), 0);
          if (ld(SG(sg, SG_STATE)) != S_COMPLETE) {
            const l = ld(SG(sg, SG_LOW));
            if (l < ld(SG(me, SG_LOW))) st(SG(me, SG_LOW), l);
            st(SG(sg, SG_FLAGS), ld(SG(sg, SG_FLAGS)) | F_CONSUMED);
          }
        }
        const plan = ld(SG(sg, SG_PLAN));
        const t0 = trTop;
        let ok: bool;
        if (P(plan, P_WIDTH) == 0) {
          ok = (ld(SG(sg, SG_FLAGS)) & F_HASANS) != 0;
          if (op == OP_NOT) ok = !ok;
        } else if (op == OP_CALL) {
          ok = callFrom(pc, sg, sg, t0, NONE, regBase, regs);
        } else {
          // NOT: succeed iff no answer unifies
          const freeMask = P(plan, P_FREEMASK);
          let a = ld(SG(sg, SG_FIRST));
          ok = true;
          while (a != 0) {
            const hit = answerTry(pc, freeMask, arena + <usize>a + (<usize>AN_VALS << 2), regBase, regs);
            trailUndo(t0);
            if (hit) { ok = false; break; }
            a = ld(arena + <usize>a);
          }
        }
        if (ok) pc += stepLen(pc);
        else bt = true;
        break;
      }
      case OP_CMP: {
        const cop = C(pc + 1);
        const a = C(pc + 2);
        const b = C(pc + 3);
        let ok: bool;
        if (cop == CMP_EQ) {
          if (a < REG_LIMIT) ok = unifyReg(regBase + a, opval(b, regs)) && (b >= REG_LIMIT || unifyReg(regBase + b, opval(a, regs)));
          else ok = unifyOp(b, a == OPN_NOW ? nowVal : a, regBase, regs);
        } else {
          const va = opval(a, regs);
          const vb = opval(b, regs);
          if (isWild(va) || isWild(vb)) ok = false;
          else if (cop == CMP_NE) ok = va != vb;
          else ok = cmpInts(cop, va, vb);
        }
        if (ok) pc += 4;
        else bt = true;
        break;
      }
      case OP_MOVE: {
        st(regs + (<usize>C(pc + 1) << 2), opval(C(pc + 2), regs));
        pc += 3;
        break;
      }
      case OP_ISA: {
        const r = C(pc + 1);
        const t = C(pc + 2);
        const v = ld(regs + (<usize>r << 2));
        // a concrete value is a plain subtype test; a wildcard may narrow (trailed)
        if (isWild(v) ? unifyReg(regBase + r, t + 1) : sub(typeOfVal(v), t)) pc += 3;
        else bt = true;
        break;
      }
      case OP_WILD: {
        st(regs + (<usize>C(pc + 1) << 2), C(pc + 2) + 1);
        pc += 3;
        break;
      }
      case OP_IN: {
        if (inFrom(pc, 0, trTop, NONE, regBase, regs)) pc += 4 + C(pc + 3);
        else bt = true;
        break;
      }
      case OP_EMIT: {
        const sg = ld(FR(fi, FR_SUB));
        const n = C(pc + 1);
        if (n == 0) {
          earlyComplete();
          if (frTop == 0) return;
          fi = frTop - 1;
          pc = ld(FR(fi, FR_PC));
          regBase = ld(FR(fi, FR_REGBASE));
          regs = regsBuf + (<usize>regBase << 2);
          bt = false;
          break;
        }
        for (let k: u32 = 0; k < n; k++) st(keyBuf + (<usize>k << 2), opval(C(pc + 2 + k), regs));
        ansAdd(sg, keyBuf, n);
        bt = true;
        break;
      }
      default:
        unreachable();
    }
  }
}

// ---------------------------------------------------------------- results

export function sgHasAnswer(sg: u32): bool {
  return (ld(SG(sg, SG_FLAGS)) & F_HASANS) != 0;
}

export function sgFirstAnswer(sg: u32): u32 {
  return ld(SG(sg, SG_FIRST));
}

export function ansNext(a: u32): u32 {
  return ld(arena + <usize>a);
}

export function ansVals(a: u32): usize {
  return arena + <usize>a + (<usize>AN_VALS << 2);
}

export function planWidth(plan: u32): u32 {
  return P(plan, P_WIDTH);
}


// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveEvalGlobals. */
export const EVAL_GLOBALS: u32 = 31;

/** Write this module's globals at `p` (u32 each); returns the address after them. */
export function saveEvalGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>arena);
  store<u32>(p + 4, <u32>arenaCap);
  store<u32>(p + 8, <u32>arenaTop);
  store<u32>(p + 12, <u32>sgSlots);
  store<u32>(p + 16, <u32>sgCap);
  store<u32>(p + 20, <u32>sgUsed);
  store<u32>(p + 24, <u32>anSlots);
  store<u32>(p + 28, <u32>anCap);
  store<u32>(p + 32, <u32>anUsed);
  store<u32>(p + 36, <u32>epoch);
  store<u32>(p + 40, <u32>frames);
  store<u32>(p + 44, <u32>frCap);
  store<u32>(p + 48, <u32>frTop);
  store<u32>(p + 52, <u32>cps);
  store<u32>(p + 56, <u32>cpCap);
  store<u32>(p + 60, <u32>cpTop);
  store<u32>(p + 64, <u32>trail);
  store<u32>(p + 68, <u32>trCap);
  store<u32>(p + 72, <u32>trTop);
  store<u32>(p + 76, <u32>regsBuf);
  store<u32>(p + 80, <u32>rgCap);
  store<u32>(p + 84, <u32>cstack);
  store<u32>(p + 88, <u32>csCap);
  store<u32>(p + 92, <u32>csTop);
  store<u32>(p + 96, <u32>clock);
  store<u32>(p + 100, <u32>nowVal);
  store<u32>(p + 104, <u32>keyBuf);
  store<u32>(p + 108, <u32>tmpBuf);
  store<u32>(p + 112, <u32>chkBuf);
  store<u32>(p + 116, <u32>statSubgoals);
  store<u32>(p + 120, <u32>statAnswers);
  return p + 124;
}

/** Read this module's globals from `p` (the layout of saveEvalGlobals). */
export function loadEvalGlobals(p: usize): usize {
  arena = load<u32>(p + 0);
  arenaCap = load<u32>(p + 4);
  arenaTop = load<u32>(p + 8);
  sgSlots = load<u32>(p + 12);
  sgCap = load<u32>(p + 16);
  sgUsed = load<u32>(p + 20);
  anSlots = load<u32>(p + 24);
  anCap = load<u32>(p + 28);
  anUsed = load<u32>(p + 32);
  epoch = load<u32>(p + 36);
  frames = load<u32>(p + 40);
  frCap = load<u32>(p + 44);
  frTop = load<u32>(p + 48);
  cps = load<u32>(p + 52);
  cpCap = load<u32>(p + 56);
  cpTop = load<u32>(p + 60);
  trail = load<u32>(p + 64);
  trCap = load<u32>(p + 68);
  trTop = load<u32>(p + 72);
  regsBuf = load<u32>(p + 76);
  rgCap = load<u32>(p + 80);
  cstack = load<u32>(p + 84);
  csCap = load<u32>(p + 88);
  csTop = load<u32>(p + 92);
  clock = load<u32>(p + 96);
  nowVal = load<u32>(p + 100);
  keyBuf = load<u32>(p + 104);
  tmpBuf = load<u32>(p + 108);
  chkBuf = load<u32>(p + 112);
  statSubgoals = load<u32>(p + 116);
  statAnswers = load<u32>(p + 120);
  return p + 124;
}
