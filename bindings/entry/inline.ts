/** `boreal/inline`: the core is embedded (base64) in the package, for CDNs and workers; nothing to fetch or copy. */
import { makeLoadEngine } from "../engine/load.js";
import { ENGINE_WASM_BASE64 } from "./wasm-base64.js";

export * from "../index.js";

function decode(base64: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof fromBase64 === "function") return fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Create an engine from the embedded core unless `wasm` is given. */
export const loadEngine = makeLoadEngine(() => decode(ENGINE_WASM_BASE64) as Uint8Array<ArrayBuffer>);
