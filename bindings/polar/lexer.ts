/**
 * The Polar lexer (polar-spec.md §1). It never throws: bad strings and characters become
 * `error` tokens plus a diagnostic, and lexing continues after them.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import { PUNCTUATION_1, PUNCTUATION_2, SourceMap, shorten, type Token, type TokenKind } from "./tokens.js";

export interface LexResult {
  /** Ends with exactly one `eof` token. */
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

const ID_START = /^[\p{L}\p{Nl}\p{Extended_Pictographic}]$/u;
const ID_CONTINUE = /^[\p{L}\p{Nl}\p{Extended_Pictographic}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u200D\uFE0F]$/u;
const UNICODE_SPACE = /^\s$/u;
/** Control, format, unassigned, private-use and separator characters are shown as `U+XXXX`. */
const INVISIBLE = /^[\p{C}\p{Z}]$/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Is the code point at `i` an identifier start (or continue) character? Returns its UTF-16 length, or 0. */
function idCharAt(src: string, i: number, continuing: boolean): number {
  const c = src.charCodeAt(i);
  if (Number.isNaN(c)) return 0;
  if (c < 128) return isAsciiIdStart(c) || (continuing && isDigit(c)) ? 1 : 0;
  const cp = src.codePointAt(i) ?? c;
  const ch = String.fromCodePoint(cp);
  return (continuing ? ID_CONTINUE : ID_START).test(ch) ? ch.length : 0;
}

const STRING_ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", "0": "\0" };

const INVALID_CHAR_HELP: Readonly<Record<string, string>> = {
  "'": "strings are written with double quotes, as in `\"read\"`",
  "\u201C": "use a straight double quote `\"` instead",
  "\u201D": "use a straight double quote `\"` instead",
  "&": "use `and` instead",
  "|": "use `or` instead",
  "?": "`?` is only valid in `?=` or at the end of a name",
  "@": "`@` must be followed by a name, as in `@current_unix_time`",
  "\\": "a backslash is only valid inside a string",
};

export function lex(src: string, filename: string, map: SourceMap = new SourceMap(filename, src)): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = src.length;
  let i = 0;

  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const text = src.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, start, end });
  };
  const report = (code: string, message: string, help: string, start: number, end: number): void => {
    diagnostics.push(diagnostic(code, message, help, map.span(start, end)));
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace (and a byte-order mark)
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xfeff) {
      i++;
      continue;
    }
    // comment to end of line
    if (c === 35) {
      while (i < n && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      continue;
    }
    const start = i;
    if (c === 34) {
      i = lexString(src, i, push, report);
      continue;
    }
    if (isDigit(c)) {
      while (isDigit(src.charCodeAt(i))) i++;
      let float = false;
      if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
        float = true;
        i++;
        while (isDigit(src.charCodeAt(i))) i++;
      }
      const e = src.charCodeAt(i);
      if (e === 101 || e === 69) {
        const sign = src.charCodeAt(i + 1);
        const digitAt = sign === 43 || sign === 45 ? i + 2 : i + 1;
        if (isDigit(src.charCodeAt(digitAt))) {
          float = true;
          i = digitAt;
          while (isDigit(src.charCodeAt(i))) i++;
        }
      }
      push(float ? "float" : "int", start, i);
      continue;
    }
    const idLen = idCharAt(src, i, false);
    if (idLen > 0) {
      i = scanIdentifier(src, i);
      push("ident", start, i);
      continue;
    }
    if (c === 64 && idCharAt(src, i + 1, false) > 0) {
      i = scanIdentifier(src, i + 1);
      push("flag", start, i, src.slice(start + 1, i));
      continue;
    }
    const two = src.slice(i, i + 2);
    if ((PUNCTUATION_2 as readonly string[]).includes(two)) {
      i += 2;
      push("punct", start, i);
      continue;
    }
    const one = src[i] ?? "";
    if ((PUNCTUATION_1 as readonly string[]).includes(one)) {
      i += 1;
      push("punct", start, i);
      continue;
    }
    // invalid character (a whole code point)
    const cp = src.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    const shown = INVISIBLE.test(ch) ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : ch;
    const help = INVALID_CHAR_HELP[ch] ?? (UNICODE_SPACE.test(ch) ? "replace it with a plain space" : "remove this character");
    report("E_INVALID_CHARACTER", `invalid character \`${shown}\``, help, start, i);
    push("error", start, i);
  }
  tokens.push({ kind: "eof", text: "", value: "", start: n, end: n });
  return { tokens, diagnostics };
}

/** Identifier: id chars, `::`-separated segments, one optional trailing `?`. `i` is at an id start. */
function scanIdentifier(src: string, i: number): number {
  i += idCharAt(src, i, false);
  for (;;) {
    const len = idCharAt(src, i, true);
    if (len > 0) {
      i += len;
      continue;
    }
    if (src.charCodeAt(i) === 58 && src.charCodeAt(i + 1) === 58 && idCharAt(src, i + 2, false) > 0) {
      i += 2 + idCharAt(src, i + 2, false);
      continue;
    }
    break;
  }
  if (src.charCodeAt(i) === 63) i++;
  return i;
}

/** Lexes a string starting at the `"` at `i`; returns the offset after it. */
function lexString(
  src: string,
  i: number,
  push: (kind: TokenKind, start: number, end: number, value?: string) => void,
  report: (code: string, message: string, help: string, start: number, end: number) => void,
): number {
  const start = i;
  const n = src.length;
  const parts: string[] = [];
  let chunk = i + 1;
  i++;
  for (;;) {
    if (i >= n) {
      report("E_UNTERMINATED_STRING", `unterminated string \`${shorten(src.slice(start, n))}\``, "add the closing `\"`", start, n);
      push("error", start, n);
      return n;
    }
    const c = src.charCodeAt(i);
    if (c === 34) {
      parts.push(src.slice(chunk, i));
      i++;
      push("string", start, i, parts.join(""));
      return i;
    }
    if (c === 10 || c === 13) {
      report(
        "E_NEWLINE_IN_STRING",
        `newline in string \`${shorten(src.slice(start, i))}\``,
        "close the string with `\"` on the same line, or write `\\n` for a newline",
        start,
        i,
      );
      push("error", start, i);
      return i;
    }
    if (c === 92) {
      parts.push(src.slice(chunk, i));
      if (i + 1 >= n) {
        i = n;
        continue;
      }
      const cp = src.codePointAt(i + 1) ?? 0;
      const ch = String.fromCodePoint(cp);
      parts.push(STRING_ESCAPES[ch] ?? ch);
      i += 1 + ch.length;
      chunk = i;
      continue;
    }
    i++;
  }
}
