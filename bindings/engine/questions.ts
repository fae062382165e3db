/**
 * Questions: authorize (with its hot-path caches), list, actions and query. Each is one core
 * call per evaluation (plus one to flush new values, and two for context facts).
 */
import { diagnostic, FactError } from "../api/errors.js";
import type { Fact, QueryRow, TypedValue, Value, ValuePattern } from "../api/types.js";
import { toTypedPattern, toTypedValue } from "../api/values.js";
import { predKey } from "../compile/ir.js";
import type { Tuple } from "./shared/answers.js";
import { actionsFrom, listFrom, queryFrom } from "./shared/entry.js";
import { withContext } from "./context.js";
import type { EngineState } from "./engine-state.js";
import type { FactWriter } from "./facts.js";
import { EntityHandle } from "./handle.js";
import { INT_BIT, TYPE_STRING, VAL_BASE } from "./intern.js";
import { knownValues } from "./known.js";
import { OVER_BUDGET, overBudget } from "./limits.js";
import { answerTuples, readRows } from "./marshal.js";
import { ALLOW, type Loaded, MASK_BBB, MASK_BBF, MASK_BFB, planned } from "./policy.js";

function actionValue(action: string): TypedValue {
  if (typeof action !== "string") throw new FactError(diagnostic("E_BAD_VALUE", "the action must be a string", "pass an action such as \"read\""));
  return toTypedValue(action);
}

export class Questions {
  /**
   * authorize's caches: the last few action strings, each with its value id and the last plan
   * it used (for a policy state and a type key), and an I/O view.
   */
  private readonly acts: { readonly action: string; readonly id: number; state: Loaded | undefined; type: number; plan: number }[] = [];
  private view: Uint32Array = new Uint32Array(0);
  /** list's scratch for its answers' ranks, reused (a new ArrayBuffer per list is external memory that makes V8 collect) */
  private idScratch = new Int32Array(1024);

  constructor(private readonly st: EngineState, private readonly facts: FactWriter) {}

  /**
   * The allow/3 plan for `mask`, specialised by the action (a constant: only that
   * permission's rules) and the resource type (only rules whose resource type can match).
   * Made on first use; a few per policy.
   */
  private entryPlan(s: Loaded, mask: number, action: string | undefined, type: string, actorType?: string): number {
    const key = action ?? "";
    const byMask = mask === MASK_BBB ? s.entryBBB : mask === MASK_BBF ? s.entryBBF : s.entryBFB;
    let byType = byMask.get(key);
    if (byType === undefined) byMask.set(key, (byType = new Map()));
    const typeKey = actorType === undefined ? type : `${type}\u0000${actorType}`;
    let plan = byType.get(typeKey);
    if (plan === undefined) {
      const consts: (TypedValue | undefined)[] = [];
      if (action !== undefined) consts[1] = { type: "String", id: action };
      const types: (string[] | undefined)[] = [];
      types[2] = [type];
      // the exact types of concrete arguments: the plan skips the `isa` steps they imply
      const known: (string[] | undefined)[] = [];
      if (actorType !== undefined) {
        types[0] = [actorType];
        known[0] = [actorType];
        known[2] = [type];
      }
      // (authorize's and actions' plans start by touching their arguments' index slots: compile/touch.ts)
      plan = planned(() => s.planner.ensure(ALLOW, mask, actorType === undefined ? { consts, types } : { consts, types, known, touch: true }));
      this.st.syncPlans(this.st.core);
      byType.set(typeKey, plan);
    }
    return plan;
  }

  authorize(actor: Value, action: string, resource: Value, contextFacts?: readonly Fact[]): boolean {
    const st = this.st;
    const s = st.state();
    const interner = st.interner;
    if (typeof action !== "string") actionValue(action);
    let a = EntityHandle.idIn(actor, st);
    let r = EntityHandle.idIn(resource, st);
    // their type ids, when known without reading the value-type table (a cache miss at scale)
    let ta = a >= 0 ? EntityHandle.typeIdOf(actor as EntityHandle) : -1;
    let tr = r >= 0 ? EntityHandle.typeIdOf(resource as EntityHandle) : -1;
    if (a < 0 && r < 0 && typeof actor === "object" && actor !== null && typeof resource === "object" && resource !== null) {
      // plain `{ type, id }` values: both ids looked up at once
      const at = (actor as TypedValue).type;
      const aid = (actor as TypedValue).id;
      const rt = (resource as TypedValue).type;
      const rid = (resource as TypedValue).id;
      if (typeof at === "string" && typeof aid === "string" && typeof rt === "string" && typeof rid === "string") {
        a = interner.findPair(at, aid, rt, rid);
        r = interner.pairSecond;
        if (a >= 0) ta = interner.pairTypeIdA;
        if (r >= 0) tr = interner.pairTypeIdB;
      }
    }
    if (a < 0) a = st.vid(actor);
    st.sliced?.check(a, () => toTypedValue(actor));
    const acts = this.acts;
    let last: (typeof acts)[number] | undefined;
    for (let i = 0; i < acts.length; i++) {
      if (acts[i]!.action === action) {
        last = acts[i]!;
        break;
      }
    }
    if (last === undefined) {
      last = { action, id: st.vid(action), state: undefined, type: -1, plan: -1 };
      if (acts.length >= 8) acts.shift();
      acts.push(last);
    }
    const act = last.id;
    if (r < 0) r = st.vid(resource);
    if (s.bbb < 0) return false;
    // (hot path: keyed by the action's value id and the resource's and actor's type ids, no
    // strings; both arguments are concrete, so the plan knows their exact types)
    if (ta < 0) ta = interner.typeOf(a);
    if (tr < 0) tr = interner.typeOf(r);
    const t = tr * 0x10000 + ta;
    let plan: number | undefined;
    if (last.state === s && last.type === t) plan = last.plan;
    else {
      plan = s.authPlans.get(act)?.get(t);
      if (plan === undefined) {
        plan = this.entryPlan(s, MASK_BBB, action, interner.typeNames[tr]!, interner.typeNames[ta]!);
        let byType = s.authPlans.get(act);
        if (byType === undefined) s.authPlans.set(act, (byType = new Map()));
        byType.set(t, plan);
      }
      last.state = s;
      last.type = t;
      last.plan = plan;
    }
    const core = st.core;
    if (contextFacts === undefined || contextFacts.length === 0) {
      // `now` is interned before the flush, so the core knows its numeric value
      const now = s.usesNow ? st.nowId(s) : 0;
      if (interner.dirty(core)) interner.flush(core);
      const at = core.io >>> 2;
      // (a view is only emptied by memory growth: cheaper than asking for the buffer)
      let view = this.view;
      if (view.length === 0) view = this.view = core.u32();
      view[at] = a;
      view[at + 1] = act;
      view[at + 2] = r;
      const res = core.x.query(plan, now) >>> 0;
      if (res === OVER_BUDGET) throw overBudget(core, st.limits);
      return res !== 0;
    }
    return withContext(st, this.facts, s, contextFacts, () => st.run(core, plan, [a, act, r], st.nowId(s)) !== 0);
  }

  list(actor: Value, action: string, resourceType: string, contextFacts?: readonly Fact[]): string[] {
    const st = this.st;
    const s = st.state();
    const a = toTypedValue(actor);
    const act = actionValue(action);
    if (typeof resourceType !== "string" || resourceType.length === 0) {
      throw new FactError(diagnostic("E_BAD_VALUE", "the resource type must be a non-empty string", "pass a type name such as \"Repo\""));
    }
    const av = st.interner.value(a);
    st.sliced?.check(av, () => a);
    if (s.bbf < 0) return [];
    const actv = st.interner.value(act);
    const plan = this.entryPlan(s, MASK_BBF, act.id, resourceType);
    return withContext(st, this.facts, s, contextFacts, () => {
      const n = st.run(st.core, plan, [av, actv], st.nowId(s));
      const interner = st.interner;
      // fast path: concrete answers, sorted by the interner's id ranks (read from the core's output)
      if (resourceType !== "Integer") {
        if (this.idScratch.length < n) this.idScratch = new Int32Array(Math.max(n, 2 * this.idScratch.length));
        const at = st.core.out();
        const ids = interner.sortedTexts(resourceType, st.core.u32().subarray(at, at + n), this.idScratch);
        if (ids !== undefined) return ids;
      }
      const all = readRows(st.core, n, 1);
      let wild = false;
      for (let i = 0; i < n; i++) if (all[i]! < VAL_BASE) wild = true;
      if (!wild) {
        // (an Integer list)
        const ids: string[] = [];
        for (let i = 0; i < n; i++) if (all[i]! >= INT_BIT) ids.push((interner.decode(all[i]!) as TypedValue).id);
        return ids.sort();
      }
      const tuples = answerTuples(interner, all, 3, MASK_BBF, [a, act]);
      return listFrom(s.lat, tuples, a, act, resourceType, () => knownValues(st, s, resourceType, [a, act]));
    });
  }

  actions(actor: Value, resource: Value, contextFacts?: readonly Fact[]): string[] {
    const st = this.st;
    const s = st.state();
    const interner = st.interner;
    const av = st.vid(actor);
    st.sliced?.check(av, () => toTypedValue(actor));
    if (s.bfb < 0) {
      toTypedValue(resource);
      return [];
    }
    const rv = st.vid(resource);
    const plan = this.entryPlan(s, MASK_BFB, undefined, interner.typeNames[interner.typeOf(rv)]!, interner.typeNames[interner.typeOf(av)]!);
    return withContext(st, this.facts, s, contextFacts, () => {
      const n = st.run(st.core, plan, [av, rv], st.nowId(s));
      const rows = readRows(st.core, n, 1);
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
    const st = this.st;
    const s = st.state();
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
        bound.push(st.interner.value(p));
        boundVals.push(p);
      } else boundVals.push(undefined);
    });
    mask >>>= 0;
    const plan = planned(() => s.planner.ensure(key, mask));
    st.syncPlans(st.core);
    return withContext(st, this.facts, s, contextFacts, () => {
      const n = st.run(st.core, plan, bound, st.nowId(s));
      const width = arity - bound.length;
      let tuples: Tuple[];
      if (width === 0) tuples = n > 0 ? [boundVals as TypedValue[]] : [];
      else tuples = answerTuples(st.interner, readRows(st.core, n, width), arity, mask, boundVals);
      return queryFrom(s.lat, predicate, tuples, patterns);
    });
  }
}
