/**
 * Helpers for the Wasm engine's unit tests: a shared compiled module and `engineFor`, the
 * Wasm twin of reference-helpers' (the same ProgramSpec builds the same Program).
 */
import type { Fact } from "../../bindings/api/types.js";
import { loadModule } from "../../bindings/engine/load.js";
import { WasmEngine, type WasmEngineOptions } from "../../bindings/engine/wasm-engine.js";
import { buildProgram, type ProgramSpec } from "./reference-helpers.js";

export const wasmModule = await loadModule();

export function newEngine(options: WasmEngineOptions = {}): WasmEngine {
  return new WasmEngine(wasmModule, options);
}

/** A WasmEngine with the program loaded and the facts inserted. */
export function engineFor(spec: ProgramSpec, facts: readonly Fact[] = [], options: WasmEngineOptions = {}): WasmEngine {
  const e = newEngine(options);
  e.loadProgram(buildProgram(spec));
  for (const f of facts) e.insert(f);
  return e;
}

export { buildProgram, ent, rows, v, type ProgramSpec } from "./reference-helpers.js";
