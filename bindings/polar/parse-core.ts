/**
 * The parser's cursor over tokens, its error reporting and its error recovery. The grammar
 * lives in parse-terms.ts, parse-body.ts, parse-blocks.ts, parse-tests.ts and parser.ts.
 *
 * A syntax error records one diagnostic and throws `ParseAbort`; the nearest item (top-level
 * item, block member, test statement) catches it, calls `recover`, and parsing goes on.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import type { Span } from "../api/span.js";
import {
  describeToken,
  isIdent,
  isPunct,
  UNSUPPORTED_KEYWORDS,
  UNSUPPORTED_OPERATORS,
  type SourceMap,
  type Token,
} from "./tokens.js";

/** Thrown to unwind to the nearest recovery point; its diagnostic is already recorded. */
export class ParseAbort {
  readonly isParseAbort = true;
}

const ABORT = new ParseAbort();

export const EOF_HELP = "did you forget a `;` or a closing `}`?";
/** Deepest nesting of parentheses and `not` the parser accepts (keeps recursion bounded). */
export const MAX_NESTING = 200;

export class Parser {
  readonly tokens: readonly Token[];
  readonly map: SourceMap;
  readonly diagnostics: Diagnostic[] = [];
  pos = 0;
  /** Current nesting of parentheses/`not`, checked against MAX_NESTING. */
  nesting = 0;

  constructor(tokens: readonly Token[], map: SourceMap) {
    this.tokens = tokens;
    this.map = map;
  }

  peek(k = 0): Token {
    const last = this.tokens.length - 1;
    return this.tokens[Math.min(this.pos + k, last)] ?? (this.tokens[last] as Token);
  }

  get tok(): Token {
    return this.peek(0);
  }

  get atEof(): boolean {
    return this.tok.kind === "eof";
  }

  advance(): Token {
    const t = this.tok;
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  /** End offset of the last consumed token. */
  get prevEnd(): number {
    return this.pos === 0 ? 0 : (this.tokens[this.pos - 1]?.end ?? 0);
  }

  atPunct(text: string): boolean {
    return isPunct(this.tok, text);
  }

  atIdent(text?: string): boolean {
    return isIdent(this.tok, text);
  }

  eatPunct(text: string): Token | undefined {
    return this.atPunct(text) ? this.advance() : undefined;
  }

  eatIdent(text: string): Token | undefined {
    return this.atIdent(text) ? this.advance() : undefined;
  }

  /** Consumes punctuation `text` or reports "expected `text`, found …". */
  expectPunct(text: string, help?: string): Token {
    return this.eatPunct(text) ?? this.expected(`\`${text}\``, help);
  }

  span(start: number, end: number): Span {
    return this.map.span(start, end);
  }

  tokenSpan(t: Token): Span {
    return this.map.tokenSpan(t);
  }

  /** Span from `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    return this.map.span(start, Math.max(start, this.prevEnd));
  }

  /** Records a diagnostic (dropping repeats: end of file is reported once) and aborts the item. */
  fail(code: string, message: string, help: string, span: Span): never {
    const last = this.diagnostics[this.diagnostics.length - 1];
    const repeat = code === "E_UNEXPECTED_EOF"
      ? this.diagnostics.some((d) => d.code === code)
      : last !== undefined && last.code === code && last.span?.start === span.start && last.message === message;
    if (!repeat) {
      this.diagnostics.push(diagnostic(code, message, help, span));
    }
    throw ABORT;
  }

  /**
   * Reports the current token as wrong. Tokens with a dedicated error (lexer errors, floats,
   * unsupported OSS operators and keywords, end of file) get it; others get E_SYNTAX:
   * "expected <what>, found `x`" or, without `what`, "unexpected `x`".
   */
  expected(what: string | undefined, help?: string): never {
    const t = this.tok;
    this.failSpecial(t, what);
    const found = describeToken(t);
    const message = what === undefined ? `unexpected ${found}` : `expected ${what}, found ${found}`;
    return this.fail("E_SYNTAX", message, help ?? defaultHelp(what), this.tokenSpan(t));
  }

  unexpected(help?: string): never {
    return this.expected(undefined, help);
  }

  /** Fails with the token's dedicated error code, if it has one. */
  failSpecial(t: Token, what?: string): void {
    if (t.kind === "error") throw ABORT;
    if (t.kind === "eof") {
      const message = what === undefined ? "unexpected end of file" : `unexpected end of file, expected ${what}`;
      this.fail("E_UNEXPECTED_EOF", message, EOF_HELP, this.tokenSpan(t));
    }
    if (t.kind === "float") {
      this.fail("E_FLOAT", `floats are not supported: \`${t.text}\``, "use an integer instead; Oso Cloud Polar has no float type", this.tokenSpan(t));
    }
    if (t.kind === "punct" || t.kind === "ident") {
      const opHelp = UNSUPPORTED_OPERATORS.get(t.text);
      if (opHelp !== undefined) {
        this.fail("E_UNSUPPORTED_OPERATOR", `unsupported operator \`${t.text}\``, opHelp, this.tokenSpan(t));
      }
    }
    if (t.kind === "ident") {
      const kwHelp = UNSUPPORTED_KEYWORDS.get(t.text);
      if (kwHelp !== undefined) {
        this.fail("E_UNSUPPORTED_KEYWORD", `unsupported keyword \`${t.text}\``, kwHelp, this.tokenSpan(t));
      }
    }
  }

  /**
   * Error recovery after an abort in an item that started at token `startPos`: skips to just
   * after the next `;` at the item's brace depth, or to the `}` that closes the item's braces.
   * Inside a container (`inContainer`: block, test, setup, fixture) a `}` at depth 0 closes the
   * container and is left for it. Always makes progress.
   */
  recover(startPos: number, inContainer: boolean): void {
    this.nesting = 0; // items and members always start outside any parentheses
    let depth = 0;
    for (let i = startPos; i < this.pos; i++) {
      const t = this.tokens[i];
      if (t === undefined) break;
      if (isPunct(t, "{")) depth++;
      else if (isPunct(t, "}") && depth > 0) depth--;
    }
    while (!this.atEof) {
      const t = this.tok;
      if (isPunct(t, ";") && depth === 0) {
        this.advance();
        return;
      }
      if (isPunct(t, "{")) depth++;
      else if (isPunct(t, "}")) {
        if (depth === 0) {
          if (inContainer && this.pos > startPos) return;
          this.advance();
          return;
        }
        depth--;
        this.advance();
        // A closing brace at top level ends a block; stop unless what follows cannot start an item.
        if (depth === 0 && !inContainer && !cannotStartItem(this.tok)) return;
        continue;
      }
      this.advance();
    }
  }
}

function cannotStartItem(t: Token): boolean {
  return t.kind === "punct" && t.text !== "?=";
}

function defaultHelp(what: string | undefined): string {
  return what === undefined ? "remove it, or check the syntax just before it" : `write ${what} here`;
}

export function isParseAbort(e: unknown): e is ParseAbort {
  return e instanceof ParseAbort;
}
