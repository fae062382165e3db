// Compiled plans, as sent by the host (bindings/compile/encode.ts). See docs/abi.md.
//
// Plan record (PLAN_WORDS words): MASK ARITY WIDTH NRULES CODE MAXREGS FREEMASK REL
// Code: per rule [nregs, lenWords] followed by instructions; the rule's instructions end with
// EMIT. Plans are appended; a policy load starts over with progReset().
import { regrow, nextCap, ld, st } from "../util/mem";

export const PLAN_WORDS: u32 = 8;
export const P_MASK: u32 = 0;
export const P_ARITY: u32 = 1;
export const P_WIDTH: u32 = 2;
export const P_NRULES: u32 = 3;
export const P_CODE: u32 = 4;
export const P_MAXREGS: u32 = 5;
export const P_FREEMASK: u32 = 6;
export const P_REL: u32 = 7;

// opcodes
export const OP_ARG: u32 = 1;
export const OP_ARGEQ: u32 = 2;
export const OP_PROBE: u32 = 3;
export const OP_CALL: u32 = 4;
export const OP_NOT: u32 = 5;
export const OP_CMP: u32 = 6;
export const OP_MOVE: u32 = 7;
export const OP_ISA: u32 = 8;
export const OP_WILD: u32 = 9;
export const OP_IN: u32 = 10;
export const OP_EMIT: u32 = 11;
/** A fully bound call of a flat plan, untabled (docs/engine.md "Once calls"); encoded like CALL. */
export const OP_ONCE: u32 = 12;
/** Read the index slots some probes will use for the frame's key values (a hint; docs/engine.md "Touches"). */
export const OP_TOUCH: u32 = 13;

// operands: < REG_LIMIT register; == OPN_NOW the query's `now`; >= 0x10000 constant value
export const REG_LIMIT: u32 = 0x4000;
export const OPN_NOW: u32 = 0x8000;

// out modes
export const MODE_BIND: u32 = 0;
export const MODE_CHECK: u32 = 1;

// comparison ops
export const CMP_EQ: u32 = 0;
export const CMP_NE: u32 = 1;
export const CMP_LT: u32 = 2;
export const CMP_LE: u32 = 3;
export const CMP_GT: u32 = 4;
export const CMP_GE: u32 = 5;

export let planTab: usize = 0;
let planCap: u32 = 0;
export let nPlans: u32 = 0;

export let code: usize = 0;
let codeCap: u32 = 0;
export let codeLen: u32 = 0;

@inline export function P(plan: u32, f: u32): u32 {
  return ld(planTab + ((<usize>(plan * PLAN_WORDS + f)) << 2));
}

@inline export function C(pc: u32): u32 {
  return ld(code + (<usize>pc << 2));
}

export function progReset(): void {
  nPlans = 0;
  codeLen = 0;
}

/**
 * Append plans from `src`: `n` plan records (PLAN_WORDS each, CODE relative to the start of
 * the code that follows), then `codeWords` words of code. Returns the id of the first plan.
 */
export function addPlans(src: usize, n: u32, codeWords: u32): u32 {
  const first = nPlans;
  if (nPlans + n > planCap) {
    const c = nextCap(planCap, nPlans + n, 64);
    planTab = regrow(planTab, <usize>(planCap * PLAN_WORDS) << 2, <usize>(c * PLAN_WORDS) << 2);
    planCap = c;
  }
  if (codeLen + codeWords > codeCap) {
    const c = nextCap(codeCap, codeLen + codeWords, 4096);
    code = regrow(code, <usize>codeCap << 2, <usize>c << 2);
    codeCap = c;
  }
  const base = codeLen;
  memory.copy(planTab + ((<usize>(nPlans * PLAN_WORDS)) << 2), src, <usize>(n * PLAN_WORDS) << 2);
  for (let i: u32 = 0; i < n; i++) {
    const f = planTab + ((<usize>((nPlans + i) * PLAN_WORDS + P_CODE)) << 2);
    st(f, ld(f) + base);
  }
  memory.copy(code + (<usize>codeLen << 2), src + ((<usize>(n * PLAN_WORDS)) << 2), <usize>codeWords << 2);
  nPlans += n;
  codeLen += codeWords;
  return first;
}

// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveProgramGlobals. */
export const PROGRAM_GLOBALS: u32 = 6;

/** Write this module's globals at `p` (u32 each); returns the address after them. */
export function saveProgramGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>planTab);
  store<u32>(p + 4, <u32>planCap);
  store<u32>(p + 8, <u32>nPlans);
  store<u32>(p + 12, <u32>code);
  store<u32>(p + 16, <u32>codeCap);
  store<u32>(p + 20, <u32>codeLen);
  return p + 24;
}

/** Read this module's globals from `p` (the layout of saveProgramGlobals). */
export function loadProgramGlobals(p: usize): usize {
  planTab = load<u32>(p + 0);
  planCap = load<u32>(p + 4);
  nPlans = load<u32>(p + 8);
  code = load<u32>(p + 12);
  codeCap = load<u32>(p + 16);
  codeLen = load<u32>(p + 20);
  return p + 24;
}
