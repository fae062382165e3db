// The evaluator's state: the eval arena (subgoal and answer records), the machine's stacks
// (frames, choice points, trail, registers, completion stack), their record layouts and growth.
import { regrow, nextCap, ld, st } from "../util/mem";

// ---------------------------------------------------------------- state

// eval arena: subgoal and answer records, addressed by byte offset (0 = none)
export let arena: usize = 0;
export let arenaCap: u32 = 0;
export let arenaTop: u32 = 16;

// subgoal and answer hash sets: slots [epoch, hash, off, 0]
export let sgSlots: usize = 0;
export let sgCap: u32 = 0;
export let sgUsed: u32 = 0;
export let anSlots: usize = 0;
export let anCap: u32 = 0;
export let anUsed: u32 = 0;
export let epoch: u32 = 0;

// stacks
export let frames: usize = 0;
export let frCap: u32 = 0;
export let frTop: u32 = 0;
export let cps: usize = 0;
export let cpCap: u32 = 0;
export let cpTop: u32 = 0;
export let trail: usize = 0;
export let trCap: u32 = 0;
export let trTop: u32 = 0;
export let regsBuf: usize = 0;
export let rgCap: u32 = 0;
export let cstack: usize = 0;
export let csCap: u32 = 0;
export let csTop: u32 = 0;

export let clock: u32 = 0;
export let nowVal: u32 = 0;
export let keyBuf: usize = 0;
export let tmpBuf: usize = 0;
export let chkBuf: usize = 0;

// The root subgoal of a list-like query (one free position) dedups its ordinary-value answers
// in a bitmap indexed by value instead of the answer hash set (tables.ts ansAdd); the bits it
// set are cleared by the next resetEval.
export let seenSg: u32 = 0;
export let seenBits: usize = 0;
export let seenWords: u32 = 0;

/** Statistics of the last query (for tests and tuning). */
export let statSubgoals: u32 = 0;
export let statAnswers: u32 = 0;

// subgoal record (word offsets)
export const SG_FIRST: u32 = 0; // first answer (the "next" word of the list head)
export const SG_LAST: u32 = 1;
export const SG_PLAN: u32 = 2;
export const SG_STATE: u32 = 3;
export const SG_DFN: u32 = 4;
export const SG_LOW: u32 = 5;
export const SG_RUN: u32 = 6;
export const SG_FLAGS: u32 = 7;
export const SG_HASH: u32 = 8;
export const SG_NKEY: u32 = 9;
export const SG_KEY: u32 = 10;

export const S_NEW: u32 = 0;
export const S_ACTIVE: u32 = 1;
export const S_EVALUATED: u32 = 2;
export const S_COMPLETE: u32 = 3;

/** a consumer read this table to its end while it was incomplete (a later answer makes it stale) */
export const F_EXHAUSTED: u32 = 1;
export const F_STALE: u32 = 2;
export const F_HASANS: u32 = 4;
export const F_DIRTY: u32 = 8;

// answer record: NEXT SUB values...
export const AN_VALS: u32 = 2;

// frame record
export const FRAME_WORDS: u32 = 10;
export const FR_SUB: u32 = 0;
export const FR_PLAN: u32 = 1;
export const FR_RULE: u32 = 2;
export const FR_PC: u32 = 3;
export const FR_REGBASE: u32 = 4;
export const FR_CPBASE: u32 = 5;
export const FR_TRBASE: u32 = 6;
export const FR_PENDING: u32 = 7;
export const FR_RLEFT: u32 = 8;
/** 1 for an untabled OP_ONCE frame */
export const FR_ONCE: u32 = 9;

// choice point record
export const CP_WORDS: u32 = 6;
export const CP_KIND: u32 = 0;
export const CP_PC: u32 = 1;
export const CP_A: u32 = 2;
export const CP_B: u32 = 3;
export const CP_TRAIL: u32 = 4;

export const K_PROBE: u32 = 1;
export const K_CALL: u32 = 2;
export const K_IN: u32 = 3;

@inline export function SG(off: u32, f: u32): usize {
  return arena + <usize>off + (<usize>f << 2);
}
@inline export function FR(i: u32, f: u32): usize {
  return frames + ((<usize>(i * FRAME_WORDS + f)) << 2);
}
@inline export function CPF(i: u32, f: u32): usize {
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

export function arenaAlloc(bytes: u32): u32 {
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

export function ensureFrames(n: u32): void {
  if (n <= frCap) return;
  const c = nextCap(frCap, n, 64);
  frames = regrow(frames, <usize>(frCap * FRAME_WORDS) << 2, <usize>(c * FRAME_WORDS) << 2);
  frCap = c;
}
export function ensureCps(n: u32): void {
  if (n <= cpCap) return;
  const c = nextCap(cpCap, n, 256);
  cps = regrow(cps, <usize>(cpCap * CP_WORDS) << 2, <usize>(c * CP_WORDS) << 2);
  cpCap = c;
}
export function ensureTrail(n: u32): void {
  if (n <= trCap) return;
  const c = nextCap(trCap, n, 256);
  trail = regrow(trail, <usize>trCap << 3, <usize>c << 3);
  trCap = c;
}
export function ensureRegs(n: u32): void {
  if (n <= rgCap) return;
  const c = nextCap(rgCap, n, 1024);
  regsBuf = regrow(regsBuf, <usize>rgCap << 2, <usize>c << 2);
  rgCap = c;
}
export function ensureCs(n: u32): void {
  if (n <= csCap) return;
  const c = nextCap(csCap, n, 256);
  cstack = regrow(cstack, <usize>csCap << 2, <usize>c << 2);
  csCap = c;
}

/** Clear the bits the last query's root answers set in the seen bitmap (before the arena is reused). */
function clearSeen(): void {
  let a = ld(arena + <usize>seenSg); // its SG_FIRST: the first answer record
  while (a != 0) {
    const v = ld(arena + <usize>a + (<usize>AN_VALS << 2));
    if (v >= 0x10000 && v < 0x80000000) {
      const i = v - 0x10000;
      if ((i >>> 5) < seenWords) st(seenBits + (<usize>(i >>> 5) << 2), 0);
    }
    a = ld(arena + <usize>a);
  }
  seenSg = 0;
}

/** Make `sg` (the root of a query with one free position) dedup its answers in the seen bitmap. */
export function setSeenSg(sg: u32): void {
  seenSg = sg;
}

/** Make the seen bitmap cover value index `i` (value id - VAL_BASE). */
export function ensureSeen(i: u32): void {
  if ((i >>> 5) < seenWords) return;
  const c = nextCap(seenWords, (i >>> 5) + 1, 1024);
  seenBits = regrow(seenBits, <usize>seenWords << 2, <usize>c << 2);
  seenWords = c;
}

export function resetEval(): void {
  if (seenSg != 0) clearSeen();
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


// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveEvalGlobals. */
export const EVAL_GLOBALS: u32 = 34;

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
  store<u32>(p + 124, <u32>seenSg);
  store<u32>(p + 128, <u32>seenBits);
  store<u32>(p + 132, <u32>seenWords);
  return p + 136;
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
  seenSg = load<u32>(p + 124);
  seenBits = load<u32>(p + 128);
  seenWords = load<u32>(p + 132);
  return p + 136;
}
