/**
 * `boreal` in browsers and bundlers: fetches engine.wasm next to the module (unbundled) or the
 * bundle (esbuild: copy `boreal/engine.wasm` there), streaming-compiled when served as application/wasm.
 */
import { makeLoadEngine } from "../engine/load.js";
import { engineWasmUrl } from "../wasm-url.js";

export * from "../index.js";
/** Create an engine; the core is fetched from engine.wasm next to this module unless `wasm` is given. */
export const loadEngine = makeLoadEngine(engineWasmUrl);
