/**
 * UI gating: `gate(engine, actor)` answers "may this actor do X to Y?" for one actor, memoised
 * per (action, resource), so a render can ask for every button of every row. The answers are
 * the engine's (`authorize`, `actions`); call `refresh()` after the engine's facts change, or
 * `loadSlice(bytes)` to load a new slice and forget the old answers in one step.
 * A gate is a convenience for showing controls: the server must still authorize every write.
 */
import type { Value } from "../api/types.js";
import { valueKey } from "./key.js";

/** What a gate needs of an engine: a WasmEngine, the reference evaluator, or a test double. */
export interface GateEngine {
  authorize(actor: Value, action: string, resource: Value): boolean;
  actions(actor: Value, resource: Value): readonly string[];
}

/** An engine that can replace its facts with a slice (`engine.slice(actor)` bytes from a server). */
export interface SliceLoader {
  loadSlice(bytes: Uint8Array): unknown;
}

export interface Gate {
  /** The actor every answer is about. */
  readonly actor: Value;
  /** `authorize(actor, action, resource)`, memoised. */
  can(action: string, resource: Value): boolean;
  /** `!can(action, resource)`. */
  cannot(action: string, resource: Value): boolean;
  /** `actions(actor, resource)` as a set (iterates in the engine's sorted order), memoised; the same set until `refresh()`. */
  actions(resource: Value): ReadonlySet<string>;
  /** Forget every memoised answer (call it after the engine's facts change). */
  refresh(): void;
}

/** A gate over an engine that loads slices. */
export interface SliceGate extends Gate {
  /** `engine.loadSlice(bytes)`, then `refresh()`. */
  loadSlice(bytes: Uint8Array): void;
}

/** The gate `gate(engine, …)` returns: with `loadSlice` exactly when the engine has it. */
export type GateFor<E extends GateEngine> = E extends SliceLoader ? SliceGate : Gate;

/** A gate for one actor over `engine`. Errors (an unknown type, a bad value) are thrown, never memoised. */
export function gate<E extends GateEngine>(engine: E, actor: Value): GateFor<E> {
  let allowed = new Map<string, boolean>();
  let actionSets = new Map<string, ReadonlySet<string>>();

  const can = (action: string, resource: Value): boolean => {
    const key = `${action}\u0000${valueKey(resource)}`;
    let answer = allowed.get(key);
    if (answer === undefined) {
      answer = engine.authorize(actor, action, resource);
      allowed.set(key, answer);
    }
    return answer;
  };
  const refresh = (): void => {
    allowed = new Map();
    actionSets = new Map();
  };
  const g: Gate = {
    actor,
    can,
    cannot: (action, resource) => !can(action, resource),
    actions(resource) {
      const key = valueKey(resource);
      let set = actionSets.get(key);
      if (set === undefined) {
        set = new Set(engine.actions(actor, resource));
        actionSets.set(key, set);
      }
      return set;
    },
    refresh,
  };
  if (!isSliceLoader(engine)) return g as GateFor<E>;
  const sliceGate: SliceGate = {
    ...g,
    loadSlice(bytes) {
      engine.loadSlice(bytes);
      refresh();
    },
  };
  return sliceGate as GateFor<E>;
}

function isSliceLoader(engine: GateEngine): engine is GateEngine & SliceLoader {
  return typeof (engine as Partial<SliceLoader>).loadSlice === "function";
}
