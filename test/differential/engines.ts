/**
 * The engines under differential test. The reference evaluator is the oracle; the Wasm engine
 * is imported dynamically so that this suite still loads (and reports the Wasm comparison as
 * skipped, with the reason) while bindings/engine or its engine.wasm is missing.
 */
import type { AuthorizationEngine } from "../../bindings/api/types.js";
import { ReferenceEngine } from "../../bindings/reference/index.js";
import type { GeneratedProgram } from "./generator.js";

/** A reference engine whose `@current_unix_time` is the program's pinned time. */
export function makeReferenceEngine(program: GeneratedProgram): AuthorizationEngine {
  return new ReferenceEngine({ now: () => BigInt(program.now) });
}

interface EngineModule {
  loadEngine(options?: { readonly now?: () => bigint }): Promise<AuthorizationEngine>;
}

// A computed specifier keeps tsc from requiring the module to exist.
const ENGINE_MODULE = ["..", "..", "bindings", "engine", "index.js"].join("/");

let engineModule: Promise<EngineModule> | undefined;

function importEngine(): Promise<EngineModule> {
  engineModule ??= (import(/* @vite-ignore */ ENGINE_MODULE) as Promise<EngineModule>).then((m) => {
    if (typeof m.loadEngine !== "function") throw new Error("bindings/engine/index.js does not export loadEngine()");
    return m;
  });
  return engineModule;
}

/** A fresh Wasm engine (bindings/engine `loadEngine()`), with `@current_unix_time` pinned. */
export async function makeWasmEngine(program?: GeneratedProgram): Promise<AuthorizationEngine> {
  const { loadEngine } = await importEngine();
  return program === undefined ? loadEngine() : loadEngine({ now: () => BigInt(program.now) });
}

export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * Can the Wasm engine be created? Unavailable (a reason to skip, not a failure) only when the
 * module or its engine.wasm is missing; any other error while loading is rethrown so that a
 * broken engine fails the suite instead of being skipped.
 */
export async function wasmAvailability(): Promise<Availability> {
  try {
    await makeWasmEngine();
    return { available: true };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown } | null)?.code;
    // Only the engine's entry module itself being absent counts; a missing dependency of a
    // present module is a broken engine, which must fail.
    const notFound = code === "ERR_MODULE_NOT_FOUND" || /Cannot find module|Failed to load url|Failed to resolve import/i.test(message);
    const missingModule = (notFound && /bindings\/engine\/index\.(js|ts)/.test(message)) || /does not export loadEngine/.test(message);
    const missingWasm = /could not find engine\.wasm/i.test(message);
    if (missingModule) return { available: false, reason: `the Wasm engine module bindings/engine/index.js is not available (${message.split("\n")[0]})` };
    if (missingWasm) return { available: false, reason: `engine.wasm is not built (run \`npm run build:wasm\`): ${message.split("\n")[0]}` };
    throw e;
  }
}
