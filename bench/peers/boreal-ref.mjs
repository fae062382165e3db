// boreal-ref: boreal's TypeScript reference evaluator (dist/reference). The slow oracle: small scale only.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { engineAdapter } from "./engine-adapter.mjs";

export const name = "boreal-ref";
export const description = "boreal's TypeScript reference evaluator (the oracle), same public API; run at the validation scale XS only";
const ENTRY = new URL("../../dist/reference/index.js", import.meta.url);

export async function available({ scale }) {
  if (!existsSync(fileURLToPath(ENTRY))) return { ok: false, reason: "dist/reference/index.js not built (npm run build)" };
  if (scale !== "XS") return { ok: false, reason: "the reference evaluator runs at the validation scale XS only (it materializes the whole model: ~2 min for gitclub S, >8 min for deep S)" };
  return { ok: true };
}

export async function open({ polar }) {
  const { ReferenceEngine } = await import(ENTRY.href);
  return engineAdapter(new ReferenceEngine(), { polar });
}
