/** Engine snapshots (docs/abi.md, "Snapshots"): the policy source, the interner's tables and the core's memory and globals. */
import { diagnostic, FactError } from "../api/errors.js";
import type { PolicySource } from "../api/types.js";
import { predKey } from "../compile/ir.js";
import type { EngineState } from "./engine-state.js";
import { Interner, type InternerParts } from "./intern.js";
import { ABI_VERSION } from "./memory.js";

/** "BRLS": the first four bytes of an engine snapshot. */
const SNAPSHOT_MAGIC = 0x534c5242;
/** The snapshot format this build reads and writes (docs/abi.md, "Snapshots"). */
export const SNAPSHOT_VERSION = 1;

function badSnapshot(why: string): FactError {
  return new FactError(diagnostic("E_BAD_SNAPSHOT", `the engine snapshot is unusable: ${why}`, "discard it and load the policy and facts again (a new snapshot can be taken afterwards)"));
}

/** FNV-style hash over u32 words. */
function wordHash(w: Uint32Array): number {
  // four interleaved lanes (fast), then combined
  let a = 0x811c9dc5;
  let b = 0x01000193;
  let c = 0x9e3779b1;
  let d = 0x85ebca6b;
  const n = w.length & ~3;
  for (let i = 0; i < n; i += 4) {
    a = Math.imul(a ^ w[i]!, 0x01000193);
    b = Math.imul(b ^ w[i + 1]!, 0x01000193);
    c = Math.imul(c ^ w[i + 2]!, 0x01000193);
    d = Math.imul(d ^ w[i + 3]!, 0x01000193);
  }
  for (let i = n; i < w.length; i++) a = Math.imul(a ^ w[i]!, 0x01000193);
  let h = Math.imul(a ^ (b >>> 7), 0x01000193);
  h = Math.imul(h ^ c, 0x01000193);
  h = Math.imul(h ^ (d << 3), 0x01000193);
  return (h ^ w.length) >>> 0;
}

const pad4 = (n: number): number => (n + 3) & ~3;

interface SnapshotHeader {
  readonly abi: number;
  /** the core build's fingerprint (see EngineState.build) */
  readonly build: string;
  readonly source: PolicySource;
  readonly rels: readonly { readonly pred: string; readonly arity: number }[];
  readonly typeNames: readonly string[];
  readonly values: number;
  readonly poolUnits: number;
  readonly tables: readonly { readonly type: string; readonly n: number; readonly cap: number }[];
  readonly intsBytes: number;
  readonly stateAt: number;
  readonly memBytes: number;
  /** memHash of the memory image (the checksum at byte 8 covers the sections before it) */
  readonly memHash: number;
  readonly flushedValues: number;
  readonly flushedInts: number;
}

/** The snapshot bytes of `st` (a policy must be loaded, from source). */
export function takeSnapshot(st: EngineState): Uint8Array {
  st.state();
  if (st.source === undefined) throw new FactError(diagnostic("E_NO_POLICY", "a snapshot needs a policy loaded with policy()", "load the policy from its source text"));
  const core = st.core;
  st.interner.flush(core);
  const parts = st.interner.saveParts();
  const ints = new TextEncoder().encode(parts.ints);
  const nState = core.x.stateWords() >>> 0;
  const at = core.reserve(nState);
  core.x.stateSave(at << 2);
  const mem = new Uint8Array(core.x.memory.buffer);
  const header: SnapshotHeader = {
    abi: ABI_VERSION,
    build: st.build,
    source: st.source,
    rels: st.rels.map((r) => ({ pred: r.pred, arity: r.arity })),
    typeNames: parts.typeNames,
    values: parts.valType.length,
    poolUnits: parts.pool.length,
    tables: parts.tables.map((t) => ({ type: t.type, n: t.n, cap: t.slots.length >>> 2 })),
    intsBytes: ints.length,
    stateAt: at << 2,
    memBytes: mem.length,
    memHash: core.x.memHash(mem.length >>> 2) >>> 0,
    flushedValues: core.flushedValues,
    flushedInts: core.flushedInts,
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  let size = 16 + pad4(head.length) + 12 * parts.valType.length + pad4(2 * parts.pool.length) + pad4(ints.length) + mem.length;
  for (const t of parts.tables) size += 4 * t.slots.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, SNAPSHOT_MAGIC, true);
  dv.setUint32(4, SNAPSHOT_VERSION, true);
  dv.setUint32(12, head.length, true);
  let p = 16;
  const put = (bytes: Uint8Array): void => {
    out.set(bytes, p);
    p += pad4(bytes.length);
  };
  const bytesOf = (a: Uint32Array | Int32Array | Uint16Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  put(head);
  put(bytesOf(parts.valType));
  put(bytesOf(parts.pool));
  put(bytesOf(parts.spans));
  for (const t of parts.tables) put(bytesOf(t.slots));
  put(ints);
  put(mem);
  dv.setUint32(8, wordHash(new Uint32Array(out.buffer, 16, (size - mem.length - 16) >>> 2)), true);
  return out;
}

/**
 * Check `bytes`, make a fresh engine state with `fresh` and load the snapshot's interner, memory
 * and relations into it; `applyLimits` sends the engine's limits to the restored core. Returns
 * the policy source, for the caller to compile and load. Throws E_BAD_SNAPSHOT.
 */
export function restoreSnapshot(bytes: Uint8Array, fresh: () => EngineState, applyLimits: () => void): PolicySource {
  if (!(bytes instanceof Uint8Array) || bytes.length < 16) throw badSnapshot("it is too short to be a snapshot");
  // aligned copy when needed (typed array views need 4-byte alignment)
  const b = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== SNAPSHOT_MAGIC) throw badSnapshot("it does not start with the snapshot magic `BRLS`");
  const version = dv.getUint32(4, true);
  if (version !== SNAPSHOT_VERSION) throw badSnapshot(`it has format version ${version}, but this boreal reads version ${SNAPSHOT_VERSION}`);
  const damaged = (): FactError => badSnapshot("its checksum does not match (it is truncated or damaged)");
  let header: SnapshotHeader;
  let p = 16;
  const take = (n: number): Uint8Array => {
    if (p + n > b.length) throw badSnapshot("a section runs past its end");
    const v = b.subarray(p, p + n);
    p += pad4(n);
    return v;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(take(dv.getUint32(12, true)))) as SnapshotHeader;
  } catch (e) {
    if (e instanceof FactError) throw e;
    throw badSnapshot("its header is not valid");
  }
  if (typeof header !== "object" || header === null || !Number.isSafeInteger(header.memBytes) || header.memBytes < 0 || b.length % 4 !== 0 || b.length - header.memBytes < 16) throw damaged();
  // the sections before the memory image are hashed here, the image in the core after the copy
  if (wordHash(new Uint32Array(b.buffer, b.byteOffset + 16, (b.length - header.memBytes - 16) >>> 2)) !== dv.getUint32(8, true)) throw damaged();
  if (header.abi !== ABI_VERSION) throw badSnapshot(`it was taken with engine ABI ${header.abi}, this engine has ABI ${ABI_VERSION}`);
  const u32 = (n: number): Uint32Array => { const v = take(4 * n); return new Uint32Array(v.buffer, v.byteOffset, n); };
  const st = fresh();
  if (header.build !== st.build) throw badSnapshot("it was taken with another build of engine.wasm");
  try {
    const valType = u32(header.values).slice();
    const poolBytes = take(2 * header.poolUnits);
    const pool = new Uint16Array(poolBytes.buffer, poolBytes.byteOffset, header.poolUnits).slice();
    const spansBytes = take(8 * header.values);
    const spans = new Int32Array(spansBytes.buffer, spansBytes.byteOffset, 2 * header.values).slice();
    const tables = header.tables.map((t) => {
      const v = take(16 * t.cap);
      return { type: t.type, n: t.n, slots: new Int32Array(v.buffer, v.byteOffset, 4 * t.cap).slice() };
    });
    const ints = new TextDecoder().decode(take(header.intsBytes));
    const parts: InternerParts = { typeNames: header.typeNames, valType, pool, spans, tables, ints };
    st.interner = Interner.fromParts(parts);
    const mem = take(header.memBytes);
    if (p !== b.length) throw new Error("trailing bytes");
    const core = st.core;
    const memory = core.x.memory;
    const have = memory.buffer.byteLength;
    if (mem.length % 65536 !== 0 || mem.length < have) throw new Error("bad memory size");
    if (mem.length > have) memory.grow((mem.length - have) / 65536);
    new Uint8Array(memory.buffer).set(mem);
    if ((core.x.memHash(mem.length >>> 2) >>> 0) !== header.memHash) throw damaged();
    core.x.stateLoad(header.stateAt);
    applyLimits(); // limits belong to the engine, not to the snapshot
    core.refresh();
    core.flushedValues = header.flushedValues;
    core.flushedInts = header.flushedInts;
    if ((core.x.valueCount() >>> 0) !== header.flushedValues || (core.x.intCount() >>> 0) !== header.flushedInts) throw new Error("value counts differ");
    for (const r of header.rels) st.relId(predKey(r.pred, r.arity), r.arity);
  } catch (e) {
    if (e instanceof FactError) throw e;
    throw badSnapshot(`its contents are inconsistent (${e instanceof Error ? e.message : String(e)})`);
  }
  return header.source;
}
