/**
 * Render diagnostics for people: `file:line:column: error[CODE]: message`, the source line,
 * a caret under the span, and the help. Colour is the caller's choice (pass `color: true` only
 * on a TTY without NO_COLOR).
 */
import type { Diagnostic } from "./errors.js";

export interface RenderOptions {
  /** Source text by filename, to show the offending line. */
  readonly sources?: ReadonlyMap<string, string>;
  readonly color?: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const color = options.color === true;
  const label = d.severity === "error" ? paint(color, "1;31", `error[${d.code}]`) : paint(color, "1;33", `warning[${d.code}]`);
  const where = d.span !== undefined && d.span.line > 0 ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : "";
  const lines = [`${where}${label}: ${d.message}`];
  const src = d.span === undefined ? undefined : options.sources?.get(d.span.file);
  if (d.span !== undefined && src !== undefined && d.span.line > 0) {
    const text = src.split(/\r?\n/)[d.span.line - 1];
    if (text !== undefined) {
      const gutter = String(d.span.line);
      const width = Math.max(1, Math.min(d.span.end - d.span.start, text.length - d.span.column + 1));
      lines.push(`${" ".repeat(gutter.length)} |`);
      lines.push(`${gutter} | ${text}`);
      lines.push(`${" ".repeat(gutter.length)} | ${" ".repeat(d.span.column - 1)}${paint(color, "1;31", "^".repeat(width))}`);
    }
  }
  if (d.help.length > 0) lines.push(`  ${paint(color, "1;36", "help")}: ${d.help}`);
  return lines.join("\n");
}

export function renderDiagnostics(diags: readonly Diagnostic[], options: RenderOptions = {}): string {
  return diags.map((d) => renderDiagnostic(d, options)).join("\n\n");
}
