// Batch ABI: size the store for a known batch before its facts arrive (docs/abi.md).
import { ld } from "../util/mem";
import * as S from "./store";

/**
 * `n` batch shapes at `at`, each [rel, count, d0 .. d(arity-1)]: `count` facts of `rel` are
 * coming, whose column c holds at most dc different values. Grows every row array and index
 * table once, to its final size, and grows Wasm memory once for all of them: the allocator
 * otherwise doubles memory whenever it runs out, which at 1M facts leaves ~30% unused.
 */
export function storeReserve(at: usize, n: u32): void {
  let bytes: usize = 0;
  let p = at;
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(p);
    if (S.relExists(rel)) bytes += S.relPlanBatch(rel, ld(p + 4), p + 8, false);
    p += (<usize>(2 + S.relArity(rel))) << 2;
  }
  if (bytes > 0 && bytes < 0xC0000000) {
    // one block as large as all new arrays (plus the allocator's size-class rounding), freed at
    // once: the arrays below are then carved out of it without growing memory again
    const block = heap.alloc(bytes + (bytes >>> 4) + 65536);
    heap.free(block);
  }
  p = at;
  for (let i: u32 = 0; i < n; i++) {
    const rel = ld(p);
    if (S.relExists(rel)) S.relPlanBatch(rel, ld(p + 4), p + 8, true);
    p += (<usize>(2 + S.relArity(rel))) << 2;
  }
}
