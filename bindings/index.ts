/**
 * The `boreal` package entry, the same in Node and in browser bundles:
 * `const oso = await loadEngine();`. No top-level await; the Wasm is found next to this module
 * (Node reads it from disk, browsers fetch it) unless the caller passes it.
 */
export { loadEngine, type LoadOptions, type WasmSource } from "./engine/load.js";
export type { WasmEngine } from "./engine/wasm-engine.js";
export type { SliceOptions } from "./slice/take.js";
export { BorealError, PolarError, FactError, type Diagnostic, type Severity } from "./api/errors.js";
export type { Span } from "./api/span.js";
export type {
  AuthorizationEngine,
  Fact,
  FactPattern,
  OutputFact,
  OutputValue,
  PolicyResult,
  PolicySource,
  QueryRow,
  TestCaseResult,
  TestFailure,
  TestReport,
  Transaction,
  TypedValue,
  Value,
  ValuePattern,
} from "./api/types.js";
export { parseValue, parsePattern, formatValue } from "./api/values.js";
export { gate, type Gate, type GateEngine, type GateFor, type SliceGate, type SliceLoader } from "./gate/index.js";
export { renderDiagnostic, renderDiagnostics } from "./api/render.js";
