/**
 * The one place that decides which engine the CLI uses: the Wasm engine. Everything else in
 * the CLI talks to the `AuthorizationEngine` interface only.
 */
import type { AuthorizationEngine } from "../api/types.js";
import { loadEngine, loadModule, WasmEngine } from "../engine/index.js";

export async function createEngine(): Promise<AuthorizationEngine> {
  return loadEngine();
}

/** An engine that can be saved as a snapshot (the store keeps one for questions). */
export interface SnapshotEngine extends AuthorizationEngine {
  snapshot(): Uint8Array;
}

/** Synchronous makers of engines (fresh, or restored from a snapshot: E_BAD_SNAPSHOT when unusable). */
export interface EngineMaker {
  fresh(): SnapshotEngine;
  restore(bytes: Uint8Array): SnapshotEngine;
}

export async function engineMaker(): Promise<EngineMaker> {
  const module = await loadModule();
  return { fresh: () => new WasmEngine(module), restore: (bytes) => WasmEngine.restore(module, bytes) };
}
