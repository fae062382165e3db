/**
 * The Polar parser (Oso Cloud dialect, polar-spec.md §2): top-level items and the entry points.
 * Parsing never throws. Syntax errors become diagnostics; the parser skips to the next `;` or
 * closing `}` and goes on, so one run reports several errors. Items that fail are left out.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import type { Declare, InlineQuery, Item, Policy, PolicyFile, Rule, RuleType, SourceFile } from "./ast.js";
import { lex } from "./lexer.js";
import { parseBlock, parseFlags } from "./parse-blocks.js";
import { parseBody } from "./parse-body.js";
import { isParseAbort, Parser } from "./parse-core.js";
import { parseName, parseParams, parseTypeList } from "./parse-terms.js";
import { parseTestItem } from "./parse-tests.js";
import { HARD_KEYWORDS, isIdent, isNameToken, isPunct, SourceMap, type Token } from "./tokens.js";

const ITEM_HELP = "a policy contains rules, `actor`/`resource`/`global` blocks, `declare` statements and tests";
const BLOCK_KEYWORDS = ["actor", "resource", "global"] as const;

export function parseFile(src: string, filename: string): { file: PolicyFile; diagnostics: Diagnostic[] } {
  const map = new SourceMap(filename, src);
  const lexed = lex(src, filename, map);
  const p = new Parser(lexed.tokens, map);
  const items: Item[] = [];
  try {
    while (!p.atEof) {
      const start = p.pos;
      p.nesting = 0;
      try {
        items.push(parseItem(p));
      } catch (e) {
        if (!isParseAbort(e)) throw e;
        p.recover(start, false);
      }
    }
  } catch (e) {
    // A bug in the parser: report it rather than throw (the contract is "never throws").
    const message = e instanceof Error ? e.message : String(e);
    p.diagnostics.push(diagnostic("E_INTERNAL", `internal parser error: \`${message}\``, "please report this policy as a bug", map.span(0, 0)));
  }
  const diagnostics = [...lexed.diagnostics, ...p.diagnostics]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start ?? 0) - (b.d.span?.start ?? 0) || a.i - b.i)
    .map(({ d }) => d);
  return { file: { filename, src, items }, diagnostics };
}

export function parsePolicy(sources: readonly SourceFile[]): { policy: Policy; diagnostics: Diagnostic[] } {
  const files: PolicyFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const result = parseFile(source.src, source.filename);
    files.push(result.file);
    diagnostics.push(...result.diagnostics);
  }
  return { policy: { files }, diagnostics };
}

function parseItem(p: Parser): Item {
  const t = p.tok;
  const next = p.peek(1);
  if (t.kind === "flag") return parseRule(p);
  if (isPunct(t, "?=")) return parseInlineQuery(p);
  if (t.kind === "string") {
    p.fail("E_SYNTAX", `unexpected \`${t.text}\``, "shorthand rules must be written inside an `actor`, `resource` or `global` block", p.tokenSpan(t));
  }
  if (t.kind !== "ident" || HARD_KEYWORDS.has(t.text)) return p.unexpected(ITEM_HELP);
  if (isPunct(next, "(")) return parseRule(p);
  switch (t.text) {
    case "actor":
    case "resource":
    case "global":
      return parseBlock(p);
    case "test":
      return parseTestItem(p);
    case "declare":
      return parseDeclare(p);
    case "type":
      return parseRuleType(p);
    default:
      break;
  }
  if (isPunct(next, "{") || (isNameToken(next) && (isPunct(p.peek(2), "{") || isIdent(p.peek(2), "extends")))) {
    blockKeywordError(p, t, next);
  }
  p.advance();
  return p.expected(`\`(\` after \`${t.text}\``, "a rule starts with its name and parameters, as in `has_role(user: User, \"admin\")`");
}

/** `thing Foo {` or `Foo {`: a block with an unknown or missing keyword. */
function blockKeywordError(p: Parser, t: Token, next: Token): never {
  const expected = "expected `actor`, `resource` or `global`";
  if (isPunct(next, "{")) {
    p.fail("E_BLOCK_KEYWORD", `${expected} before \`${t.text}\``, `start the block with a keyword, as in \`resource ${t.text} {}\``, p.tokenSpan(t));
  }
  const close = BLOCK_KEYWORDS.find((k) => editDistance(k, t.text) <= 2);
  const help = close !== undefined ? `did you mean \`${close}\`?` : "blocks start with `actor`, `resource` or `global`";
  return p.fail("E_BLOCK_KEYWORD", `${expected}, found \`${t.text}\``, help, p.tokenSpan(t));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** `[@flag...] name(params) [if body];` */
function parseRule(p: Parser): Rule {
  const start = p.tok.start;
  const flags = parseFlags(p);
  if (!(isNameToken(p.tok) && isPunct(p.peek(1), "("))) {
    p.expected(flags.length > 0 ? "a rule after the flags" : "a rule", "a rule starts with its name and parameters, as in `has_role(user: User, \"admin\")`");
  }
  const name = parseName(p, "a rule name");
  const params = parseParams(p);
  if (p.eatIdent("if")) {
    const body = parseBody(p);
    p.expectPunct(";", "end the rule with `;`, or join goals with `and` or `or`");
    return { kind: "rule", flags, name, params, body, span: p.spanFrom(start) };
  }
  if (!p.atPunct(";")) p.expected("`if` or `;`", "end the rule with `;`, or give it a body with `if`");
  p.advance();
  return { kind: "rule", flags, name, params, span: p.spanFrom(start) };
}

/** `type name(params);` */
function parseRuleType(p: Parser): RuleType {
  const kw = p.advance();
  const name = parseName(p, "a rule name after `type`", "write a rule type as `type f(x: Integer);`");
  const params = parseParams(p);
  p.expectPunct(";", "end the rule type with `;`");
  return { kind: "rule_type", name, params, span: p.spanFrom(kw.start) };
}

/** `declare name(T1, T2);` */
function parseDeclare(p: Parser): Declare {
  const kw = p.advance();
  const name = parseName(p, "a fact name after `declare`", "write a declaration as `declare has_tag(User, Tag);`");
  if (!p.atPunct("(")) p.expected("`(`", "write a declaration as `declare has_tag(User, Tag);`");
  const types = parseTypeList(p);
  p.expectPunct(";", "end the declaration with `;`");
  return { kind: "declare", name, types, span: p.spanFrom(kw.start) };
}

/** `?= body;` */
function parseInlineQuery(p: Parser): InlineQuery {
  const kw = p.advance();
  const body = parseBody(p);
  p.expectPunct(";", "end the inline query with `;`");
  return { kind: "inline_query", body, span: p.spanFrom(kw.start) };
}
