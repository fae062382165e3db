export { ReferenceEngine } from "./engine.js";
export { ReferenceCore, type ReferenceOptions } from "./core.js";
export { evaluate, Model, type FactSource } from "./evaluate.js";
export { FactStore } from "./facts.js";
export { runTests } from "./tests.js";
