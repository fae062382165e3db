/**
 * Terms, names, parameter lists, argument lists, list literals and calls (polar-spec.md §2).
 */
import type {
  BooleanTerm,
  CallExpr,
  IntegerTerm,
  LiteralTerm,
  Name,
  ObjectTerm,
  Param,
  StringTerm,
  Term,
} from "./ast.js";
import type { Parser } from "./parse-core.js";
import { HARD_KEYWORDS, INT_MAX, INT_MIN, isIdent, isNameToken, isPunct, type Token } from "./tokens.js";

const TERM_HELP = "a term is a variable, a string, an integer, `true`, `false`, an object literal such as `User{\"alice\"}` or `@current_unix_time`";

/** An identifier used as a rule, type or relation name. */
export function parseName(p: Parser, what: string, help?: string): Name {
  const t = p.tok;
  if (!isNameToken(t)) {
    if (t.kind === "ident" && HARD_KEYWORDS.has(t.text)) {
      p.fail("E_SYNTAX", `expected ${what}, found keyword \`${t.text}\``, help ?? `\`${t.text}\` is a reserved word and cannot be used as a name`, p.tokenSpan(t));
    }
    p.expected(what, help);
  }
  p.advance();
  return { name: t.text, span: p.tokenSpan(t) };
}

/** A string token as a StringTerm. */
export function stringTerm(p: Parser, t: Token): StringTerm {
  return { kind: "string", value: t.value, span: p.tokenSpan(t) };
}

/** Is the current position a negative integer literal (`-` immediately followed by digits)? */
function atNegativeInteger(p: Parser): boolean {
  const minus = p.tok;
  const next = p.peek(1);
  return isPunct(minus, "-") && (next.kind === "int" || next.kind === "float") && next.start === minus.end;
}

/** An integer literal, optionally negative; enforces the i64 range. */
function parseInteger(p: Parser): IntegerTerm {
  const start = p.tok.start;
  const negative = p.eatPunct("-") !== undefined;
  const t = p.tok;
  if (t.kind !== "int") return p.expected("an integer");
  p.advance();
  const value = negative ? -BigInt(t.text) : BigInt(t.text);
  const span = p.span(start, t.end);
  if (value < INT_MIN || value > INT_MAX) {
    p.fail(
      "E_INTEGER_OVERFLOW",
      `integer \`${p.map.src.slice(start, t.end)}\` does not fit in 64 bits`,
      "integers must be between -9223372036854775808 and 9223372036854775807",
      span,
    );
  }
  return { kind: "integer", value, span };
}

function parseBoolean(p: Parser): BooleanTerm {
  const t = p.advance();
  return { kind: "boolean", value: t.text === "true", span: p.tokenSpan(t) };
}

/** A string, integer or boolean literal (the inside of an object literal). */
export function parseLiteral(p: Parser): LiteralTerm {
  const t = p.tok;
  if (t.kind === "string") return stringTerm(p, p.advance());
  if (t.kind === "int" || atNegativeInteger(p)) return parseInteger(p);
  if (isIdent(t, "true") || isIdent(t, "false")) return parseBoolean(p);
  return p.expected(
    "a string, an integer or a boolean",
    "an object literal holds one literal id, as in `User{\"alice\"}` or `Integer{1}`",
  );
}

/** `Type{literal}`; the current token is the type name and the next one `{`. */
function parseObject(p: Parser): ObjectTerm {
  const type = parseName(p, "a type name");
  p.expectPunct("{");
  const value = parseLiteral(p);
  p.expectPunct("}", "an object literal holds exactly one literal, as in `User{\"alice\"}`");
  return { kind: "object", type, value, span: p.spanFrom(type.span.start) };
}

/** term = literal | object literal | `@current_unix_time` | variable (including `_`). */
export function parseTerm(p: Parser): Term {
  const t = p.tok;
  switch (t.kind) {
    case "string":
      return stringTerm(p, p.advance());
    case "int":
      return parseInteger(p);
    case "flag":
      if (t.value === "current_unix_time") {
        p.advance();
        return { kind: "now", span: p.tokenSpan(t) };
      }
      return p.fail("E_SYNTAX", `unexpected \`${t.text}\``, "the only built-in constant is `@current_unix_time`", p.tokenSpan(t));
    case "punct":
      if (atNegativeInteger(p)) {
        if (p.peek(1).kind === "float") p.failSpecial(p.peek(1));
        return parseInteger(p);
      }
      break;
    case "ident":
      if (t.text === "true" || t.text === "false") return parseBoolean(p);
      if (HARD_KEYWORDS.has(t.text)) {
        p.fail("E_SYNTAX", `expected a term, found keyword \`${t.text}\``, TERM_HELP, p.tokenSpan(t));
      }
      p.failSpecial(t); // unsupported keywords (`new`, `forall`, ...) and operators (`mod`, `rem`)
      if (isPunct(p.peek(1), "{")) return parseObject(p);
      p.advance();
      return { kind: "var", name: t.text, span: p.tokenSpan(t) };
    default:
      break;
  }
  return p.expected("a term", TERM_HELP);
}

/** A head parameter: `term` or `variable: Type`. */
export function parseParam(p: Parser): Param {
  const term = parseTerm(p);
  if (!p.atPunct(":")) return { term, span: term.span };
  if (term.kind !== "var") {
    p.fail("E_SYNTAX", "unexpected `:`", "only a variable can have a type specializer, as in `x: User`", p.tokenSpan(p.tok));
  }
  p.advance();
  const type = parseName(p, "a type name", "write a type after `:`, as in `x: User`");
  return { term, type, span: p.spanFrom(term.span.start) };
}

/** `(` [item {`,` item}] `)`; no trailing comma. */
function parseParenList<T>(p: Parser, item: (p: Parser) => T, what: string): T[] {
  p.expectPunct("(");
  const items: T[] = [];
  if (p.eatPunct(")")) return items;
  for (;;) {
    items.push(item(p));
    if (p.eatPunct(")")) return items;
    if (!p.atPunct(",")) p.expected("`,` or `)`", `separate ${what} with \`,\` and close the list with \`)\``);
    p.advance();
  }
}

/** Rule-head parameters: `(x: User, "read", _)`. */
export function parseParams(p: Parser): Param[] {
  return parseParenList(p, parseParam, "parameters");
}

/** Call arguments: `(x, "read", User{"alice"})`. */
export function parseArgs(p: Parser): Term[] {
  return parseParenList(p, parseTerm, "arguments");
}

/** Type list of `declare`: `(User, Integer)`. */
export function parseTypeList(p: Parser): Name[] {
  return parseParenList(p, (q) => parseName(q, "a type name"), "types");
}

/** `[` [item {`,` item} [`,`]] `]`; the current token is `[`. */
export function parseBracketList<T>(p: Parser, item: (p: Parser) => T, what: string): T[] {
  p.expectPunct("[");
  const items: T[] = [];
  while (!p.atPunct("]")) {
    items.push(item(p));
    if (p.atPunct("]")) break;
    if (!p.atPunct(",")) p.expected("`,` or `]`", `separate ${what} with \`,\` and close the list with \`]\``);
    p.advance();
  }
  p.advance();
  return items;
}

/** `name(args)`; the current token is the name and the next one `(`. */
export function parseCall(p: Parser): CallExpr {
  const t = p.tok;
  p.failSpecial(t); // `print(x)`, `forall(...)`
  const name = parseName(p, "a rule name");
  const args = parseArgs(p);
  return { kind: "call", name, args, span: p.spanFrom(name.span.start) };
}
