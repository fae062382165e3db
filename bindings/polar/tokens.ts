/**
 * Tokens of the Polar lexer, the word lists the parser consults, and `SourceMap`, which turns
 * UTF-16 offsets into spans (1-based line and column, column counted in UTF-16 units).
 */
import type { Span } from "../api/span.js";

/**
 * - `ident`: identifiers and every keyword (keywords are contextual; the parser decides).
 * - `string`: `value` is the decoded text. `int`: `value` is the digits (no sign; the parser
 *   folds a preceding `-`). `float`: lexed only so the parser can say "floats are not supported".
 * - `flag`: `@name`; `value` is the name without `@`.
 * - `punct`: operators and delimiters (see `PUNCTUATION`).
 * - `error`: text the lexer already reported (bad string or character); the parser skips the item.
 * - `eof`: always the last token, zero-width at the end of the source.
 */
export type TokenKind = "ident" | "string" | "int" | "float" | "flag" | "punct" | "error" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The token's source text ("" for eof). */
  readonly text: string;
  /** Decoded string value, flag name, or the text itself. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Two-character punctuation first: the lexer matches greedily. */
export const PUNCTUATION_2 = ["?=", "==", "!=", "<=", ">=", ":="] as const;
export const PUNCTUATION_1 = ["(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "<", ">", "+", "-", "*", "/", ".", "!"] as const;

/** Reserved everywhere: never a variable, rule or type name. */
export const HARD_KEYWORDS: ReadonlySet<string> = new Set(["if", "and", "or", "not", "in", "matches"]);

/** OSS Polar keywords that Oso Cloud Polar does not support, with the help text for each. */
export const UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["forall", "Oso Cloud Polar has no `forall`; express it with `not`, as in `not (p(x) and not q(x))`"],
  ["cut", "Oso Cloud Polar has no `cut`; rules have set semantics, so remove it"],
  ["new", "use an object literal such as `User{\"alice\"}` instead"],
  ["isa", "use `matches` instead, as in `x matches User`"],
  ["print", "Oso Cloud Polar has no `print`; remove it"],
  ["debug", "Oso Cloud Polar has no `debug`; remove it"],
]);

/** Operators that OSS Polar has and Oso Cloud Polar does not, with the help text for each. */
const ARITHMETIC_HELP = "arithmetic is not supported in Oso Cloud Polar";
export const UNSUPPORTED_OPERATORS: ReadonlyMap<string, string> = new Map([
  ["==", "use `=` instead"],
  [":=", "use `=` instead"],
  ["+", ARITHMETIC_HELP],
  ["-", ARITHMETIC_HELP],
  ["*", ARITHMETIC_HELP],
  ["/", ARITHMETIC_HELP],
  ["mod", ARITHMETIC_HELP],
  ["rem", ARITHMETIC_HELP],
  [".", "attribute lookups are not supported; store attributes as facts, as in `has_status(x, \"active\")`"],
]);

export const INT_MIN = -(2n ** 63n);
export const INT_MAX = 2n ** 63n - 1n;

export function isPunct(t: Token, text: string): boolean {
  return t.kind === "punct" && t.text === text;
}

export function isIdent(t: Token, text?: string): boolean {
  return t.kind === "ident" && (text === undefined || t.text === text);
}

/** An identifier usable as a name (rule, type, variable): not a hard keyword, not `true`/`false`. */
export function isNameToken(t: Token): boolean {
  return t.kind === "ident" && !HARD_KEYWORDS.has(t.text) && t.text !== "true" && t.text !== "false";
}

/** How a token is named in a message: `x`, `"abc"`, or end of file. Long text is shortened. */
export function describeToken(t: Token): string {
  if (t.kind === "eof") return "end of file";
  return `\`${shorten(t.text)}\``;
}

export function shorten(text: string, max = 32): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Line starts of one source text; builds spans from UTF-16 offsets. */
export class SourceMap {
  readonly file: string;
  readonly src: string;
  private readonly lineStarts: number[];

  constructor(file: string, src: string) {
    this.file = file;
    this.src = src;
    const starts = [0];
    for (let i = 0; i < src.length; i++) {
      const c = src.charCodeAt(i);
      // `\n`, `\r\n` and a lone `\r` each end a line.
      if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** 1-based line and column (UTF-16 units) of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }

  span(start: number, end: number): Span {
    const { line, column } = this.position(start);
    return { file: this.file, start, end, line, column };
  }

  tokenSpan(t: Token): Span {
    return this.span(t.start, t.end);
  }
}
