import { describe } from "vitest";
import { loadModule } from "../../bindings/engine/load.js";
import { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { loadCases, runCase } from "./runner.js";

const module = await loadModule();

describe.each(loadCases())("wasm engine: $name", (c) => {
  runCase(() => new WasmEngine(module), c);
});
