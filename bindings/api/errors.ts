import type { Span } from "./span.js";

export type Severity = "error" | "warning";

/**
 * One finding about a policy, a fact or a request. The same shape is used by the library,
 * the CLI (`--json`) and the server.
 * - `code`: stable, e.g. "E_UNDECLARED_TERM"; never reworded once released.
 * - `message`: lowercase, no trailing period, names the offending term in backticks.
 * - `help`: one sentence on how to fix it.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly help: string;
  readonly span?: Span;
}

export function diagnostic(code: string, message: string, help: string, span?: Span, severity: Severity = "error"): Diagnostic {
  return span === undefined ? { code, severity, message, help } : { code, severity, message, help, span };
}

/** Base class of every error boreal throws on purpose. */
export class BorealError extends Error {
  readonly code: string;
  readonly help: string;
  readonly span: Span | undefined;
  readonly diagnostics: readonly Diagnostic[];

  constructor(first: Diagnostic, all: readonly Diagnostic[] = [first]) {
    super(first.message);
    this.name = new.target.name;
    this.code = first.code;
    this.help = first.help;
    this.span = first.span;
    this.diagnostics = all;
  }

  /** The JSON error shape shared by the library, the CLI and the server. */
  toJSON(): { code: string; message: string; help: string; span?: Span; diagnostics: readonly Diagnostic[] } {
    const base = { code: this.code, message: this.message, help: this.help, diagnostics: this.diagnostics };
    return this.span === undefined ? base : { ...base, span: this.span };
  }
}

/**
 * A policy that does not lex, parse or validate. `diagnostics` holds every error found
 * (errors first, then warnings); `code`/`message`/`help`/`span` are those of the first error.
 */
export class PolarError extends BorealError {
  static fromDiagnostics(diags: readonly Diagnostic[]): PolarError {
    const errors = diags.filter((d) => d.severity === "error");
    const first = errors[0] ?? diags[0];
    if (first === undefined) throw new Error("PolarError needs at least one diagnostic");
    return new PolarError(first, [...errors, ...diags.filter((d) => d.severity !== "error")]);
  }
}

/** A fact, value or request that the loaded policy (or the API) rejects. */
export class FactError extends BorealError {}

export function isBorealError(e: unknown): e is BorealError {
  return e instanceof BorealError;
}
