/**
 * The core's exports and its linear memory. The memory can grow during any call, which
 * detaches the old ArrayBuffer: `u32()` re-derives the view whenever the buffer changed, so
 * callers must take the view after each call and never keep it across one.
 */

/** The numeric exports of build/engine.wasm (docs/abi.md). i32 results are read with `>>> 0`. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  abiVersion(): number;
  ioPtr(): number;
  ioReserve(words: number): number;
  ioWords(): number;
  outPtr(): number;
  setTypes(n: number): void;
  defineValues(n: number): void;
  defineInts(n: number): void;
  valueCount(): number;
  intCount(): number;
  relEnsure(rel: number, arity: number): number;
  ensureIndexes(n: number): void;
  insertFacts(n: number): number;
  storeReserve(at: number, n: number): void;
  deleteFacts(n: number): number;
  selectRows(rel: number, mask: number, typed: number, del: number): number;
  relCount(rel: number): number;
  factCount(): number;
  indexEntries(): number;
  storeBytes(): number;
  memoryPages(): number;
  progReset(): void;
  addPlans(n: number, codeWords: number): number;
  planCount(): number;
  query(plan: number, now: number): number;
  lastSubgoals(): number;
  ctxInsert(n: number): number;
  ctxClear(): void;
  knownValues(type: number): number;
  stateWords(): number;
  stateSave(ptr: number): void;
  stateLoad(ptr: number): void;
  memHash(words: number): number;
  setEvalBudget(maxSteps: number, budgetMs: number): void;
  evalStatus(): number;
  traceBegin(): void;
  traceEnd(): number;
}

export const ABI_VERSION = 1;

export class Core {
  readonly x: CoreExports;
  private buffer: ArrayBuffer;
  private view: Uint32Array;
  /** Byte address of the I/O buffer and its size in words (refreshed by reserve). */
  io: number;
  ioWords: number;
  /** How many ordinary values / Integers the core knows (see Interner.flush). */
  flushedValues = 0;
  flushedInts = 0;

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
    if ((this.x.abiVersion() >>> 0) !== ABI_VERSION) throw new Error(`engine.wasm has ABI ${this.x.abiVersion()}, expected ${ABI_VERSION}`);
    this.io = this.x.ioPtr() >>> 0;
    this.ioWords = this.x.ioWords() >>> 0;
    this.buffer = this.x.memory.buffer;
    this.view = new Uint32Array(this.buffer);
  }

  /** Re-read the I/O buffer's address and size (after the core's state was replaced). */
  refresh(): void {
    this.io = this.x.ioPtr() >>> 0;
    this.ioWords = this.x.ioWords() >>> 0;
    this.u32();
  }

  /** The current u32 view of memory (re-derived after growth). */
  u32(): Uint32Array {
    const b = this.x.memory.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.view = new Uint32Array(b);
    }
    return this.view;
  }

  /** Make the I/O buffer hold `words` words; returns its word index in the u32 view. */
  reserve(words: number): number {
    if (words > this.ioWords) {
      this.io = this.x.ioReserve(words) >>> 0;
      this.ioWords = this.x.ioWords() >>> 0;
    }
    return this.io >>> 2;
  }

  /** Word index of the output buffer (valid until the next call). */
  out(): number {
    return (this.x.outPtr() >>> 0) >>> 2;
  }
}
