/** `boreal/slim`: no Wasm and no lookup; the caller passes `loadEngine({ wasm })`. */
import { makeLoadEngine } from "../engine/load.js";

export * from "../index.js";
/** Create an engine from the core the caller provides: bytes, a URL, a Response or a WebAssembly.Module. */
export const loadEngine = makeLoadEngine({
  missing:
    "boreal/slim has no engine.wasm of its own: call loadEngine({ wasm }) with the core as bytes, a URL, a Response or a WebAssembly.Module (the file is exported as boreal/engine.wasm), or import from \"boreal\" or \"boreal/inline\" instead",
});
