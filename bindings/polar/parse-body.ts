/**
 * Rule bodies (polar-spec.md §2): precedence, low to high,
 * `or` < `and` < `not` < (`=` `!=` `<` `<=` `>` `>=`) < (`in`, `matches`).
 * `and`/`or` are n-ary; parentheses leave no node but keep their grouping.
 */
import type { CmpOp, Expr, Term } from "./ast.js";
import { MAX_NESTING, type Parser } from "./parse-core.js";
import { parseBracketList, parseCall, parseName, parseTerm } from "./parse-terms.js";
import { isIdent, isNameToken, isPunct, shorten } from "./tokens.js";

/** An expression with the extent of its source text, parentheses included. */
interface Located {
  readonly expr: Expr;
  readonly start: number;
  readonly end: number;
}

const CMP_OPS: ReadonlySet<string> = new Set(["=", "!=", "<", "<=", ">", ">="]);
const GOAL_HELP = "a goal is a call such as `f(x)`, a comparison such as `x = y`, `x in [...]` or `x matches Type`";

export function parseBody(p: Parser): Expr {
  return parseOr(p).expr;
}

function parseOr(p: Parser): Located {
  return parseNary(p, "or", parseAnd);
}

function parseAnd(p: Parser): Located {
  return parseNary(p, "and", parseNot);
}

function parseNary(p: Parser, op: "and" | "or", operand: (p: Parser) => Located): Located {
  const first = operand(p);
  if (!p.atIdent(op)) return first;
  const items: Located[] = [first];
  while (p.eatIdent(op)) items.push(operand(p));
  const last = items[items.length - 1] ?? first;
  return {
    expr: { kind: op, items: items.map((i) => i.expr), span: p.span(first.start, last.end) },
    start: first.start,
    end: last.end,
  };
}

function enter(p: Parser, what: string): void {
  if (++p.nesting > MAX_NESTING) {
    p.fail("E_SYNTAX", `too many nested \`${what}\``, `nest at most ${MAX_NESTING} levels deep`, p.tokenSpan(p.tok));
  }
}

function parseNot(p: Parser): Located {
  const notTok = p.tok;
  if (!isIdent(notTok, "not")) return parsePrimary(p);
  enter(p, "not");
  p.advance();
  const body = parseNot(p);
  p.nesting--;
  return { expr: { kind: "not", body: body.expr, span: p.span(notTok.start, body.end) }, start: notTok.start, end: body.end };
}

function parsePrimary(p: Parser): Located {
  const t = p.tok;
  if (isPunct(t, "(")) {
    enter(p, "(");
    p.advance();
    const inner = parseOr(p);
    p.expectPunct(")", "close the parenthesis opened before");
    p.nesting--;
    return { expr: inner.expr, start: t.start, end: p.prevEnd };
  }
  if (isNameToken(t) && isPunct(p.peek(1), "(")) {
    const call = parseCall(p);
    return located(call);
  }
  const term = parseTerm(p);
  return located(parseOperator(p, term));
}

function located(expr: Expr): Located {
  return { expr, start: expr.span.start, end: expr.span.end };
}

/** What follows a term in a goal: a comparison, `in [...]`, `matches T`, or nothing for `true`/`false`. */
function parseOperator(p: Parser, left: Term): Expr {
  const op = p.tok;
  const start = left.span.start;
  if (op.kind === "punct" && CMP_OPS.has(op.text)) {
    p.advance();
    const right = parseTerm(p);
    return { kind: "cmp", op: op.text as CmpOp, left, right, span: p.spanFrom(start) };
  }
  if (isIdent(op, "in")) {
    p.advance();
    if (!p.atPunct("[")) p.expected("a list `[...]` after `in`", "`in` needs a list literal on its right, as in `x in [\"a\", \"b\"]`");
    const list = parseBracketList(p, parseTerm, "list items");
    return { kind: "in", term: left, list, span: p.spanFrom(start) };
  }
  if (isIdent(op, "matches")) {
    p.advance();
    const bang = p.tok;
    if (isPunct(bang, "!") && bang.start === op.end) {
      p.fail("E_UNSUPPORTED_OPERATOR", "unsupported operator `matches!`", "use `matches` instead", p.span(op.start, bang.end));
    }
    const type = parseName(p, "a type name after `matches`", "write a type after `matches`, as in `x matches User`");
    return { kind: "matches", term: left, type, span: p.spanFrom(start) };
  }
  if (isIdent(op, "not") && isIdent(p.peek(1), "in")) {
    p.fail("E_SYNTAX", "unexpected `not`", "negate membership as `not x in [...]`", p.tokenSpan(op));
  }
  if (left.kind === "boolean") return { kind: "bool", value: left.value, span: left.span };
  const shown = shorten(p.map.src.slice(left.span.start, left.span.end));
  return p.expected(`an operator after \`${shown}\``, GOAL_HELP);
}
