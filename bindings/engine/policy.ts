/** The loaded policy's state (`Loaded`: lattice, validator, planner, allow/3 plans) and loading a Program into the engine. */
import { diagnostic, PolarError } from "../api/errors.js";
import type { PolicyResult, TypedValue } from "../api/types.js";
import type { PredKey, Program } from "../compile/ir.js";
import { PlanError, Planner } from "../compile/plan.js";
import { Lattice } from "./shared/answers.js";
import { programConstants } from "./shared/entry.js";
import { FactValidator } from "./shared/validate.js";
import type { EngineState } from "./engine-state.js";
import { readRows } from "./marshal.js";

export const ALLOW: PredKey = "allow/3";
export const MASK_BBB = 0b111;
export const MASK_BBF = 0b011;
export const MASK_BFB = 0b101;

export interface Loaded {
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
  /** authorize: action value id -> (resource type id × 0x10000 + actor type id) -> plan id */
  readonly authPlans: Map<number, Map<number, number>>;
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

/** Plan errors (a rule the evaluator cannot order: the compiler should make that impossible) surface as PolarError E_INTERNAL. */
export function planned<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PlanError) {
      throw new PolarError(diagnostic("E_INTERNAL", `internal planner error: ${e.message}`, "please report this policy as a bug"));
    }
    throw e;
  }
}

/**
 * Load a compiled Program into `st` and its core; stored facts it cannot use are kept and
 * reported as warnings (when `checkStored`). The caller resets its per-policy fact caches.
 */
export function loadProgram(st: EngineState, program: Program, checkStored: boolean): PolicyResult {
  st.source = undefined;
  const lat = new Lattice(program.types);
  const validator = new FactValidator(program, lat);
  for (const name of program.types.keys()) st.interner.type(name);
  const env = {
    relId: (pred: PredKey, arity: number) => st.relId(pred, arity),
    typeId: (name: string) => st.interner.type(name),
    valueId: (v: TypedValue) => st.interner.value(v),
    isSubtype: (s: string, t: string) => lat.sub(s, t),
  };
  const planner = planned(() => new Planner(program, env));
  for (const key of program.preds.keys()) st.relId(key, Number(key.slice(key.lastIndexOf("/") + 1)));
  for (const key of program.signatures.keys()) st.relId(key, Number(key.slice(key.lastIndexOf("/") + 1)));
  const hasAllow = program.preds.has(ALLOW);
  const [bbb, bbf, bfb] = planned(() => (hasAllow ? [planner.ensure(ALLOW, MASK_BBB), planner.ensure(ALLOW, MASK_BBF), planner.ensure(ALLOW, MASK_BFB)] : [-1, -1, -1]));
  st.loaded = { program, lat, validator, constants: programConstants(program), planner, usesNow: usesNow(program), bbb, bbf, bfb, entryBBB: new Map(), entryBBF: new Map(), entryBFB: new Map(), authPlans: new Map() };
  st.setupCore(st.core);
  return { warnings: checkStored ? [...program.warnings, ...unusableFacts(st, validator)] : [...program.warnings] };
}

function unusableFacts(st: EngineState, validator: FactValidator): ReturnType<FactValidator["unusableFacts"]> {
  const interner = st.interner;
  const memo = new Map<string, boolean>();
  const rels = st.rels;
  const core = st.core;
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
