/**
 * The one place that decides which engine the CLI uses: the Wasm engine. Everything else in
 * the CLI talks to the `AuthorizationEngine` interface only.
 */
import type { AuthorizationEngine } from "../api/types.js";
import { loadEngine } from "../engine/index.js";

export async function createEngine(): Promise<AuthorizationEngine> {
  return loadEngine();
}
