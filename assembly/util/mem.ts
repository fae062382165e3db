// Low-level helpers: growable raw buffers and hashing. Nothing here allocates managed objects.

/** Sentinel for "no row" / "no entry". */
export const NONE: u32 = 0xFFFFFFFF;

/** Allocate `bytes` zeroed bytes from the runtime heap (TLSF under --runtime minimal). */
export function zalloc(bytes: usize): usize {
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** Grow a buffer to `newBytes`, zeroing the new tail. Returns the (possibly moved) pointer. */
export function regrow(ptr: usize, oldBytes: usize, newBytes: usize): usize {
  let p: usize;
  if (ptr == 0) p = heap.alloc(newBytes);
  else p = heap.realloc(ptr, newBytes);
  if (newBytes > oldBytes) memory.fill(p + oldBytes, 0, newBytes - oldBytes);
  return p;
}

/** Next capacity (in elements) >= need, growing geometrically from cur. */
@inline export function nextCap(cur: u32, need: u32, min: u32): u32 {
  let c = cur < min ? min : cur;
  while (c < need) c = c + (c >> 1) + 16;
  return c;
}

@inline export function rotl32(x: u32, r: u32): u32 {
  return (x << r) | (x >>> (32 - r));
}

/** One murmur3 round. */
@inline export function hmix(h: u32, k: u32): u32 {
  k *= 0xcc9e2d51;
  k = rotl32(k, 15);
  k *= 0x1b873593;
  h ^= k;
  h = rotl32(h, 13);
  return h * 5 + 0xe6546b64;
}

/** murmur3 finaliser. */
@inline export function hfin(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

@inline export function ld(p: usize): u32 {
  return load<u32>(p);
}

@inline export function st(p: usize, v: u32): void {
  store<u32>(p, v);
}
