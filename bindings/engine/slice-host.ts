/** The engine as bindings/slice sees it (SliceHost): what taking and loading a slice needs. */
import type { PolicySource } from "../api/types.js";
import type { SliceFact, SliceHost } from "../slice/index.js";
import type { EngineState } from "./engine-state.js";
import type { FactWriter } from "./facts.js";
import { storedValues } from "./known.js";
import { answerTuples, readRows } from "./marshal.js";
import { ALLOW, planned } from "./policy.js";

export function sliceHost(st: EngineState, facts: FactWriter, loadPolicy: (source: PolicySource) => void): SliceHost {
  return {
    core: st.core,
    source: () => st.source,
    hasPolicy: () => st.loaded !== undefined,
    lattice: () => st.state().lat,
    typeNames: () => st.interner.typeNames,
    relation: (rel) => st.rels[rel]!,
    decodeValue: (vid) => st.interner.decodeValue(vid),
    usesNow: () => st.state().usesNow,
    clock: () => st.clock(),
    allowAnswers: (actor, now) => {
      const s = st.state();
      if (!s.program.preds.has(ALLOW)) return [];
      const plan = planned(() => s.planner.ensure(ALLOW, 0b001));
      st.syncPlans(st.core);
      const nowId = now === undefined ? 0 : st.interner.value({ type: "Integer", id: now.toString() });
      const n = st.run(st.core, plan, [st.interner.value(actor)], nowId);
      return answerTuples(st.interner, readRows(st.core, n, 2), 3, 0b001, [actor]);
    },
    storedValues: (type) => storedValues(st, type),
    loadPolicy,
    validate: ([pred, ...args]) => st.state().validator.check(pred, args),
    replaceFacts: (replacement: readonly SliceFact[]) => {
      facts.clear();
      facts.insertMany(replacement);
    },
    valueId: (v) => st.interner.value(v),
  };
}
