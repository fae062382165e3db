/**
 * `actor`/`resource`/`global` blocks: headers, declarations and shorthand rules
 * (polar-spec.md §2, §4, §5). A bad member is reported and skipped; the block is kept.
 */
import type {
  Block,
  BlockKind,
  Declaration,
  Name,
  RelationItem,
  ShorthandExpr,
  ShorthandRule,
  ShorthandTerm,
  StringItem,
} from "./ast.js";
import { isParseAbort, MAX_NESTING, type Parser } from "./parse-core.js";
import { parseBracketList, parseCall, parseName, stringTerm } from "./parse-terms.js";
import { isIdent, isNameToken, isPunct, type Token } from "./tokens.js";

const MEMBER_HELP = "a block contains declarations such as `roles = [\"reader\"];` and shorthand rules such as `\"read\" if \"reader\";`";
const SH_TERM_HELP = "shorthand rules refer to roles, permissions and relations by string, as in `\"read\" if \"reader\" on \"parent\";`";

/** The current token is `actor`, `resource` or `global`. */
export function parseBlock(p: Parser): Block {
  const kw = p.advance();
  const blockKind = kw.text as BlockKind;
  let name: Name | undefined;
  const ext: Name[] = [];
  if (blockKind !== "global") {
    name = parseName(p, `a type name after \`${kw.text}\``, `name the type, as in \`${kw.text} User {}\``);
    if (p.eatIdent("extends")) {
      for (;;) {
        ext.push(parseName(p, "a type name after `extends`"));
        if (!p.eatPunct(",") || p.atPunct("{")) break;
      }
    }
  }
  const headerSpan = p.span(kw.start, name?.span.end ?? kw.end);
  if (!p.atPunct("{")) {
    if (blockKind === "global") p.expected("`{` after `global`", "the global block has no name: write `global { ... }`");
    p.expected(ext.length > 0 ? "`,` or `{`" : "`extends` or `{`", `open the block body with \`{\`, as in \`${kw.text} ${name?.name ?? "T"} {}\``);
  }
  p.advance();
  const declarations: Declaration[] = [];
  const shorthand: ShorthandRule[] = [];
  while (!p.atPunct("}")) {
    if (p.atEof) p.expected("`}`", "close the block with `}`");
    const start = p.pos;
    try {
      const member = parseMember(p);
      if (member.kind === "declaration") declarations.push(member);
      else shorthand.push(member);
    } catch (e) {
      if (!isParseAbort(e)) throw e;
      p.recover(start, true);
    }
  }
  p.advance();
  const span = p.spanFrom(kw.start);
  return name === undefined
    ? { kind: "block", blockKind, extends: ext, declarations, shorthand, headerSpan, span }
    : { kind: "block", blockKind, name, extends: ext, declarations, shorthand, headerSpan, span };
}

/** `@name` flags; each Name's span covers the identifier after `@`. */
export function parseFlags(p: Parser): Name[] {
  const flags: Name[] = [];
  while (p.tok.kind === "flag") {
    const t = p.advance();
    flags.push({ name: t.value, span: p.span(t.start + 1, t.end) });
  }
  return flags;
}

function parseMember(p: Parser): Declaration | ShorthandRule {
  const t = p.tok;
  if (isNameToken(t) && isPunct(p.peek(1), "=")) return parseDeclaration(p);
  return parseShorthandRule(p);
}

function parseDeclaration(p: Parser): Declaration {
  const key = parseName(p, "a declaration name");
  p.expectPunct("=");
  const open = p.tok;
  let value: Declaration["value"];
  if (isPunct(open, "[")) {
    const items = parseBracketList(p, parseStringItem, "strings");
    value = { kind: "list", items, span: p.spanFrom(open.start) };
  } else if (isPunct(open, "{")) {
    const items = parseRelations(p);
    value = { kind: "dict", items, span: p.spanFrom(open.start) };
  } else {
    return p.expected("`[` or `{`", "a declaration's value is a list such as `[\"reader\"]` or a dictionary such as `{ parent: Org }`");
  }
  p.expectPunct(";", "end the declaration with `;`");
  return { kind: "declaration", key, value, span: p.spanFrom(key.span.start) };
}

function parseStringItem(p: Parser): StringItem {
  const t = p.tok;
  if (t.kind !== "string") p.expected("a string", "roles and permissions are strings, as in `[\"reader\", \"writer\"]`");
  p.advance();
  return { value: t.value, span: p.tokenSpan(t) };
}

/** `{` [name `:` Type {`,` name `:` Type} [`,`]] `}`; the current token is `{`. */
function parseRelations(p: Parser): RelationItem[] {
  p.advance();
  const items: RelationItem[] = [];
  while (!p.atPunct("}")) {
    const name = parseName(p, "a relation name", "write relations as `name: Type`, as in `{ parent: Org }`");
    p.expectPunct(":", "write relations as `name: Type`, as in `{ parent: Org }`");
    const type = parseName(p, "a type name", "write relations as `name: Type`, as in `{ parent: Org }`");
    items.push({ name, type, span: p.spanFrom(name.span.start) });
    if (p.atPunct("}")) break;
    if (!p.atPunct(",")) p.expected("`,` or `}`", "separate relations with `,` and close them with `}`");
    p.advance();
  }
  p.advance();
  return items;
}

function parseShorthandRule(p: Parser): ShorthandRule {
  const start = p.tok.start;
  const flags = parseFlags(p);
  const t = p.tok;
  let head: ShorthandTerm;
  if (t.kind === "string") head = stringTerm(p, p.advance());
  else if (isNameToken(t)) {
    p.advance();
    head = { kind: "var", name: t.text, span: p.tokenSpan(t) };
  } else {
    return p.expected(flags.length > 0 ? "a shorthand rule" : "a declaration or a shorthand rule", MEMBER_HELP);
  }
  if (!p.atIdent("if")) {
    if (head.kind === "var" && isPunct(p.tok, "(")) {
      p.fail("E_SYNTAX", "unexpected `(`", "full rules cannot appear inside a block; write them outside it", p.tokenSpan(p.tok));
    }
    p.expected(head.kind === "var" && flags.length === 0 ? `\`=\` or \`if\` after \`${t.text}\`` : "`if`", MEMBER_HELP);
  }
  p.advance();
  const body = parseShOr(p).expr;
  if (!p.atPunct(";")) p.expected("`and`, `or` or `;`", "end the shorthand rule with `;`");
  p.advance();
  return { kind: "shorthand", flags, head, body, span: p.spanFrom(start) };
}

interface Located {
  readonly expr: ShorthandExpr;
  readonly start: number;
  readonly end: number;
}

function parseShOr(p: Parser): Located {
  return parseShNary(p, "or", parseShAnd);
}

function parseShAnd(p: Parser): Located {
  return parseShNary(p, "and", parseShAtom);
}

function parseShNary(p: Parser, op: "and" | "or", operand: (p: Parser) => Located): Located {
  const first = operand(p);
  if (!p.atIdent(op)) return first;
  const items: Located[] = [first];
  while (p.eatIdent(op)) items.push(operand(p));
  const last = items[items.length - 1] ?? first;
  const kind = op === "and" ? "sh_and" : "sh_or";
  return { expr: { kind, items: items.map((i) => i.expr), span: p.span(first.start, last.end) }, start: first.start, end: last.end };
}

function located(expr: ShorthandExpr): Located {
  return { expr, start: expr.span.start, end: expr.span.end };
}

/** Can `t` start a shorthand term (a string or a variable other than `on`/`and`/`or`)? */
function startsShTerm(t: Token): boolean {
  return t.kind === "string" || (isNameToken(t) && t.text !== "on");
}

function parseShAtom(p: Parser): Located {
  const t = p.tok;
  if (isPunct(t, "(")) {
    if (++p.nesting > MAX_NESTING) p.fail("E_SYNTAX", "too many nested `(`", `nest at most ${MAX_NESTING} levels deep`, p.tokenSpan(t));
    p.advance();
    const inner = parseShOr(p);
    p.expectPunct(")", "close the parenthesis opened before");
    p.nesting--;
    return { expr: inner.expr, start: t.start, end: p.prevEnd };
  }
  if (isIdent(t, "not")) {
    p.fail("E_SYNTAX", "unexpected `not`", "shorthand rules cannot use `not`; write a full rule outside the block", p.tokenSpan(t));
  }
  if (isNameToken(t) && isPunct(p.peek(1), "(")) {
    const call = parseCall(p);
    return located({ kind: "sh_call", call, span: call.span });
  }
  if (isIdent(t, "global") && startsShTerm(p.peek(1))) {
    p.advance();
    const term = parseShTerm(p);
    return located({ kind: "sh_global", term, span: p.spanFrom(t.start) });
  }
  const term = parseShTerm(p);
  if (p.eatIdent("on")) {
    const relation = parseShTerm(p);
    return located({ kind: "sh_on", term, relation, span: p.spanFrom(t.start) });
  }
  const kw = p.tok;
  if (kw.kind === "ident" && kw.text !== "and" && kw.text !== "or") {
    p.fail("E_RELATION_KEYWORD", `unexpected relation keyword \`${kw.text}\``, "did you mean `on`?", p.tokenSpan(kw));
  }
  return located({ kind: "sh_term", term, span: term.span });
}

function parseShTerm(p: Parser): ShorthandTerm {
  const t = p.tok;
  if (t.kind === "string") return stringTerm(p, p.advance());
  if (isNameToken(t)) {
    p.failSpecial(t);
    p.advance();
    return { kind: "var", name: t.text, span: p.tokenSpan(t) };
  }
  return p.expected("a string or a variable", SH_TERM_HELP);
}
