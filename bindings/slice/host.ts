/**
 * What the slice code needs from a WasmEngine: a narrow view of its internals, made by
 * `sliceHost()` (bindings/engine/slice-host.ts) so that wasm-engine.ts only delegates.
 */
import type { PolicySource, TypedValue } from "../api/types.js";
import type { Lattice, Tuple } from "../engine/shared/answers.js";
import type { Core } from "../engine/memory.js";
import type { SliceFact } from "./codec.js";

export interface SliceHost {
  readonly core: Core;
  /** The source of the loaded policy (undefined without one loaded by policy()). */
  source(): PolicySource | undefined;
  /** Whether a policy is loaded at all. */
  hasPolicy(): boolean;
  lattice(): Lattice;
  /** Every type name the engine has interned. */
  typeNames(): readonly string[];
  /** The relation (predicate, arity) of a relation id. */
  relation(rel: number): { readonly pred: string; readonly arity: number };
  decodeValue(vid: number): TypedValue;
  /** Whether the policy reads `@current_unix_time`. */
  usesNow(): boolean;
  /** The engine's clock (seconds). */
  clock(): bigint;
  /** Every answer of `allow(actor, _, _)` (wildcards kept), evaluated at `now`. */
  allowAnswers(actor: TypedValue, now: bigint | undefined): Tuple[];
  /** The stored values of exactly `type` (what `list` expands a wildcard to, without constants). */
  storedValues(type: string): TypedValue[];
  /** Load a policy from source (PolarError leaves the engine unchanged). */
  loadPolicy(source: PolicySource): void;
  /** Throws FactError when the loaded policy does not accept the fact. */
  validate(fact: SliceFact): void;
  /** Delete every stored fact, then insert these. */
  replaceFacts(facts: readonly SliceFact[]): void;
  /** The value id of a value (interning it). */
  valueId(v: TypedValue): number;
}
