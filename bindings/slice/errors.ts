/** The slice diagnostics (docs/diagnostics.md). */
import { diagnostic, FactError } from "../api/errors.js";
import type { TypedValue } from "../api/types.js";

const RETAKE = "take a new slice on the server with engine.slice(actor) and send it unchanged";

export function badSliceFormat(why: string): FactError {
  return new FactError(diagnostic("E_SLICE_FORMAT", `the slice is unusable: ${why}`, RETAKE));
}

export function badSliceVersion(version: number, supported: number): FactError {
  return new FactError(diagnostic("E_SLICE_VERSION", `the slice has format version ${version}, but this boreal reads version ${supported}`, "use the same boreal version on the server and in the browser"));
}

export function slicePolicyMismatch(why: string): FactError {
  return new FactError(diagnostic("E_SLICE_POLICY_MISMATCH", `the slice was taken under another policy: ${why}`, "load the policy the slice was taken with, or take the slice with { includePolicy: true }"));
}

const show = (v: TypedValue): string => `${v.type}:${v.id}`;

export function sliceActorError(asked: TypedValue, sliced: TypedValue): FactError {
  return new FactError(diagnostic("E_SLICE_ACTOR", `this engine holds the slice of \`${show(sliced)}\` and cannot answer for \`${show(asked)}\``, "ask only about the slice's actor, or load that actor's slice"));
}
