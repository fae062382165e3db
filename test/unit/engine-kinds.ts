/**
 * The engines that the shared unit suites (engine-*.test.ts) run against: the reference
 * evaluator and the Wasm engine, built from the same hand-written ProgramSpecs.
 */
import type { AuthorizationEngine, Fact, PolicyResult } from "../../bindings/api/types.js";
import type { Program } from "../../bindings/compile/ir.js";
import { ReferenceCore } from "../../bindings/reference/core.js";
import { ReferenceEngine } from "../../bindings/reference/engine.js";
import { buildProgram, type ProgramSpec } from "./reference-helpers.js";
import { newEngine as newWasmEngine } from "./wasm-helpers.js";

export interface EngineOptions {
  readonly now?: () => bigint;
}

export interface EngineKind {
  readonly name: string;
  /** An engine with its own policy compiler. */
  newEngine(options?: EngineOptions): AuthorizationEngine;
  /** An engine with a hand-built program loaded and the facts inserted. */
  engineFor(spec: ProgramSpec, facts?: readonly Fact[], options?: EngineOptions): AuthorizationEngine & { loadProgram(p: Program): PolicyResult };
}

function withProgram<E extends { loadProgram(p: Program): PolicyResult; insert(f: Fact): void }>(e: E, spec: ProgramSpec, facts: readonly Fact[]): E {
  e.loadProgram(buildProgram(spec));
  for (const f of facts) e.insert(f);
  return e;
}

export const ENGINE_KINDS: readonly EngineKind[] = [
  {
    name: "reference",
    newEngine: (options = {}) => new ReferenceEngine(options),
    engineFor: (spec, facts = [], options = {}) => withProgram(new ReferenceCore(options), spec, facts),
  },
  {
    name: "wasm",
    newEngine: (options = {}) => newWasmEngine(options),
    engineFor: (spec, facts = [], options = {}) => withProgram(newWasmEngine(options), spec, facts),
  },
];
