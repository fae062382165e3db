/**
 * The Wasm-backed engine: the public API (DESIGN §5) over the AssemblyScript core. TypeScript
 * does the text work (compiling, validating, interning, formatting answers); every question
 * is one core call per evaluation (plus one to flush new values, and two for context facts).
 */
import { assertionFailure } from "./shared/assertions.js";
import { stageBatch } from "./shared/batch.js";
import { EntityHandle } from "./handle.js";
import { BorealError, diagnostic, FactError, PolarError } from "../api/errors.js";
import type {
  AuthorizationEngine, Fact, FactPattern, OutputFact, PolicyResult, PolicySource, QueryRow,
  TestCaseResult, TestFailure, TestReport, Transaction, TypedValue, Value, ValuePattern,
} from "../api/types.js";
import { toOutputValue, toTypedFact, toTypedFactPattern, toTypedPattern, toTypedValue, type TypedPattern } from "../api/values.js";
import { compilePolicy } from "../compile/index.js";
import { encodePlans, indexesOf } from "../compile/encode.js";
import { MAX_ARITY, PlanError, Planner } from "../compile/plan.js";
import { predKey, type CompiledTest, type PredKey, type Program } from "../compile/ir.js";
import { isSubtype } from "../polar/model.js";
import { Lattice, type Tuple, tupleKey } from "./shared/answers.js";
import { actionsFrom, listFrom, programConstants, queryFrom } from "./shared/entry.js";
import { FactValidator, noPolicyError } from "./shared/validate.js";
import { INT_BIT, Interner, type InternerParts, TYPE_STRING, VAL_BASE } from "./intern.js";
import { answerTuples, type FactRecord, readRows, insertWords, sendFacts, sendWords, WordBuffer, writePattern } from "./marshal.js";
import { ABI_VERSION, Core } from "./memory.js";
import { applySlice, type SliceFact, type SliceGuard, type SliceHost, type SliceOptions, takeSlice } from "../slice/index.js";
import { coreImports } from "./load.js";

const ALLOW: PredKey = "allow/3";
const MASK_BBB = 0b111;
const MASK_BBF = 0b011;
const MASK_BFB = 0b101;

export interface WasmEngineOptions {
  /** The value of `@current_unix_time` in seconds (default: the wall clock). */
  readonly now?: () => bigint;
  /** Policy text → Program (default: the boreal compiler). */
  readonly compile?: (source: PolicySource) => Program;
}

/** Limits on each evaluation (0 or absent = none); see WasmEngine.setLimits. */
export interface EvalLimits {
  /** the most machine steps one question may take */
  readonly evalSteps?: number;
  /** the most milliseconds one question may take (checked every 1024 steps) */
  readonly evalTimeMs?: number;
}

/** A core query's result when it was stopped by a limit (docs/abi.md). */
const OVER_BUDGET = 0xffffffff;

interface Loaded {
  readonly program: Program;
  readonly lat: Lattice;
  readonly validator: FactValidator;
  readonly constants: readonly TypedValue[];
  readonly planner: Planner;
  readonly usesNow: boolean;
  /** Plan ids of allow/3 for authorize (bbb), list (bbf) and actions (bfb); -1 without allow/3. */
  readonly bbb: number;
  readonly bbf: number;
  readonly bfb: number;
  /** Entry plans specialised by action and resource type, per mask: action -> type -> plan id. */
  readonly entryBBB: Map<string, Map<string, number>>;
  readonly entryBBF: Map<string, Map<string, number>>;
  readonly entryBFB: Map<string, Map<string, number>>;
  /** authorize: action value id -> resource type id -> plan id */
  readonly authPlans: Map<number, Map<number, number>>;
}

/** Per-core bookkeeping of what program the core holds. */
interface CoreState {
  plansSent: number;
  program: Program | undefined;
}

function usesNow(program: Program): boolean {
  const isNow = (t: { readonly k: string }): boolean => t.k === "now";
  for (const r of program.rules) {
    if (r.head.some(isNow)) return true;
    for (const l of r.body) {
      if ((l.k === "atom" || l.k === "not") && l.args.some(isNow)) return true;
      if (l.k === "cmp" && (isNow(l.a) || isNow(l.b))) return true;
      if (l.k === "in" && (isNow(l.t) || l.list.some(isNow))) return true;
      if (l.k === "isa" && isNow(l.t)) return true;
    }
  }
  return false;
}

function actionValue(action: string): TypedValue {
  if (typeof action !== "string") throw new FactError(diagnostic("E_BAD_VALUE", "the action must be a string", "pass an action such as \"read\""));
  return toTypedValue(action);
}

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
  /** the core build's fingerprint (see the constructor) */
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

export class WasmEngine implements AuthorizationEngine {
  private readonly core: Core;
  private readonly coreState = new WeakMap<Core, CoreState>();
  private interner = new Interner();
  /** The source of the loaded policy (for snapshots); undefined after loadProgram. */
  private source: PolicySource | undefined;
  private readonly relIds = new Map<PredKey, number>();
  private readonly rels: { readonly pred: string; readonly arity: number }[] = [];
  private loaded: Loaded | undefined;
  private readonly clock: () => bigint;
  private readonly compile: (source: PolicySource) => Program;
  private readonly module: WebAssembly.Module;
  private readonly build: string;
  /** Set by loadSlice: the engine answers only for the slice's actor. */
  private sliced: SliceGuard | undefined;
  private limits: EvalLimits = {};

  constructor(module: WebAssembly.Module, options: WasmEngineOptions = {}) {
    this.module = module;
    this.core = this.newCore();
    // a fingerprint of the core's build: its fresh memory (data segments, heap layout) and globals
    this.build = `${this.core.x.memHash(this.core.x.memory.buffer.byteLength >>> 2) >>> 0}:${this.core.x.stateWords() >>> 0}`;
    this.clock = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
    this.compile = options.compile ?? compilePolicy;
  }

  private newCore(): Core {
    const core = new Core(new WebAssembly.Instance(this.module, coreImports()));
    this.coreState.set(core, { plansSent: 0, program: undefined });
    for (let i = 0; i < this.rels.length; i++) core.x.relEnsure(i, this.rels[i]!.arity);
    return core;
  }

  /** The loaded Program, if any. */
  get program(): Program | undefined {
    return this.loaded?.program;
  }

  // ------------------------------------------------------------------ policy

  policy(source: PolicySource): PolicyResult {
    const result = this.loadProgram(this.compile(source));
    this.source = source;
    return result;
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * A binary image of the engine (docs/abi.md, "Snapshots"): the policy source, the interner's
   * tables and the core's linear memory and globals. `WasmEngine.restore` (or
   * `loadEngine({ snapshot })`) makes an equivalent engine from it, much faster than loading
   * the facts again. Needs a policy loaded with `policy()`.
   */
  snapshot(): Uint8Array {
    this.state();
    if (this.source === undefined) throw new FactError(diagnostic("E_NO_POLICY", "a snapshot needs a policy loaded with policy()", "load the policy from its source text"));
    const core = this.core;
    this.interner.flush(core);
    const parts = this.interner.saveParts();
    const ints = new TextEncoder().encode(parts.ints);
    const nState = core.x.stateWords() >>> 0;
    const at = core.reserve(nState);
    core.x.stateSave(at << 2);
    const mem = new Uint8Array(core.x.memory.buffer);
    const header: SnapshotHeader = {
      abi: ABI_VERSION,
      build: this.build,
      source: this.source,
      rels: this.rels.map((r) => ({ pred: r.pred, arity: r.arity })),
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

  /** An engine equivalent to the one `bytes` (from snapshot()) was taken of; throws E_BAD_SNAPSHOT. */
  static restore(module: WebAssembly.Module, bytes: Uint8Array, options: WasmEngineOptions = {}): WasmEngine {
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
    const engine = new this(module, options);
    if (header.build !== engine.build) throw badSnapshot("it was taken with another build of engine.wasm");
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
      engine.interner = Interner.fromParts(parts);
      const mem = take(header.memBytes);
      if (p !== b.length) throw new Error("trailing bytes");
      const core = engine.core;
      const memory = core.x.memory;
      const have = memory.buffer.byteLength;
      if (mem.length % 65536 !== 0 || mem.length < have) throw new Error("bad memory size");
      if (mem.length > have) memory.grow((mem.length - have) / 65536);
      new Uint8Array(memory.buffer).set(mem);
      if ((core.x.memHash(mem.length >>> 2) >>> 0) !== header.memHash) throw damaged();
      core.x.stateLoad(header.stateAt);
      engine.setLimits(engine.limits); // limits belong to the engine, not to the snapshot
      core.refresh();
      core.flushedValues = header.flushedValues;
      core.flushedInts = header.flushedInts;
      if ((core.x.valueCount() >>> 0) !== header.flushedValues || (core.x.intCount() >>> 0) !== header.flushedInts) throw new Error("value counts differ");
      for (const r of header.rels) engine.relId(predKey(r.pred, r.arity), r.arity);
    } catch (e) {
      if (e instanceof FactError) throw e;
      throw badSnapshot(`its contents are inconsistent (${e instanceof Error ? e.message : String(e)})`);
    }
    // the policy is compiled again (milliseconds); relation, type and value ids are the saved ones
    engine.loadProgram(engine.compile(header.source), false);
    engine.source = header.source;
    return engine;
  }

  // ------------------------------------------------------------------ slices (bindings/slice)

  /**
   * The facts `actor`'s answers depend on, as compact bytes (docs/slices.md): load them with
   * `loadSlice` or `loadEngine({ slice })` to answer authorize/actions/list for that actor.
   */
  slice(actor: Value, options?: SliceOptions): Uint8Array {
    return takeSlice(this.sliceHost(), actor, this.sliced, options);
  }

  /** Replace the facts (and the policy, if the slice has it) with a slice's; then only its actor may be asked about. */
  loadSlice(bytes: Uint8Array): void {
    this.sliced = applySlice(this.sliceHost(), bytes);
  }

  private sliceHost(): SliceHost {
    return {
      core: this.core,
      source: () => this.source,
      hasPolicy: () => this.loaded !== undefined,
      lattice: () => this.state().lat,
      typeNames: () => this.interner.typeNames,
      relation: (rel) => this.rels[rel]!,
      decodeValue: (vid) => this.interner.decodeValue(vid),
      usesNow: () => this.state().usesNow,
      clock: () => this.clock(),
      allowAnswers: (actor, now) => {
        const s = this.state();
        if (!s.program.preds.has(ALLOW)) return [];
        const plan = this.planned(() => s.planner.ensure(ALLOW, 0b001));
        this.syncPlans(this.core);
        const nowId = now === undefined ? 0 : this.interner.value({ type: "Integer", id: now.toString() });
        const n = this.run(this.core, plan, [this.interner.value(actor)], nowId);
        return answerTuples(this.interner, readRows(this.core, n, 2), 3, 0b001, [actor]);
      },
      storedValues: (type) => this.storedValues(type),
      loadPolicy: (source) => void this.policy(source),
      validate: ([pred, ...args]) => this.state().validator.check(pred, args),
      replaceFacts: (facts: readonly SliceFact[]) => {
        for (let rel = 0; rel < this.rels.length; rel++) if ((this.core.x.relCount(rel) >>> 0) > 0) this.core.x.selectRows(rel, 0, 0, 1);
        this.insertMany(facts);
      },
      valueId: (v) => this.interner.value(v),
    };
  }

  /** Plan errors (a rule the evaluator cannot order: the compiler should make that impossible) surface as PolarError E_INTERNAL. */
  private planned<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof PlanError) {
        throw new PolarError(diagnostic("E_INTERNAL", `internal planner error: ${e.message}`, "please report this policy as a bug"));
      }
      throw e;
    }
  }

  /** Load a compiled Program; stored facts it cannot use are kept and reported as warnings. */
  loadProgram(program: Program, checkStored = true): PolicyResult {
    this.source = undefined;
    const lat = new Lattice(program.types);
    const validator = new FactValidator(program, lat);
    for (const name of program.types.keys()) this.interner.type(name);
    const env = {
      relId: (pred: PredKey, arity: number) => this.relId(pred, arity),
      typeId: (name: string) => this.interner.type(name),
      valueId: (v: TypedValue) => this.interner.value(v),
      isSubtype: (s: string, t: string) => lat.sub(s, t),
    };
    const planner = this.planned(() => new Planner(program, env));
    for (const key of program.preds.keys()) this.relId(key, Number(key.slice(key.lastIndexOf("/") + 1)));
    for (const key of program.signatures.keys()) this.relId(key, Number(key.slice(key.lastIndexOf("/") + 1)));
    const hasAllow = program.preds.has(ALLOW);
    const [bbb, bbf, bfb] = this.planned(() => (hasAllow ? [planner.ensure(ALLOW, MASK_BBB), planner.ensure(ALLOW, MASK_BBF), planner.ensure(ALLOW, MASK_BFB)] : [-1, -1, -1]));
    this.loaded = { program, lat, validator, constants: programConstants(program), planner, usesNow: usesNow(program), bbb, bbf, bfb, entryBBB: new Map(), entryBBF: new Map(), entryBFB: new Map(), authPlans: new Map() };
    this.relByName.clear();
    this.accepted.length = 0;
    this.setupCore(this.core);
    return { warnings: checkStored ? [...program.warnings, ...this.unusableFacts(validator)] : [...program.warnings] };
  }

  private relId(pred: PredKey, arity: number): number {
    let id = this.relIds.get(pred);
    if (id === undefined) {
      if (arity > MAX_ARITY) throw new FactError(diagnostic("E_FACT_ARITY", `\`${pred}\` has more than ${MAX_ARITY} arguments`, `use at most ${MAX_ARITY} arguments`));
      id = this.rels.length;
      this.relIds.set(pred, id);
      this.rels.push({ pred: pred.slice(0, pred.lastIndexOf("/")), arity });
      this.core?.x.relEnsure(id, arity);
    }
    return id;
  }

  /** Send types and plans of the loaded program to a core. */
  private setupCore(core: Core): void {
    const s = this.state();
    const st = this.coreState.get(core)!;
    const names = this.interner.typeNames;
    const n = names.length;
    const words = (n + 31) >>> 5;
    const at = core.reserve(n * words);
    const matrix = new Uint32Array(n * words);
    for (let i = 0; i < n; i++) {
      const si = names[i]!;
      const known = s.program.types.has(si);
      for (let j = 0; j < n; j++) {
        if (i === j || (known && isSubtype(s.program.types, si, names[j]!))) matrix[i * words + (j >>> 5)]! |= 1 << (j & 31);
      }
    }
    core.u32().set(matrix, at);
    core.x.setTypes(n);
    for (let i = 0; i < this.rels.length; i++) core.x.relEnsure(i, this.rels[i]!.arity);
    core.x.progReset();
    st.plansSent = 0;
    st.program = s.program;
    this.syncPlans(core);
  }

  /** Send the plans the core does not have yet (plans are made lazily). */
  private syncPlans(core: Core): void {
    const s = this.state();
    const st = this.coreState.get(core)!;
    const all = s.planner.all;
    if (st.plansSent === all.length) return;
    const plans = all.slice(st.plansSent);
    this.interner.flush(core);
    const pairs = indexesOf(plans);
    const ids = new Map<string, number>();
    if (pairs.length > 0) {
      const at = core.reserve(2 * pairs.length);
      const view = core.u32();
      pairs.forEach(([rel, mask], i) => {
        view[at + 2 * i] = rel;
        view[at + 2 * i + 1] = mask;
      });
      core.x.ensureIndexes(pairs.length);
      const out = core.u32();
      const base = core.io >>> 2;
      pairs.forEach(([rel, mask], i) => ids.set(`${rel}:${mask}`, out[base + i]!));
    }
    const words = encodePlans(plans, (rel, mask) => ids.get(`${rel}:${mask}`)!);
    const at = core.reserve(words.length);
    core.u32().set(words, at);
    const first = core.x.addPlans(plans.length, words.length - plans.length * 8) >>> 0;
    if (first !== st.plansSent) throw new Error(`plan numbering out of sync (${first} vs ${st.plansSent})`);
    st.plansSent = all.length;
  }

  private state(): Loaded {
    if (this.loaded === undefined) throw noPolicyError();
    return this.loaded;
  }

  private unusableFacts(validator: FactValidator): ReturnType<FactValidator["unusableFacts"]> {
    const interner = this.interner;
    const memo = new Map<string, boolean>();
    const rels = this.rels;
    const core = this.core;
    function* suspicious(): Iterable<{ pred: string; args: TypedValue[] }> {
      for (let rel = 0; rel < rels.length; rel++) {
        const { pred, arity } = rels[rel]!;
        if ((core.x.relCount(rel) >>> 0) === 0) continue;
        const n = core.x.selectRows(rel, 0, 0, 0) >>> 0;
        const rows = readRows(core, n, arity);
        for (let r = 0; r < n; r++) {
          let key = `${rel}`;
          for (let k = 0; k < arity; k++) key += `,${interner.typeOf(rows[r * arity + k]!)}`;
          let ok = memo.get(key);
          const args = (): TypedValue[] => Array.from(rows.subarray(r * arity, (r + 1) * arity), (v) => interner.decodeValue(v));
          if (ok === undefined) {
            ok = validator.problem(pred, args()) === undefined;
            memo.set(key, ok);
          }
          if (!ok) yield { pred, args: args() };
        }
      }
    }
    return validator.unusableFacts(suspicious());
  }

  // ------------------------------------------------------------------ facts

  private readonly scratch = new WordBuffer();
  /** name -> arity -> relation id, for facts the policy accepts */
  private readonly relByName = new Map<string, (number | undefined)[]>();
  /** per relation: argument type tuples seen, and whether the policy accepts them */
  private readonly accepted: { readonly types: readonly string[]; readonly ok: boolean }[][] = [];
  /** Type names of the arguments argId last encoded (for the validation cache). */
  private readonly argTypes: string[] = [];

  private relArity = (rel: number): number => this.rels[rel]!.arity;

  /** Value id of fact argument `k`, validating it if it is new; records its type name in argTypes[k]. */
  private argId(a: Value, k: number): number {
    if (typeof a === "object" && a !== null) {
      const t = (a as TypedValue).type;
      const id = (a as TypedValue).id;
      if (typeof t === "string" && typeof id === "string" && t !== "Integer" && t !== "Boolean" && t.length > 0) {
        this.argTypes[k] = t;
        const handle = EntityHandle.idIn(a, this);
        if (handle >= 0) return handle;
        // one lookup, and one insert for a new entity (validated like toTypedValue does)
        const v = this.interner.findOrAdd(t, id);
        if (v >= 0) return v;
      }
    } else if (typeof a === "string") {
      this.argTypes[k] = "String";
      const v = this.interner.find("String", a);
      if (v >= 0) return v;
    }
    const tv = toTypedValue(a);
    this.argTypes[k] = tv.type;
    return this.interner.value(tv);
  }

  /**
   * Validate a fact against the policy's signatures and append it (rel, value ids) to `buf`.
   * Validation is cached per relation and tuple of argument types.
   */
  private encodeFact(s: Loaded, fact: Fact, buf: WordBuffer): void {
    if (!Array.isArray(fact) || typeof fact[0] !== "string" || fact[0].length === 0) toTypedFact(fact);
    const pred = fact[0];
    const arity = fact.length - 1;
    let rel = this.relByName.get(pred)?.[arity];
    if (rel === undefined) {
      // slow path: full validation (and the error) for a predicate/arity seen first
      const [p, ...args] = toTypedFact(fact);
      s.validator.check(p, args);
      rel = this.relId(predKey(p, arity), arity);
      let byArity = this.relByName.get(p);
      if (byArity === undefined) this.relByName.set(p, (byArity = []));
      byArity[arity] = rel;
    }
    buf.reserve(arity + 1);
    const w = buf.words;
    let p = buf.length;
    w[p++] = rel;
    for (let i = 1; i <= arity; i++) w[p++] = this.argId(fact[i]!, i - 1);
    // validation, cached per relation by the tuple of argument type names (a short list: a
    // relation sees few type shapes); the names come from the arguments, so no value id is
    // looked up
    let cache = this.accepted[rel];
    if (cache === undefined) this.accepted[rel] = cache = [];
    const types = this.argTypes;
    let ok: boolean | undefined;
    for (let k = 0; k < cache.length && ok === undefined; k++) {
      const shape = cache[k]!;
      let same = true;
      for (let i = 0; i < arity; i++) {
        if (shape.types[i] !== types[i]) {
          same = false;
          break;
        }
      }
      if (same) ok = shape.ok;
    }
    if (ok === undefined) {
      const args = Array.from(w.subarray(buf.length + 1, p), (v) => this.interner.decodeValue(v));
      ok = s.validator.problem(pred, args) === undefined;
      if (cache.length < 64) cache.push({ types: types.slice(0, arity), ok });
    }
    if (!ok) {
      const [p2, ...args] = toTypedFact(fact);
      s.validator.check(p2, args);
    }
    buf.length = p;
    buf.count++;
  }

  insert(fact: Fact): void {
    const s = this.state();
    const buf = this.scratch;
    buf.clear();
    this.encodeFact(s, fact, buf);
    this.interner.flush(this.core);
    sendWords(this.core, buf, this.relArity, (n) => this.core.x.insertFacts(n));
  }

  delete(pattern: FactPattern): number {
    const [pred, ...pats] = toTypedFactPattern(pattern);
    return this.deleteTyped(pred, pats);
  }

  private deleteTyped(pred: string, pats: readonly TypedPattern[]): number {
    const rel = this.relIds.get(predKey(pred, pats.length));
    if (rel === undefined) return 0;
    const w = writePattern(this.core, this.interner, pats);
    if (w === undefined) return 0;
    return this.core.x.selectRows(rel, w[0], w[1], 1) >>> 0;
  }

  batch(body: (tx: Transaction) => void): void {
    const s = this.state();
    // inserts are encoded into word buffers; a delete ends the current buffer (order matters)
    const ops: (WordBuffer | { readonly pred: string; readonly pats: readonly TypedPattern[] })[] = [];
    let cur: WordBuffer | undefined;
    stageBatch(body, {
      insert: (fact) => {
        if (cur === undefined) ops.push((cur = new WordBuffer()));
        this.encodeFact(s, fact, cur);
      },
      delete: (pattern) => {
        const [pred, ...pats] = toTypedFactPattern(pattern);
        ops.push({ pred, pats });
        cur = undefined;
      },
    });
    this.interner.flush(this.core);
    for (const op of ops) {
      if (op instanceof WordBuffer) insertWords(this.core, op, this.relArity);
      else this.deleteTyped(op.pred, op.pats);
    }
  }

  /**
   * Insert many facts at once (validated first; all or nothing). Faster than `batch` for
   * bulk loads: no transaction object per fact. Returns how many were new.
   */
  insertMany(facts: Iterable<Fact>): number {
    const s = this.state();
    const buf = new WordBuffer();
    for (const f of facts) this.encodeFact(s, f, buf);
    this.interner.flush(this.core);
    return insertWords(this.core, buf, this.relArity);
  }

  get(pattern: FactPattern): OutputFact[] {
    const [pred, ...pats] = toTypedFactPattern(pattern);
    const rel = this.relIds.get(predKey(pred, pats.length));
    if (rel === undefined) return [];
    const w = writePattern(this.core, this.interner, pats);
    if (w === undefined) return [];
    const n = this.core.x.selectRows(rel, w[0], w[1], 0) >>> 0;
    const rows = readRows(this.core, n, pats.length);
    const out: OutputFact[] = [];
    for (let r = 0; r < n; r++) {
      const args = Array.from(rows.subarray(r * pats.length, (r + 1) * pats.length), (v) => toOutputValue(this.interner.decodeValue(v)));
      out.push([pred, ...args]);
    }
    return out;
  }

  /** Stored facts (diagnostics). */
  get factCount(): number {
    return this.core.x.factCount() >>> 0;
  }

  /** Occupied index slots (0 once every fact is deleted). */
  get indexEntries(): number {
    return this.core.x.indexEntries() >>> 0;
  }

  /** Bytes held by the store (rows and indexes). */
  get storeBytes(): number {
    return this.core.x.storeBytes() >>> 0;
  }

  // ------------------------------------------------------------------ questions

  /** Value id for an input value (hot path: no allocation when it is interned). */
  /**
   * An interned handle for an entity: pass it wherever a value goes (`authorize(user, "read",
   * repo)`); checks with handles skip hashing the id. Throws FactError on a malformed value.
   */
  entity(type: string, id: string): EntityHandle {
    const v = toTypedValue({ type, id });
    return new EntityHandle(v.type, v.id, this, this.interner.value(v));
  }

  private vid(v: Value): number {
    const handle = EntityHandle.idIn(v, this);
    if (handle >= 0) return handle;
    if (typeof v === "object" && v !== null) {
      const t = (v as TypedValue).type;
      const id = (v as TypedValue).id;
      if (typeof t === "string" && typeof id === "string") {
        const found = this.interner.find(t, id);
        if (found >= 0) return found;
      }
    } else if (typeof v === "string") {
      const found = this.interner.find("String", v);
      if (found >= 0) return found;
    }
    return this.interner.value(toTypedValue(v));
  }

  private nowId(s: Loaded): number {
    return s.usesNow ? this.interner.value({ type: "Integer", id: (this.sliced?.now ?? this.clock()).toString() }) : 0;
  }

  /**
   * Limit every following question: `evalSteps` machine steps, `evalTimeMs` milliseconds (0 or
   * absent = no limit). A question over a limit throws E_EVAL_BUDGET and changes nothing.
   */
  setLimits(limits: EvalLimits): void {
    const check = (name: string, v: unknown): number => {
      if (v === undefined) return 0;
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new FactError(diagnostic("E_BAD_LIMIT", `the limit \`${name}\` must be a non-negative finite number, got \`${String(v)}\``, "pass a number such as 50 (0 means no limit)"));
      }
      return v;
    };
    if (typeof limits !== "object" || limits === null) throw new FactError(diagnostic("E_BAD_LIMIT", "the limits must be an object", "pass `{ evalSteps, evalTimeMs }`"));
    const steps = check("evalSteps", limits.evalSteps);
    const ms = check("evalTimeMs", limits.evalTimeMs);
    this.limits = { evalSteps: steps, evalTimeMs: ms };
    this.core.x.setEvalBudget(steps, ms);
  }

  /** The error for a core query that returned OVER_BUDGET. */
  private overBudget(core: Core): BorealError {
    const help = "raise the limit with setLimits({ evalTimeMs }) or simplify the policy";
    if ((core.x.evalStatus() >>> 0) === 2) {
      return new BorealError(diagnostic("E_EVAL_BUDGET", `evaluation exceeded its time budget of ${this.limits.evalTimeMs ?? 0} ms`, help));
    }
    return new BorealError(diagnostic("E_EVAL_BUDGET", `evaluation exceeded its budget of ${this.limits.evalSteps ?? 0} steps`, "raise the limit with setLimits({ evalSteps }) or simplify the policy"));
  }

  /** Run plan `plan` with bound value ids; returns the raw result (count or 0/1). */
  private run(core: Core, plan: number, bound: readonly number[], now: number): number {
    if (this.interner.dirty(core)) this.interner.flush(core);
    const at = core.reserve(bound.length);
    const view = core.u32();
    for (let i = 0; i < bound.length; i++) view[at + i] = bound[i]!;
    const n = core.x.query(plan, now) >>> 0;
    if (n === OVER_BUDGET) throw this.overBudget(core);
    return n;
  }

  /** Run `fn` with context facts visible (inserted, then removed exactly). */
  private withContext<T>(s: Loaded, contextFacts: readonly Fact[] | undefined, fn: () => T): T {
    if (contextFacts === undefined || contextFacts.length === 0) return fn();
    const buf = this.scratch;
    buf.clear();
    for (const f of contextFacts) this.encodeFact(s, f, buf);
    this.interner.flush(this.core);
    sendWords(this.core, buf, this.relArity, (n) => this.core.x.ctxInsert(n));
    try {
      return fn();
    } finally {
      this.core.x.ctxClear();
    }
  }

  /**
   * The allow/3 plan for `mask`, specialised by the action (a constant: only that
   * permission's rules) and the resource type (only rules whose resource type can match).
   * Made on first use; a few per policy.
   */
  private entryPlan(s: Loaded, mask: number, action: string | undefined, type: string): number {
    const key = action ?? "";
    const byMask = mask === MASK_BBB ? s.entryBBB : mask === MASK_BBF ? s.entryBBF : s.entryBFB;
    let byType = byMask.get(key);
    if (byType === undefined) byMask.set(key, (byType = new Map()));
    let plan = byType.get(type);
    if (plan === undefined) {
      const consts: (TypedValue | undefined)[] = [];
      if (action !== undefined) consts[1] = { type: "String", id: action };
      const types: (string[] | undefined)[] = [];
      types[2] = [type];
      plan = this.planned(() => s.planner.ensure(ALLOW, mask, { consts, types }));
      this.syncPlans(this.core);
      byType.set(type, plan);
    }
    return plan;
  }

  /** authorize's caches: the last action string and its value id, the last plan and its key, an I/O view. */
  private readonly auth = {
    action: undefined as string | undefined,
    actionId: -1,
    state: undefined as Loaded | undefined,
    act: -1,
    type: -1,
    plan: -1,
    view: new Uint32Array(0) as Uint32Array,
  };

  authorize(actor: Value, action: string, resource: Value, contextFacts?: readonly Fact[]): boolean {
    const s = this.state();
    if (typeof action !== "string") actionValue(action);
    let a = EntityHandle.idIn(actor, this);
    let r = EntityHandle.idIn(resource, this);
    if (a < 0 && r < 0 && typeof actor === "object" && actor !== null && typeof resource === "object" && resource !== null) {
      // plain `{ type, id }` values: both ids looked up at once
      const at = (actor as TypedValue).type;
      const aid = (actor as TypedValue).id;
      const rt = (resource as TypedValue).type;
      const rid = (resource as TypedValue).id;
      if (typeof at === "string" && typeof aid === "string" && typeof rt === "string" && typeof rid === "string") {
        a = this.interner.findPair(at, aid, rt, rid);
        r = this.interner.pairSecond;
      }
    }
    if (a < 0) a = this.vid(actor);
    this.sliced?.check(a, () => toTypedValue(actor));
    let act: number;
    if (action === this.auth.action) act = this.auth.actionId;
    else {
      act = this.vid(action);
      this.auth.action = action;
      this.auth.actionId = act;
    }
    if (r < 0) r = this.vid(resource);
    if (s.bbb < 0) return false;
    // (hot path: keyed by the action's value id and the resource's type id, no strings)
    const t = this.interner.typeOf(r);
    let plan: number | undefined;
    const last = this.auth;
    if (last.state === s && last.act === act && last.type === t) plan = last.plan;
    else {
      plan = s.authPlans.get(act)?.get(t);
      if (plan === undefined) {
        plan = this.entryPlan(s, MASK_BBB, action, this.interner.typeNames[t]!);
        let byType = s.authPlans.get(act);
        if (byType === undefined) s.authPlans.set(act, (byType = new Map()));
        byType.set(t, plan);
      }
      last.state = s;
      last.act = act;
      last.type = t;
      last.plan = plan;
    }
    const core = this.core;
    if (contextFacts === undefined || contextFacts.length === 0) {
      // `now` is interned before the flush, so the core knows its numeric value
      const now = s.usesNow ? this.nowId(s) : 0;
      if (this.interner.dirty(core)) this.interner.flush(core);
      const at = core.io >>> 2;
      // (a view is only emptied by memory growth: cheaper than asking for the buffer)
      let view = last.view;
      if (view.length === 0) view = last.view = core.u32();
      view[at] = a;
      view[at + 1] = act;
      view[at + 2] = r;
      const res = core.x.query(plan, now) >>> 0;
      if (res === OVER_BUDGET) throw this.overBudget(core);
      return res !== 0;
    }
    return this.withContext(s, contextFacts, () => this.run(core, plan, [a, act, r], this.nowId(s)) !== 0);
  }

  list(actor: Value, action: string, resourceType: string, contextFacts?: readonly Fact[]): string[] {
    const s = this.state();
    const a = toTypedValue(actor);
    const act = actionValue(action);
    if (typeof resourceType !== "string" || resourceType.length === 0) {
      throw new FactError(diagnostic("E_BAD_VALUE", "the resource type must be a non-empty string", "pass a type name such as \"Repo\""));
    }
    const av = this.interner.value(a);
    this.sliced?.check(av, () => a);
    if (s.bbf < 0) return [];
    const actv = this.interner.value(act);
    const plan = this.entryPlan(s, MASK_BBF, act.id, resourceType);
    return this.withContext(s, contextFacts, () => {
      const n = this.run(this.core, plan, [av, actv], this.nowId(s));
      const rows = readRows(this.core, n, 1);
      // fast path: concrete answers of exactly the type, sorted by the interner's id ranks
      const interner = this.interner;
      let m = 0;
      let wild = false;
      let ints = false;
      for (let i = 0; i < n; i++) {
        const v = rows[i]!;
        if (v >= VAL_BASE) {
          if (v < INT_BIT) rows[m++] = v;
          else ints = true;
        } else wild = true;
      }
      if (!wild && !(ints && resourceType === "Integer")) return interner.sortedTexts(resourceType, rows.subarray(0, m));
      // (rows was compacted above: read the answers again)
      const all = readRows(this.core, n, 1);
      if (!wild) {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) if (all[i]! >= INT_BIT) ids.push((interner.decode(all[i]!) as TypedValue).id);
        return ids.sort();
      }
      const tuples = answerTuples(this.interner, all, 3, MASK_BBF, [a, act]);
      return listFrom(s.lat, tuples, a, act, resourceType, () => this.known(s, resourceType, [a, act]));
    });
  }

  /** Known values of exactly `type`: stored and context facts, policy constants, the query (and a slice's). */
  private known(s: Loaded, type: string, extra: readonly TypedValue[]): TypedValue[] {
    const out = this.storedValues(type);
    if (this.sliced !== undefined) out.push(...this.sliced.known(type));
    for (const c of s.constants) if (c.type === type) out.push(c);
    for (const c of extra) if (c.type === type) out.push(c);
    return out;
  }

  /** The stored (and context) values of exactly `type`. */
  private storedValues(type: string): TypedValue[] {
    const out: TypedValue[] = [];
    const t = this.interner.typeIds.get(type);
    if (t !== undefined) {
      const n = this.core.x.knownValues(t) >>> 0;
      const rows = readRows(this.core, n, 1);
      for (const v of rows) out.push(this.interner.decodeValue(v));
    }
    return out;
  }

  actions(actor: Value, resource: Value, contextFacts?: readonly Fact[]): string[] {
    const s = this.state();
    const interner = this.interner;
    const av = this.vid(actor);
    this.sliced?.check(av, () => toTypedValue(actor));
    if (s.bfb < 0) {
      toTypedValue(resource);
      return [];
    }
    const rv = this.vid(resource);
    const plan = this.entryPlan(s, MASK_BFB, undefined, interner.typeNames[interner.typeOf(rv)]!);
    return this.withContext(s, contextFacts, () => {
      const n = this.run(this.core, plan, [av, rv], this.nowId(s));
      const rows = readRows(this.core, n, 1);
      // fast path: concrete answers only (the actions are the String ones)
      const names = new Set<string>();
      let wild = false;
      for (let i = 0; i < n && !wild; i++) {
        const v = rows[i]!;
        if (v < VAL_BASE) wild = true;
        else if (v < INT_BIT && interner.typeOf(v) === TYPE_STRING) names.add(interner.textOf(v));
      }
      if (!wild) return [...names].sort();
      const a = interner.decodeValue(av);
      const r = interner.decodeValue(rv);
      const tuples = answerTuples(interner, rows, 3, MASK_BFB, [a, undefined, r]);
      return actionsFrom(s.lat, s.program, tuples, a, r);
    });
  }

  query(predicate: string, args: readonly ValuePattern[], contextFacts?: readonly Fact[]): QueryRow[] {
    const s = this.state();
    if (typeof predicate !== "string" || !Array.isArray(args)) {
      throw new FactError(diagnostic("E_BAD_QUERY", "a query needs a predicate name and an array of arguments", "call query(\"has_role\", [user, null, repo])"));
    }
    const patterns = args.map(toTypedPattern);
    s.validator.checkQuery(predicate, patterns.length);
    const key = predKey(predicate, patterns.length);
    const arity = patterns.length;
    let mask = 0;
    const bound: number[] = [];
    const boundVals: (TypedValue | undefined)[] = [];
    patterns.forEach((p, i) => {
      if (p.id !== null) {
        mask |= 1 << i;
        bound.push(this.interner.value(p));
        boundVals.push(p);
      } else boundVals.push(undefined);
    });
    mask >>>= 0;
    const plan = this.planned(() => s.planner.ensure(key, mask));
    this.syncPlans(this.core);
    return this.withContext(s, contextFacts, () => {
      const n = this.run(this.core, plan, bound, this.nowId(s));
      const width = arity - bound.length;
      let tuples: Tuple[];
      if (width === 0) tuples = n > 0 ? [boundVals as TypedValue[]] : [];
      else tuples = answerTuples(this.interner, readRows(this.core, n, width), arity, mask, boundVals);
      return queryFrom(s.lat, predicate, tuples, patterns);
    });
  }

  // ------------------------------------------------------------------ tests

  test(): TestReport {
    const s = this.loaded;
    if (s === undefined) return { passed: true, tests: [] };
    const tests = s.program.tests.map((t) => this.runTest(s, t));
    return { passed: tests.every((t) => t.failures.length === 0), tests };
  }

  private runTest(s: Loaded, test: CompiledTest): TestCaseResult {
    // a fresh core: the test sees only its own facts
    const core = this.newCore();
    const recs: FactRecord[] = test.facts.map(([pred, ...args]) => ({
      rel: this.relId(predKey(pred, args.length), args.length),
      vids: args.map((a) => this.interner.value(a)),
    }));
    this.planned(() => {
      for (const a of test.assertions) {
        s.planner.ensure(a.queryPred, 0);
        if (a.iffPred !== undefined) s.planner.ensure(a.iffPred, 0);
      }
    });
    this.setupCore(core);
    this.interner.flush(core);
    sendFacts(core, recs, (n) => core.x.insertFacts(n));
    const now = this.nowId(s);
    const solutions = (pred: PredKey): Tuple[] => {
      const plan = s.planner.ensure(pred, 0);
      this.syncPlans(core);
      const arity = Number(pred.slice(pred.lastIndexOf("/") + 1));
      const n = this.run(core, plan, [], now);
      if (arity === 0) return n > 0 ? [[]] : [];
      const tuples = answerTuples(this.interner, readRows(core, n, arity), arity, 0, []);
      return tuples.sort((x, y) => (tupleKey(x) < tupleKey(y) ? -1 : tupleKey(x) > tupleKey(y) ? 1 : 0));
    };
    const failures: TestFailure[] = [];
    for (const a of test.assertions) {
      const message = assertionFailure(a, solutions);
      if (message !== undefined) failures.push({ assertion: a.text, message, line: a.span.line, column: a.span.column });
    }
    return { name: test.name, passed: test.assertions.length - failures.length, total: test.assertions.length, failures };
  }
}
