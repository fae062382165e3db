// Subgoal and answer tables: epoch-stamped hash sets over records in the eval arena.
import { NONE, regrow, hmix, hfin, ld, st } from "../util/mem";
import {
  AN_VALS, F_EXHAUSTED, F_STALE, SG, SG_DFN, SG_FIRST, SG_FLAGS, SG_HASH, SG_KEY, SG_LAST, SG_LOW,
  SG_NKEY, SG_PLAN, SG_RUN, SG_STATE, S_NEW, anCap, anSlots, anUsed, arena, arenaAlloc, epoch,
  sgCap, sgSlots, sgUsed, statAnswers, statSubgoals, seenSg, seenBits, ensureSeen,
} from "./state";
import { VAL_BASE, INT_BIT } from "../program/values";

// ---------------------------------------------------------------- tables

export function rehash(slots: usize, cap: u32, isSub: bool): usize {
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
export function sgLookup(plan: u32, key: usize, nkey: u32): u32 {
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
export function ansAdd(sg: u32, vals: usize, width: u32): bool {
  if (sg == seenSg) {
    // the root of a one-free-position query: ordinary values dedup in the seen bitmap
    const v = ld(vals);
    if (v >= VAL_BASE && v < INT_BIT) {
      const i = v - VAL_BASE;
      ensureSeen(i);
      const w = seenBits + (<usize>(i >>> 5) << 2);
      const bits = ld(w);
      const bit: u32 = 1 << (i & 31);
      if ((bits & bit) != 0) return false;
      st(w, bits | bit);
      ansAppend(sg, vals, width);
      return true;
    }
  }
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
  const off = ansAppend(sg, vals, width);
  const s = anSlots + (<usize>j << 4);
  st(s, epoch);
  st(s + 4, h);
  st(s + 8, off);
  anUsed++;
  if (anUsed * 2 > anCap) anSlots = rehash(anSlots, anCap, false);
  return true;
}

/** Append a new answer record to sg's list; returns its arena offset. */
function ansAppend(sg: u32, vals: usize, width: u32): u32 {
  const off = arenaAlloc((AN_VALS + width) << 2);
  const ap = arena + <usize>off;
  st(ap, 0);
  st(ap + 4, sg);
  for (let i: u32 = 0; i < width; i++) st(ap + ((<usize>(AN_VALS + i)) << 2), ld(vals + (<usize>i << 2)));
  const last = ld(SG(sg, SG_LAST));
  st(arena + <usize>last, off);
  st(SG(sg, SG_LAST), off);
  statAnswers++;
  const fl = ld(SG(sg, SG_FLAGS));
  if ((fl & F_EXHAUSTED) != 0) st(SG(sg, SG_FLAGS), fl | F_STALE);
  return off;
}
