// Frames and SCC completion: pushing a subgoal's frame, ending it (leader re-pass or
// completion of its SCC), and early completion of subgoals with no free positions.
import { NONE, ld, st } from "../util/mem";
import { P, P_NRULES, P_CODE, P_MAXREGS } from "../program/program";
import {
  FR, FR_CPBASE, FR_ONCE, FR_PC, FR_PENDING, FR_PLAN, FR_REGBASE, FR_RLEFT, FR_RULE, FR_SUB, FR_TRBASE,
  F_EXHAUSTED, F_DIRTY, F_HASANS, F_STALE, SG, SG_DFN, SG_FLAGS, SG_KEY, SG_LOW, SG_NKEY, SG_PLAN,
  SG_RUN, SG_STATE, S_ACTIVE, S_COMPLETE, S_EVALUATED, S_NEW, arenaAlloc, clock, cpTop, csTop, cstack,
  ensureCs, ensureFrames, ensureRegs, frTop, trTop,
} from "./state";

// ---------------------------------------------------------------- frames

export function pushFrame(sg: u32): void {
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
  openFrame(sg, plan, 0);
}

/** Push the frame that runs `plan`'s rules for record `sg` (its key is read by ARG/ARGEQ). */
function openFrame(sg: u32, plan: u32, once: u32): void {
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
  st(FR(i, FR_ONCE), once);
}

/**
 * Push an untabled frame for OP_ONCE: a fully bound call of a flat plan (no calls, so no
 * recursion and no completion stack entry). A record shaped like a subgoal holds its key; it
 * is in no hash table, so nothing else ever finds it.
 */
export function pushOnceFrame(plan: u32, key: usize, nkey: u32): void {
  const sg = arenaAlloc((SG_KEY + nkey) << 2);
  st(SG(sg, SG_PLAN), plan);
  st(SG(sg, SG_NKEY), nkey);
  for (let i: u32 = 0; i < nkey; i++) st(SG(sg, SG_KEY + i), ld(key + (<usize>i << 2)));
  openFrame(sg, plan, 1);
}

/** Is frame `i` an OP_ONCE frame? */
@inline export function isOnce(i: u32): bool {
  return ld(FR(i, FR_ONCE)) != 0;
}

/**
 * Pop an OP_ONCE frame, found or exhausted: its choice points go (a fully bound call answers
 * once) and so does its trail, which only binds its own registers.
 */
export function popOnceFrame(): void {
  const i = frTop - 1;
  cpTop = ld(FR(i, FR_CPBASE));
  trTop = ld(FR(i, FR_TRBASE));
  frTop--;
}

@inline export function csValid(i: u32): u32 {
  const s = ld(cstack + (<usize>i << 2));
  return ld(SG(s, SG_DFN)) == i ? s : 0;
}

/** The top frame ran out of rules. Returns true if the frame restarts (leader re-pass). */
export function frameEnd(): bool {
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
        let fl = ld(SG(s, SG_FLAGS)) & ~(F_STALE | F_EXHAUSTED);
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
export function earlyComplete(): void {
  const i = frTop - 1;
  const sg = ld(FR(i, FR_SUB));
  let fl = ld(SG(sg, SG_FLAGS)) | F_HASANS;
  let keep = false;
  if ((fl & F_EXHAUSTED) != 0) {
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
