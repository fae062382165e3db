// The tabled, demand-driven evaluator (see docs/engine.md).
//
// Every subgoal (plan, bound values) has a table of answers in the eval arena. A CALL of a new
// subgoal pushes a frame that runs the plan's rules (nested-loop joins with choice points);
// recursive subgoals consume the answers found so far through live cursors, and the SCC leader
// re-runs its pass only while some table got an answer after a consumer had read it to its end
// (completion.ts, candidates.ts markExhausted). A subgoal with
// no free positions completes at its first answer. All stacks live in linear memory.
//
// This file is the machine (solve, run). state.ts: records and stacks; tables.ts: subgoal and
// answer tables; unify.ts: unification; candidates.ts: PROBE/CALL/IN iteration; completion.ts:
// frames and SCC completion; budget.ts: limits; trace.ts: fact tracing.
import { NONE, ld, st } from "../util/mem";
import { isWild, typeOfVal, sub } from "../program/values";
import {
  P, C, P_MASK, P_WIDTH, P_NRULES, P_FREEMASK, OP_ARG, OP_ARGEQ, OP_PROBE, OP_CALL, OP_NOT, OP_CMP,
  OP_MOVE, OP_ISA, OP_WILD, OP_IN, OP_EMIT, OP_ONCE, OP_TOUCH, REG_LIMIT, OPN_NOW, CMP_EQ, CMP_NE,
} from "../program/program";
import { idxRel, idxMask, idxFind, idxTouch, relNextLive } from "../store/store";
import { budgetStart, budgetNext } from "./budget";
import {
  AN_VALS, CPF, CP_A, CP_B, CP_KIND, CP_PC, CP_TRAIL, FR, FR_CPBASE, FR_PC, FR_PENDING, FR_PLAN,
  FR_REGBASE, FR_RLEFT, FR_RULE, FR_SUB, FR_TRBASE, F_DIRTY, F_HASANS, K_CALL, K_IN,
  K_PROBE, SG, SG_DFN, SG_FIRST, SG_FLAGS, SG_KEY, SG_LOW, SG_PLAN, SG_STATE, S_ACTIVE, S_COMPLETE,
  S_EVALUATED, S_NEW, arena, cpTop, frTop, keyBuf, nowVal, regsBuf, resetEval, setSeenSg, tmpBuf, trTop,
} from "./state";
import { ansAdd, sgLookup } from "./tables";
import { opval, trailUndo, unifyOp, unifyReg } from "./unify";
import { earlyComplete, frameEnd, isOnce, popOnceFrame, pushFrame, pushOnceFrame } from "./completion";
import {
  answerTry, buildCallKey, callFrom, cmpInts, emitTail, inFrom, keyHasWild, markExhausted, probeFrom, probeTail,
  stepLen,
} from "./candidates";

// ---------------------------------------------------------------- the machine

/**
 * Evaluate subgoal (plan, key) to completion (or to its first answer when it has no free
 * positions). Returns the subgoal's arena offset.
 */
export function solve(plan: u32, key: usize, now: u32): u32 {
  resetEval();
  nowVal = now;
  const nkey = popcnt(P(plan, P_MASK));
  for (let i: u32 = 0; i < nkey; i++) st(tmpBuf + (<usize>i << 2), ld(key + (<usize>i << 2)));
  const root = sgLookup(plan, tmpBuf, nkey);
  if (P(plan, P_WIDTH) == 1) setSeenSg(root);
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
        if (kind == K_PROBE) {
          const emit = emitTail(cpc + stepLen(cpc));
          if (emit != 0) {
            const used = probeTail(cpc, ld(CPF(ci, CP_B)), ld(CPF(ci, CP_A)), t0, ci, regBase, regs, emit, ld(FR(fi, FR_SUB)), steps > 1 ? steps - 1 : 1);
            steps = steps > used ? steps - used : 1;
            continue;
          }
          ok = probeFrom(cpc, ld(CPF(ci, CP_B)), ld(CPF(ci, CP_A)), t0, ci, regBase, regs);
        }
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
      if (isOnce(fi)) {
        // an OP_ONCE call found nothing: its caller backtracks
        popOnceFrame();
        fi = frTop - 1;
        regBase = ld(FR(fi, FR_REGBASE));
        regs = regsBuf + (<usize>regBase << 2);
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
        // a rule starts with a run of ARGs: one step for the run
        const sg = ld(FR(fi, FR_SUB));
        do {
          st(regs + (<usize>C(pc + 2) << 2), ld(SG(sg, SG_KEY + C(pc + 1))));
          pc += 3;
        } while (C(pc) == OP_ARG);
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
        if (row == NONE) {
          bt = true;
          break;
        }
        const emit = emitTail(pc + stepLen(pc));
        if (emit != 0) {
          // every row runs the probe's tail (filters, EMIT) inside probeFrom: rows count as steps
          const used = probeTail(pc, idx, row, t0, NONE, regBase, regs, emit, ld(FR(fi, FR_SUB)), steps > 1 ? steps - 1 : 1);
          steps = steps > used ? steps - used : 1;
          bt = true;
        } else if (probeFrom(pc, idx, row, t0, NONE, regBase, regs)) pc += stepLen(pc);
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
          } else if (state == S_EVALUATED) {
            const l = ld(SG(sg, SG_LOW));
            if (l < ld(SG(me, SG_LOW))) st(SG(me, SG_LOW), l);
          }
        } else {
          st(FR(fi, FR_PENDING), 0);
          if (ld(SG(sg, SG_STATE)) != S_COMPLETE) {
            const l = ld(SG(sg, SG_LOW));
            if (l < ld(SG(me, SG_LOW))) st(SG(me, SG_LOW), l);
          }
        }
        const plan = ld(SG(sg, SG_PLAN));
        const t0 = trTop;
        let ok: bool;
        if (P(plan, P_WIDTH) == 0) {
          ok = (ld(SG(sg, SG_FLAGS)) & F_HASANS) != 0;
          if (!ok) markExhausted(sg);
          if (op == OP_NOT) ok = !ok;
        } else if (op == OP_CALL) {
          ok = callFrom(pc, sg, sg, t0, NONE, regBase, regs);
        } else {
          // NOT: succeed iff no answer unifies
          markExhausted(sg);
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
      case OP_ONCE: {
        const nkey = buildCallKey(pc, C(pc + 1), regs);
        st(FR(fi, FR_PC), pc);
        pushOnceFrame(C(pc + 1), keyBuf, nkey);
        fi = frTop - 1;
        pc = ld(FR(fi, FR_PC));
        regBase = ld(FR(fi, FR_REGBASE));
        regs = regsBuf + (<usize>regBase << 2);
        bt = P(ld(FR(fi, FR_PLAN)), P_NRULES) == 0;
        break;
      }
      case OP_TOUCH: {
        // hints only: the values read go to a scratch word so that they are not optimised away
        const sg = ld(FR(fi, FR_SUB));
        const n = C(pc + 1);
        let sink: u32 = 0;
        for (let k: u32 = 0; k < n; k++) sink += idxTouch(C(pc + 2 + 2 * k), ld(SG(sg, SG_KEY + C(pc + 3 + 2 * k))));
        st(tmpBuf, sink);
        pc += 2 + 2 * n;
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
          if (isOnce(fi)) {
            // an OP_ONCE call succeeded: its caller goes on after the call
            popOnceFrame();
            fi = frTop - 1;
            pc = ld(FR(fi, FR_PC));
            pc += stepLen(pc);
            regBase = ld(FR(fi, FR_REGBASE));
            regs = regsBuf + (<usize>regBase << 2);
            break;
          }
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
