/**
 * Shared state of one checker run: the diagnostics collected so far, plus small helpers
 * for rendering terms in messages.
 */
import { diagnostic, type Diagnostic } from "../../api/errors.js";
import type { Span } from "../../api/span.js";
import type { Param, Term } from "../ast.js";
import { printParam, printTerm } from "../print-polar.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, help: string, span: Span): void {
    this.diagnostics.push(diagnostic(code, message, help, span, "error"));
  }

  warn(code: string, message: string, help: string, span: Span): void {
    this.diagnostics.push(diagnostic(code, message, help, span, "warning"));
  }
}

/** A block's name as used in messages: `Repo`, or "the global block". */
export function blockLabel(name: string): string {
  return name === "global" ? "the global block" : `\`${name}\``;
}

/** Polar source text for a term or parameter (for messages). */
export { printTerm as renderTerm, printParam as renderParam };

export function renderHead(name: string, params: readonly Param[]): string {
  return `${name}(${params.map(printParam).join(", ")})`;
}

/** The type of a literal or object-literal term; undefined for variables and `@current_unix_time`. */
export function literalType(t: Term): string | undefined {
  switch (t.kind) {
    case "string":
      return "String";
    case "integer":
      return "Integer";
    case "boolean":
      return "Boolean";
    case "object":
      return t.type.name;
    default:
      return t.kind === "now" ? "Integer" : undefined;
  }
}

/** Named variables are the ones a singleton check cares about: not `_`, not `_`-prefixed. */
export function isNamedVar(name: string): boolean {
  return !name.startsWith("_");
}
