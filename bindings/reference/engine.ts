/**
 * The reference engine: the oracle that the Wasm engine is differential-tested against.
 * Small and obviously correct rather than fast (see core.ts and evaluate.ts).
 */
import { compilePolicy } from "../compile/index.js";
import { ReferenceCore, type ReferenceOptions } from "./core.js";

export class ReferenceEngine extends ReferenceCore {
  constructor(options: Omit<ReferenceOptions, "compile"> = {}) {
    super({ ...options, compile: compilePolicy });
  }
}
