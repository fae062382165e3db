/**
 * Where output goes: data to stdout, messages (and errors, warnings, progress) to stderr.
 * `--json` prints data as JSON and errors as the shared error shape (`err.toJSON()`). Colour
 * only on a TTY and never when NO_COLOR is set.
 */
import { type Diagnostic, isBorealError } from "../api/errors.js";
import { renderDiagnostics } from "../api/render.js";

export function colorFor(stream: { readonly isTTY?: boolean }): boolean {
  const noColor = process.env["NO_COLOR"];
  return stream.isTTY === true && (noColor === undefined || noColor === "");
}

export type Sources = ReadonlyMap<string, string>;

export class Output {
  /** Policy sources by filename, to show the offending line of a PolarError. */
  sources: Sources | undefined = undefined;

  readonly outColor = colorFor(process.stdout);
  readonly errColor = colorFor(process.stderr);

  constructor(readonly json: boolean) {}

  /** One line of data on stdout. */
  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  /** Lines of data on stdout, written in large pieces. */
  lines(texts: Iterable<string>): void {
    let buf = "";
    for (const t of texts) {
      buf += `${t}\n`;
      if (buf.length > 1 << 16) {
        process.stdout.write(buf);
        buf = "";
      }
    }
    if (buf.length > 0) process.stdout.write(buf);
  }

  /** A JSON document on stdout (`--json`). */
  data(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A message for people, on stderr. */
  message(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  paint(code: string, text: string, stream: "out" | "err" = "out"): string {
    return (stream === "out" ? this.outColor : this.errColor) ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  /** Warnings and errors rendered with file:line:column, source line, caret and help. */
  diagnostics(diags: readonly Diagnostic[], sources?: Sources): void {
    if (diags.length === 0) return;
    process.stderr.write(`${renderDiagnostics(diags, { ...(sources === undefined ? {} : { sources }), color: this.errColor })}\n`);
  }

  /** Report an error: the shared shape with --json, rendered diagnostics otherwise. */
  error(e: unknown, sources: Sources | undefined = this.sources): void {
    if (isBorealError(e)) {
      if (this.json) process.stderr.write(`${JSON.stringify(e.toJSON())}\n`);
      else this.diagnostics(e.diagnostics, sources);
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    const internal = { code: "E_INTERNAL", message: `internal error: ${message}`, help: "this is a bug in boreal; please report it with the command that caused it", diagnostics: [] };
    if (this.json) process.stderr.write(`${JSON.stringify(internal)}\n`);
    else process.stderr.write(`${this.paint("1;31", "error[E_INTERNAL]", "err")}: ${internal.message}\n  help: ${internal.help}\n`);
    if (process.env["BOREAL_DEBUG"] !== undefined && e instanceof Error && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
  }
}
