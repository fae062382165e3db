/**
 * A range of source text. `line` and `column` are 1-based and point at `start`;
 * `start`/`end` are UTF-16 offsets into the file's text (end exclusive).
 */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** A span for things that have no source text (built-in rules, API input). */
export const NO_SPAN: Span = Object.freeze({ file: "<builtin>", start: 0, end: 0, line: 0, column: 0 });

/** The smallest span covering both `a` and `b` (same file assumed). */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.start <= b.start ? a : b;
  return { file: a.file, start: first.start, end: Math.max(a.end, b.end), line: first.line, column: first.column };
}

export function spanLength(span: Span): number {
  return span.end - span.start;
}
