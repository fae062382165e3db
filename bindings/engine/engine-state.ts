/**
 * The engine's private state, shared by the pieces of WasmEngine (policy, facts, questions,
 * snapshots, slices, tests): the core and what it holds, the interner, relation ids, the loaded
 * policy, limits; and the few operations they all use (plans to the core, running a plan).
 */
import { diagnostic, FactError } from "../api/errors.js";
import type { PolicySource, TypedValue, Value } from "../api/types.js";
import { encodePlans, indexesOf } from "../compile/encode.js";
import type { PredKey, Program } from "../compile/ir.js";
import { MAX_ARITY } from "../compile/plan.js";
import { isSubtype } from "../polar/model.js";
import type { SliceGuard } from "../slice/index.js";
import { toTypedValue } from "../api/values.js";
import { noPolicyError } from "./shared/validate.js";
import { EntityHandle } from "./handle.js";
import { Interner } from "./intern.js";
import { coreImports } from "./imports.js";
import { type EvalLimits, OVER_BUDGET, overBudget } from "./limits.js";
import { Core } from "./memory.js";
import type { Loaded } from "./policy.js";

/** Per-core bookkeeping of what program the core holds. */
interface CoreState {
  plansSent: number;
  program: Program | undefined;
}

export class EngineState {
  readonly core: Core;
  private readonly coreState = new WeakMap<Core, CoreState>();
  interner = new Interner();
  /** The source of the loaded policy (for snapshots); undefined after loadProgram. */
  source: PolicySource | undefined;
  readonly relIds = new Map<PredKey, number>();
  readonly rels: { readonly pred: string; readonly arity: number }[] = [];
  loaded: Loaded | undefined;
  /** a fingerprint of the core's build: its fresh memory (data segments, heap layout) and globals */
  readonly build: string;
  /** Set by loadSlice: the engine answers only for the slice's actor. */
  sliced: SliceGuard | undefined;
  limits: EvalLimits = {};

  constructor(
    private readonly module: WebAssembly.Module,
    readonly clock: () => bigint,
    readonly compile: (source: PolicySource) => Program,
  ) {
    this.core = this.newCore();
    this.build = `${this.core.x.memHash(this.core.x.memory.buffer.byteLength >>> 2) >>> 0}:${this.core.x.stateWords() >>> 0}`;
  }

  newCore(): Core {
    const core = new Core(new WebAssembly.Instance(this.module, coreImports()));
    this.coreState.set(core, { plansSent: 0, program: undefined });
    for (let i = 0; i < this.rels.length; i++) core.x.relEnsure(i, this.rels[i]!.arity);
    return core;
  }

  state(): Loaded {
    if (this.loaded === undefined) throw noPolicyError();
    return this.loaded;
  }

  relArity = (rel: number): number => this.rels[rel]!.arity;

  relId(pred: PredKey, arity: number): number {
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

  /** Value id for an input value (hot path: no allocation when it is interned). */
  vid(v: Value): number {
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

  nowId(s: Loaded): number {
    return s.usesNow ? this.interner.value({ type: "Integer", id: (this.sliced?.now ?? this.clock()).toString() }) : 0;
  }

  /** Run plan `plan` with bound value ids; returns the raw result (count or 0/1). */
  run(core: Core, plan: number, bound: readonly number[], now: number): number {
    if (this.interner.dirty(core)) this.interner.flush(core);
    const at = core.reserve(bound.length);
    const view = core.u32();
    for (let i = 0; i < bound.length; i++) view[at + i] = bound[i]!;
    const n = core.x.query(plan, now) >>> 0;
    if (n === OVER_BUDGET) throw overBudget(core, this.limits);
    return n;
  }

  /** Send types and plans of the loaded program to a core. */
  setupCore(core: Core): void {
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
  syncPlans(core: Core): void {
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
}

