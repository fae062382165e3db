// Value ids, their types, Integer values and the subtype relation.
//
// Value id layout (u32):
//   0                    FREE (unbound; never stored)
//   1 .. 0xFFFF          typed wildcard *T, T = id - 1
//   0x10000 .. 0x7FFFFFFF ordinary value, typeOf[id - 0x10000]
//   0x80000000 ..        Integer, its i64 value at ints[id & 0x7FFFFFFF]
import { regrow, nextCap, ld } from "../util/mem";

export const VAL_BASE: u32 = 0x10000;
export const INT_BIT: u32 = 0x80000000;
export const TYPE_STRING: u32 = 0;
export const TYPE_INTEGER: u32 = 1;
export const TYPE_BOOLEAN: u32 = 2;

// typeOf table for ordinary values
let typeOfPtr: usize = 0;
let typeOfCap: u32 = 0;
export let nValues: u32 = 0;

// Integer side table
let intsPtr: usize = 0;
let intsCap: u32 = 0;
export let nInts: u32 = 0;

// subtype matrix: nTypes rows of `subWords` words; bit t of row s set iff s ⊑ t
let subPtr: usize = 0;
let subBytes: usize = 0;
export let nTypes: u32 = 0;
let subWords: u32 = 0;

@inline export function isWild(v: u32): bool {
  return v - 1 < 0xFFFF;
}

@inline export function isInt(v: u32): bool {
  return v >= INT_BIT;
}

/** The type id of a value (wildcards: their type). */
@inline export function typeOfVal(v: u32): u32 {
  if (v >= INT_BIT) return TYPE_INTEGER;
  if (v >= VAL_BASE) return <u32>load<u16>(typeOfPtr + (<usize>(v - VAL_BASE) << 1));
  return v - 1;
}

@inline export function intOf(v: u32): i64 {
  return load<i64>(intsPtr + (<usize>(v & 0x7FFFFFFF) << 3));
}

/** s ⊑ t */
@inline export function sub(s: u32, t: u32): bool {
  if (s == t) return true;
  if (s >= nTypes || t >= nTypes) return false;
  return ((ld(subPtr + ((<usize>(s * subWords + (t >>> 5))) << 2)) >>> (t & 31)) & 1) != 0;
}

/** isa(v, T) for a concrete value v. */
@inline export function isaVal(v: u32, t: u32): bool {
  return sub(typeOfVal(v), t);
}

/**
 * Append `n` value types read from `src` (u32 each). Ids are assigned densely by the host. They
 * are kept as u16 (type ids are below 0xFFFE): half the table, so more of it stays in cache for
 * the `isa` checks of large stores.
 */
export function defineValues(src: usize, n: u32): void {
  const need = nValues + n;
  if (need > typeOfCap) {
    const c = nextCap(typeOfCap, need, 1024);
    typeOfPtr = regrow(typeOfPtr, <usize>typeOfCap << 1, <usize>c << 1);
    typeOfCap = c;
  }
  const dst = typeOfPtr + (<usize>nValues << 1);
  for (let i: u32 = 0; i < n; i++) store<u16>(dst + (<usize>i << 1), <u16>ld(src + (<usize>i << 2)));
  nValues = need;
}

/** Append `n` Integer values read from `src` as (lo, hi) u32 pairs. */
export function defineInts(src: usize, n: u32): void {
  const need = nInts + n;
  if (need > intsCap) {
    const c = nextCap(intsCap, need, 64);
    intsPtr = regrow(intsPtr, <usize>intsCap << 3, <usize>c << 3);
    intsCap = c;
  }
  memory.copy(intsPtr + (<usize>nInts << 3), src, <usize>n << 3);
  nInts = need;
}

/** Replace the subtype matrix: `n` types, then n rows of ceil(n/32) words from src. */
export function setTypes(src: usize, n: u32): void {
  const words = (n + 31) >>> 5;
  const bytes = <usize>(n * words) << 2;
  if (bytes > subBytes) {
    subPtr = regrow(subPtr, subBytes, bytes);
    subBytes = bytes;
  }
  memory.copy(subPtr, src, bytes);
  nTypes = n;
  subWords = words;
}

export function resetValues(): void {
  nValues = 0;
  nInts = 0;
}

@inline export function typeOfPtrGet(): usize {
  return typeOfPtr;
}


// ---- snapshot support (generated list of this module's globals, docs/abi.md "Snapshots")

/** Number of u32 globals saved by saveValuesGlobals. */
export const VALUES_GLOBALS: u32 = 10;

/** Write this module's globals at `p` (u32 each); returns the address after them. */
export function saveValuesGlobals(p: usize): usize {
  store<u32>(p + 0, <u32>typeOfPtr);
  store<u32>(p + 4, <u32>typeOfCap);
  store<u32>(p + 8, <u32>nValues);
  store<u32>(p + 12, <u32>intsPtr);
  store<u32>(p + 16, <u32>intsCap);
  store<u32>(p + 20, <u32>nInts);
  store<u32>(p + 24, <u32>subPtr);
  store<u32>(p + 28, <u32>subBytes);
  store<u32>(p + 32, <u32>nTypes);
  store<u32>(p + 36, <u32>subWords);
  return p + 40;
}

/** Read this module's globals from `p` (the layout of saveValuesGlobals). */
export function loadValuesGlobals(p: usize): usize {
  typeOfPtr = load<u32>(p + 0);
  typeOfCap = load<u32>(p + 4);
  nValues = load<u32>(p + 8);
  intsPtr = load<u32>(p + 12);
  intsCap = load<u32>(p + 16);
  nInts = load<u32>(p + 20);
  subPtr = load<u32>(p + 24);
  subBytes = load<u32>(p + 28);
  nTypes = load<u32>(p + 32);
  subWords = load<u32>(p + 36);
  return p + 40;
}
