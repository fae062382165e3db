// Fact tracing: while enabled, every stored row a PROBE matched is recorded once, as a copy
// of its record [rel, values...] (copied, so rows deleted later, such as context facts, keep
// their values). Deduplicated by value through a hash set of record offsets.
import { regrow, nextCap, hmix, hfin, ld, st } from "../util/mem";
import { relArity } from "../store/store";

/** Is tracing on? (checked by the machine on each matched row) */
export let tracing: bool = false;
let recs: usize = 0; // records [rel, values...], u32 words
let recCap: u32 = 0; // words
let recTop: u32 = 0; // words
let nRecs: u32 = 0;
let slots: usize = 0; // hash set: word offset of a record + 1 (0 = empty)
let slotCap: u32 = 0;

/** Clear the trace and enable it. */
export function traceStart(): void {
  recTop = 0;
  nRecs = 0;
  if (slots == 0) {
    slotCap = 1024;
    slots = regrow(0, 0, <usize>slotCap << 2);
  } else memory.fill(slots, 0, <usize>slotCap << 2);
  tracing = true;
}

/** Disable tracing; the records stay readable until the next traceStart. */
export function traceStop(): void {
  tracing = false;
}

export function traceRecords(): u32 {
  return nRecs;
}
export function traceWords(): u32 {
  return recTop;
}
export function traceData(): usize {
  return recs;
}

function hashOf(rel: u32, vals: usize, arity: u32): u32 {
  let h = hmix(0x27d4eb2f, rel);
  for (let i: u32 = 0; i < arity; i++) h = hmix(h, ld(vals + (<usize>i << 2)));
  return hfin(h);
}

function sameRecord(off: u32, rel: u32, vals: usize, arity: u32): bool {
  const r = recs + (<usize>off << 2);
  if (ld(r) != rel) return false;
  for (let i: u32 = 0; i < arity; i++) {
    if (ld(r + (<usize>(i + 1) << 2)) != ld(vals + (<usize>i << 2))) return false;
  }
  return true;
}

function insertSlot(off: u32, h: u32): void {
  const m = slotCap - 1;
  let j = h & m;
  while (ld(slots + (<usize>j << 2)) != 0) j = (j + 1) & m;
  st(slots + (<usize>j << 2), off + 1);
}

function growSlots(): void {
  heap.free(slots);
  slotCap <<= 1;
  slots = regrow(0, 0, <usize>slotCap << 2);
  let off: u32 = 0;
  while (off < recTop) {
    const rel = ld(recs + (<usize>off << 2));
    const arity = relArity(rel);
    insertSlot(off, hashOf(rel, recs + (<usize>(off + 1) << 2), arity));
    off += arity + 1;
  }
}

/** Record the row of `rel` whose values are at `vals` (once). */
export function traceRow(rel: u32, vals: usize): void {
  const arity = relArity(rel);
  const h = hashOf(rel, vals, arity);
  const m = slotCap - 1;
  let j = h & m;
  while (true) {
    const s = ld(slots + (<usize>j << 2));
    if (s == 0) break;
    if (sameRecord(s - 1, rel, vals, arity)) return;
    j = (j + 1) & m;
  }
  const need = recTop + arity + 1;
  if (need > recCap) {
    const c = nextCap(recCap, need, 1024);
    recs = regrow(recs, <usize>recCap << 2, <usize>c << 2);
    recCap = c;
  }
  const off = recTop;
  st(recs + (<usize>off << 2), rel);
  memory.copy(recs + (<usize>(off + 1) << 2), vals, <usize>arity << 2);
  recTop = need;
  st(slots + (<usize>j << 2), off + 1);
  nRecs++;
  if (nRecs * 2 > slotCap) growSlots();
}

// ---- snapshot support (docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveTraceGlobals. */
export const TRACE_GLOBALS: u32 = 7;

export function saveTraceGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>tracing);
  store<u32>(p + 4, <u32>recs);
  store<u32>(p + 8, <u32>recCap);
  store<u32>(p + 12, <u32>recTop);
  store<u32>(p + 16, <u32>nRecs);
  store<u32>(p + 20, <u32>slots);
  store<u32>(p + 24, <u32>slotCap);
  return p + 28;
}

export function loadTraceGlobals(p: usize): usize {
  tracing = load<u32>(p + 0) != 0;
  recs = load<u32>(p + 4);
  recCap = load<u32>(p + 8);
  recTop = load<u32>(p + 12);
  nRecs = load<u32>(p + 16);
  slots = load<u32>(p + 20);
  slotCap = load<u32>(p + 24);
  return p + 28;
}
