/** `boreal` in Node: reads dist/engine.wasm from disk (Node 20's fetch cannot read file: URLs). */
import { compileFirstFile, makeLoadEngine } from "../engine/load.js";
import { engineWasmUrl } from "../wasm-url.js";

export * from "../index.js";
/** Create an engine; the core is read from the engine.wasm shipped next to this package's modules. */
export const loadEngine = makeLoadEngine(() =>
  // The second candidate is for running from a source checkout (bindings/ next to build/).
  compileFirstFile([engineWasmUrl(), new URL("../build/engine.wasm", engineWasmUrl())]),
);
