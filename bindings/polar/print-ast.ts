/**
 * A stable, readable text dump of the AST, for golden tests and debugging. One node per
 * line, children indented by two spaces; every node shows its span as `@line:col-line:col`
 * (end exclusive). Labels such as `head:` say which field a child fills.
 */
import type { Span } from "../api/span.js";
import type {
  Assertion,
  Block,
  Declaration,
  Expr,
  FactItem,
  FixtureRef,
  Item,
  Name,
  Param,
  Policy,
  PolicyFile,
  ShorthandExpr,
  ShorthandRule,
  Term,
} from "./ast.js";
import { SourceMap } from "./tokens.js";

export function printAst(node: Policy | PolicyFile): string {
  const out: string[] = [];
  if ("files" in node) {
    out.push("policy");
    for (const file of node.files) printFile(out, file, 1);
  } else {
    printFile(out, node, 0);
  }
  return `${out.join("\n")}\n`;
}

type Line = (depth: number, text: string, span?: Span) => void;

function printFile(out: string[], file: PolicyFile, base: number): void {
  const map = new SourceMap(file.filename, file.src);
  const pos = (span: Span): string => {
    const end = map.position(span.end);
    return `@${span.line}:${span.column}-${end.line}:${end.column}`;
  };
  const line: Line = (depth, text, span) => {
    out.push(`${"  ".repeat(base + depth)}${text}${span === undefined ? "" : ` ${pos(span)}`}`);
  };
  line(0, `file ${JSON.stringify(file.filename)}`);
  for (const item of file.items) printItem(line, item, 1);
}

function name(line: Line, d: number, label: string, n: Name): void {
  line(d, `${label} ${n.name}`, n.span);
}

function printItem(line: Line, item: Item, d: number): void {
  switch (item.kind) {
    case "rule":
      line(d, "rule", item.span);
      for (const f of item.flags) name(line, d + 1, "flag", f);
      name(line, d + 1, "name", item.name);
      printParams(line, item.params, d + 1);
      if (item.body !== undefined) {
        line(d + 1, "body");
        printExpr(line, item.body, d + 2);
      }
      return;
    case "rule_type":
      line(d, "rule_type", item.span);
      name(line, d + 1, "name", item.name);
      printParams(line, item.params, d + 1);
      return;
    case "declare":
      line(d, "declare", item.span);
      name(line, d + 1, "name", item.name);
      line(d + 1, "types");
      for (const t of item.types) name(line, d + 2, "type", t);
      return;
    case "inline_query":
      line(d, "inline_query", item.span);
      printExpr(line, item.body, d + 1);
      return;
    case "block":
      printBlock(line, item, d);
      return;
    case "test_fixture":
      line(d, "test_fixture", item.span);
      name(line, d + 1, "name", item.name);
      for (const f of item.facts) printSetupItem(line, f, d + 1);
      return;
    case "test":
      line(d, "test", item.span);
      printTerm(line, item.name, d + 1, "name: ");
      if (item.setupSpan !== undefined || item.setup.length > 0) {
        line(d + 1, "setup", item.setupSpan);
        for (const s of item.setup) printSetupItem(line, s, d + 2);
      }
      for (const a of item.assertions) printAssertion(line, a, d + 1);
      return;
  }
}

function printParams(line: Line, params: readonly Param[], d: number): void {
  line(d, "params");
  for (const p of params) {
    line(d + 1, "param", p.span);
    printTerm(line, p.term, d + 2);
    if (p.type !== undefined) name(line, d + 2, "type", p.type);
  }
}

function printTerm(line: Line, t: Term, d: number, label = ""): void {
  switch (t.kind) {
    case "var":
      line(d, `${label}var ${t.name}`, t.span);
      return;
    case "string":
      line(d, `${label}string ${JSON.stringify(t.value)}`, t.span);
      return;
    case "integer":
      line(d, `${label}integer ${t.value.toString()}`, t.span);
      return;
    case "boolean":
      line(d, `${label}boolean ${String(t.value)}`, t.span);
      return;
    case "now":
      line(d, `${label}now`, t.span);
      return;
    case "object":
      line(d, `${label}object`, t.span);
      name(line, d + 1, "type", t.type);
      printTerm(line, t.value, d + 1);
      return;
  }
}

function printExpr(line: Line, e: Expr, d: number): void {
  switch (e.kind) {
    case "call":
      line(d, "call", e.span);
      name(line, d + 1, "name", e.name);
      for (const a of e.args) printTerm(line, a, d + 1, "arg: ");
      return;
    case "cmp":
      line(d, `cmp ${e.op}`, e.span);
      printTerm(line, e.left, d + 1);
      printTerm(line, e.right, d + 1);
      return;
    case "in":
      line(d, "in", e.span);
      printTerm(line, e.term, d + 1);
      line(d + 1, "list");
      for (const t of e.list) printTerm(line, t, d + 2);
      return;
    case "matches":
      line(d, "matches", e.span);
      printTerm(line, e.term, d + 1);
      name(line, d + 1, "type", e.type);
      return;
    case "bool":
      line(d, `bool ${String(e.value)}`, e.span);
      return;
    case "not":
      line(d, "not", e.span);
      printExpr(line, e.body, d + 1);
      return;
    case "and":
    case "or":
      line(d, e.kind, e.span);
      for (const i of e.items) printExpr(line, i, d + 1);
      return;
  }
}

function printBlock(line: Line, b: Block, d: number): void {
  line(d, `block ${b.blockKind}`, b.span);
  line(d + 1, "header", b.headerSpan);
  if (b.name !== undefined) name(line, d + 1, "name", b.name);
  for (const e of b.extends) name(line, d + 1, "extends", e);
  for (const decl of b.declarations) printDeclaration(line, decl, d + 1);
  for (const sh of b.shorthand) printShorthandRule(line, sh, d + 1);
}

function printDeclaration(line: Line, decl: Declaration, d: number): void {
  line(d, "declaration", decl.span);
  name(line, d + 1, "key", decl.key);
  const v = decl.value;
  line(d + 1, v.kind, v.span);
  if (v.kind === "list") {
    for (const s of v.items) line(d + 2, `item ${JSON.stringify(s.value)}`, s.span);
  } else {
    for (const r of v.items) {
      line(d + 2, "relation", r.span);
      name(line, d + 3, "name", r.name);
      name(line, d + 3, "type", r.type);
    }
  }
}

function printShorthandRule(line: Line, sh: ShorthandRule, d: number): void {
  line(d, "shorthand", sh.span);
  for (const f of sh.flags) name(line, d + 1, "flag", f);
  printTerm(line, sh.head, d + 1, "head: ");
  printShorthand(line, sh.body, d + 1);
}

function printShorthand(line: Line, e: ShorthandExpr, d: number): void {
  switch (e.kind) {
    case "sh_term":
      line(d, "sh_term", e.span);
      printTerm(line, e.term, d + 1);
      return;
    case "sh_on":
      line(d, "sh_on", e.span);
      printTerm(line, e.term, d + 1);
      printTerm(line, e.relation, d + 1, "on: ");
      return;
    case "sh_global":
      line(d, "sh_global", e.span);
      printTerm(line, e.term, d + 1);
      return;
    case "sh_call":
      line(d, "sh_call", e.span);
      printExpr(line, e.call, d + 1);
      return;
    case "sh_and":
    case "sh_or":
      line(d, e.kind, e.span);
      for (const i of e.items) printShorthand(line, i, d + 1);
      return;
  }
}

function printSetupItem(line: Line, s: FactItem | FixtureRef, d: number): void {
  if (s.kind === "fixture_ref") {
    line(d, "fixture_ref", s.span);
    name(line, d + 1, "name", s.name);
    return;
  }
  line(d, "fact", s.span);
  name(line, d + 1, "name", s.name);
  for (const a of s.args) printTerm(line, a, d + 1, "arg: ");
}

function printAssertion(line: Line, a: Assertion, d: number): void {
  line(d, a.kind, a.span);
  name(line, d + 1, "name", a.name);
  printParams(line, a.params, d + 1);
  if (a.iff !== undefined) {
    line(d + 1, "iff");
    printExpr(line, a.iff, d + 2);
  }
}
