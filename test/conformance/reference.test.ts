import { describe } from "vitest";
import { ReferenceEngine } from "../../bindings/reference/engine.js";
import { loadCases, runCase } from "./runner.js";

describe.each(loadCases())("reference engine: $name", (c) => {
  runCase(() => new ReferenceEngine(), c);
});
