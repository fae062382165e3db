/** The Wasm-backed engine: `const oso = await loadEngine()`. */
export { loadEngine, loadModule, type LoadOptions, type WasmSource } from "./load.js";
export { WasmEngine, type WasmEngineOptions } from "./wasm-engine.js";
