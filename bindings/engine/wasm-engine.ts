/**
 * The Wasm-backed engine: the public API (DESIGN §5) over the AssemblyScript core. A façade:
 * the state lives in EngineState (engine-state.ts), the work in policy.ts, facts.ts,
 * questions.ts, snapshot.ts, slice-host.ts and policy-tests.ts.
 */
import type {
  AuthorizationEngine, Fact, FactPattern, OutputFact, PolicyResult, PolicySource, QueryRow,
  TestReport, Transaction, Value, ValuePattern,
} from "../api/types.js";
import { toTypedValue } from "../api/values.js";
import { compilePolicy } from "../compile/index.js";
import type { Program } from "../compile/ir.js";
import { applySlice, type SliceOptions, takeSlice } from "../slice/index.js";
import { EngineState } from "./engine-state.js";
import { FactWriter } from "./facts.js";
import { EntityHandle } from "./handle.js";
import { checkLimits, type EvalLimits } from "./limits.js";
import { loadProgram } from "./policy.js";
import { runPolicyTests } from "./policy-tests.js";
import { Questions } from "./questions.js";
import { sliceHost } from "./slice-host.js";
import { restoreSnapshot, takeSnapshot } from "./snapshot.js";

export type { EvalLimits } from "./limits.js";
export { SNAPSHOT_VERSION } from "./snapshot.js";

export interface WasmEngineOptions {
  /** The value of `@current_unix_time` in seconds (default: the wall clock). */
  readonly now?: () => bigint;
  /** Policy text → Program (default: the boreal compiler). */
  readonly compile?: (source: PolicySource) => Program;
}

export class WasmEngine implements AuthorizationEngine {
  private readonly st: EngineState;
  private readonly facts: FactWriter;
  private readonly questions: Questions;

  constructor(module: WebAssembly.Module, options: WasmEngineOptions = {}) {
    this.st = new EngineState(module, options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))), options.compile ?? compilePolicy);
    this.facts = new FactWriter(this.st);
    this.questions = new Questions(this.st, this.facts);
  }

  /** The loaded Program, if any. */
  get program(): Program | undefined {
    return this.st.loaded?.program;
  }

  // ------------------------------------------------------------------ policy

  policy(source: PolicySource): PolicyResult {
    const result = this.loadProgram(this.st.compile(source));
    this.st.source = source;
    return result;
  }

  /** Load a compiled Program; stored facts it cannot use are kept and reported as warnings. */
  loadProgram(program: Program, checkStored = true): PolicyResult {
    this.facts.policyChanged();
    return loadProgram(this.st, program, checkStored);
  }

  /**
   * Limit every following question: `evalSteps` machine steps, `evalTimeMs` milliseconds (0 or
   * absent = no limit). A question over a limit throws E_EVAL_BUDGET and changes nothing.
   */
  setLimits(limits: EvalLimits): void {
    const checked = checkLimits(limits);
    this.st.limits = checked;
    this.st.core.x.setEvalBudget(checked.evalSteps, checked.evalTimeMs);
  }

  test(): TestReport {
    return runPolicyTests(this.st);
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * A binary image of the engine (docs/abi.md, "Snapshots"): the policy source, the interner's
   * tables and the core's linear memory and globals. `WasmEngine.restore` (or
   * `loadEngine({ snapshot })`) makes an equivalent engine from it, much faster than loading
   * the facts again. Needs a policy loaded with `policy()`.
   */
  snapshot(): Uint8Array {
    return takeSnapshot(this.st);
  }

  /** An engine equivalent to the one `bytes` (from snapshot()) was taken of; throws E_BAD_SNAPSHOT. */
  static restore(module: WebAssembly.Module, bytes: Uint8Array, options: WasmEngineOptions = {}): WasmEngine {
    let engine: WasmEngine | undefined;
    const fresh = (): EngineState => (engine = new this(module, options)).st;
    const source = restoreSnapshot(bytes, fresh, () => engine!.setLimits(engine!.st.limits));
    // the policy is compiled again (milliseconds); relation, type and value ids are the saved ones
    const restored = engine!;
    restored.loadProgram(restored.st.compile(source), false);
    restored.st.source = source;
    return restored;
  }

  // ------------------------------------------------------------------ slices (bindings/slice)

  /**
   * The facts `actor`'s answers depend on, as compact bytes (docs/slices.md): load them with
   * `loadSlice` or `loadEngine({ slice })` to answer authorize/actions/list for that actor.
   */
  slice(actor: Value, options?: SliceOptions): Uint8Array {
    return takeSlice(sliceHost(this.st, this.facts, (source) => void this.policy(source)), actor, this.st.sliced, options);
  }

  /** Replace the facts (and the policy, if the slice has it) with a slice's; then only its actor may be asked about. */
  loadSlice(bytes: Uint8Array): void {
    this.st.sliced = applySlice(sliceHost(this.st, this.facts, (source) => void this.policy(source)), bytes);
  }

  // ------------------------------------------------------------------ facts

  insert(fact: Fact): void {
    this.facts.insert(fact);
  }

  delete(pattern: FactPattern): number {
    return this.facts.delete(pattern);
  }

  batch(body: (tx: Transaction) => void): void {
    this.facts.batch(body);
  }

  /**
   * Insert many facts at once (validated first; all or nothing). Faster than `batch` for
   * bulk loads: no transaction object per fact. Returns how many were new.
   */
  insertMany(facts: Iterable<Fact>): number {
    return this.facts.insertMany(facts);
  }

  get(pattern: FactPattern): OutputFact[] {
    return this.facts.get(pattern);
  }

  /** Stored facts (diagnostics). */
  get factCount(): number {
    return this.st.core.x.factCount() >>> 0;
  }

  /** Occupied index slots (0 once every fact is deleted). */
  get indexEntries(): number {
    return this.st.core.x.indexEntries() >>> 0;
  }

  /** Bytes held by the store (rows and indexes). */
  get storeBytes(): number {
    return this.st.core.x.storeBytes() >>> 0;
  }

  // ------------------------------------------------------------------ questions

  /**
   * An interned handle for an entity: pass it wherever a value goes (`authorize(user, "read",
   * repo)`); checks with handles skip hashing the id. Throws FactError on a malformed value.
   */
  entity(type: string, id: string): EntityHandle {
    const v = toTypedValue({ type, id });
    const vid = this.st.interner.value(v);
    return new EntityHandle(v.type, v.id, this.st, vid, this.st.interner.typeOf(vid));
  }

  authorize(actor: Value, action: string, resource: Value, contextFacts?: readonly Fact[]): boolean {
    return this.questions.authorize(actor, action, resource, contextFacts);
  }

  list(actor: Value, action: string, resourceType: string, contextFacts?: readonly Fact[]): string[] {
    return this.questions.list(actor, action, resourceType, contextFacts);
  }

  actions(actor: Value, resource: Value, contextFacts?: readonly Fact[]): string[] {
    return this.questions.actions(actor, resource, contextFacts);
  }

  query(predicate: string, args: readonly ValuePattern[], contextFacts?: readonly Fact[]): QueryRow[] {
    return this.questions.query(predicate, args, contextFacts);
  }
}
