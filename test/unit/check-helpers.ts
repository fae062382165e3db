/** Shared helpers for the checker tests: parse with the real parser, then check. */
import type { Diagnostic } from "../../bindings/api/errors.js";
import { checkPolicy } from "../../bindings/polar/check/index.js";
import type { PolicyModel } from "../../bindings/polar/model.js";
import { parsePolicy } from "../../bindings/polar/parser.js";

export interface Checked {
  readonly model: PolicyModel;
  readonly diagnostics: Diagnostic[];
  readonly parseDiagnostics: readonly Diagnostic[];
}

/** Parse one source (`test.polar`) or several files, then check. */
export function check(src: string | Readonly<Record<string, string>>): Checked {
  const files = typeof src === "string" ? [{ filename: "test.polar", src }] : Object.entries(src).map(([filename, s]) => ({ filename, src: s }));
  const { policy, diagnostics: parseDiagnostics } = parsePolicy(files);
  const { model, diagnostics } = checkPolicy(policy);
  return { model, diagnostics, parseDiagnostics };
}

export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

export function errors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

/** `code@line:column` for compact assertions. */
export function where(d: Diagnostic): string {
  return `${d.code}@${d.span?.line ?? 0}:${d.span?.column ?? 0}`;
}
