import { describe, expect, it } from "vitest";
import type {
  Block,
  Expr,
  InlineQuery,
  Item,
  Rule,
  ShorthandRule,
  TestBlock,
  TestFixture,
} from "../../bindings/polar/ast.js";
import { parseFile, parsePolicy } from "../../bindings/polar/parser.js";
import { printAst } from "../../bindings/polar/print-ast.js";

function items(src: string): readonly Item[] {
  const { file, diagnostics } = parseFile(src, "t.polar");
  expect(diagnostics).toEqual([]);
  return file.items;
}

function one<T extends Item>(src: string): T {
  const all = items(src);
  expect(all).toHaveLength(1);
  return all[0] as T;
}

function body(src: string): Expr {
  const rule = one<Rule>(`r() if ${src};`);
  if (rule.body === undefined) throw new Error("no body");
  return rule.body;
}

/** A compact rendering of an expression's structure, for precedence tests. */
function shape(e: Expr): string {
  switch (e.kind) {
    case "and":
    case "or":
      return `${e.kind}(${e.items.map(shape).join(", ")})`;
    case "not":
      return `not(${shape(e.body)})`;
    case "call":
      return e.name.name;
    case "bool":
      return String(e.value);
    case "cmp":
      return `cmp${e.op}`;
    default:
      return e.kind;
  }
}

function text(src: string, span: { start: number; end: number }): string {
  return src.slice(span.start, span.end);
}

describe("parser: rules and terms", () => {
  it("parses a rule with specializers, literals and a body", () => {
    const src = 'has_permission(actor: Actor, "read", r: Repo) if has_role(actor, "reader", r);';
    const rule = one<Rule>(src);
    expect(rule.kind).toBe("rule");
    expect(rule.flags).toEqual([]);
    expect(rule.name).toEqual({ name: "has_permission", span: { file: "t.polar", start: 0, end: 14, line: 1, column: 1 } });
    expect(rule.params.map((p) => [p.term.kind, p.type?.name, text(src, p.span)])).toEqual([
      ["var", "Actor", "actor: Actor"],
      ["string", undefined, '"read"'],
      ["var", "Repo", "r: Repo"],
    ]);
    expect(rule.span).toMatchObject({ start: 0, end: src.length });
    expect(rule.body?.kind).toBe("call");
  });

  it("parses a bodiless rule (a policy fact) and zero parameters", () => {
    const fact = one<Rule>('has_role(User{"alice"}, "member", Org{"acme"});');
    expect(fact.body).toBeUndefined();
    expect("body" in fact).toBe(false); // exactOptionalPropertyTypes: absent, not undefined
    const zero = one<Rule>("f() if true;");
    expect(zero.params).toEqual([]);
    expect(zero.body).toMatchObject({ kind: "bool", value: true });
  });

  it("parses every term form", () => {
    const src = 'f(x, _, "s", 42, -7, true, false, User{"a"}, Integer{-1}, Boolean{true}, String{"x"}, @current_unix_time);';
    const rule = one<Rule>(src);
    const terms = rule.params.map((p) => p.term);
    expect(terms.map((t) => t.kind)).toEqual([
      "var", "var", "string", "integer", "integer", "boolean", "boolean", "object", "object", "object", "object", "now",
    ]);
    expect(terms[1]).toMatchObject({ kind: "var", name: "_" });
    expect(terms[3]).toMatchObject({ value: 42n });
    expect(terms[4]).toMatchObject({ value: -7n });
    expect(text(src, terms[4]!.span)).toBe("-7");
    expect(terms[7]).toMatchObject({ type: { name: "User" }, value: { kind: "string", value: "a" } });
    expect(text(src, terms[7]!.span)).toBe('User{"a"}');
    expect(terms[8]).toMatchObject({ type: { name: "Integer" }, value: { kind: "integer", value: -1n } });
    expect(text(src, terms[11]!.span)).toBe("@current_unix_time");
  });

  it("keeps the full i64 range as bigint", () => {
    const r = body("x in [9223372036854775807, -9223372036854775808]");
    expect(r).toMatchObject({ kind: "in", list: [{ value: 9223372036854775807n }, { value: -9223372036854775808n }] });
  });

  it("parses `_: T` and typed variables in heads", () => {
    const rule = one<Rule>('f(_: User, "read", _: Org);');
    expect(rule.params.map((p) => [p.term.kind === "var" ? p.term.name : "?", p.type?.name])).toEqual([
      ["_", "User"], ["?", undefined], ["_", "Org"],
    ]);
  });

  it("treats contextual keywords as ordinary names outside their positions", () => {
    const rule = one<Rule>("allow(actor, resource, global, on, test) if resource(actor) and type(declare, setup, fixture, iff);");
    expect(rule.params.map((p) => (p.term.kind === "var" ? p.term.name : ""))).toEqual(["actor", "resource", "global", "on", "test"]);
    expect(rule.body).toMatchObject({ kind: "and", items: [{ name: { name: "resource" } }, { name: { name: "type" } }] });
  });

  it("records `@flags` before a rule with spans on the identifier", () => {
    const src = "@internal @b\nf(x) if g(x);";
    const rule = one<Rule>(src);
    expect(rule.flags.map((f) => [f.name, text(src, f.span)])).toEqual([["internal", "internal"], ["b", "b"]]);
    expect(rule.span.start).toBe(0);
  });
});

describe("parser: body expressions and precedence", () => {
  it("parses comparisons with every operator", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) {
      expect(body(`x ${op} 1`)).toMatchObject({ kind: "cmp", op, left: { kind: "var", name: "x" }, right: { value: 1n } });
    }
    expect(body("x > -3")).toMatchObject({ kind: "cmp", op: ">", right: { kind: "integer", value: -3n } });
  });

  it("parses `in` with a list literal (trailing comma allowed) and `matches`", () => {
    expect(body('x in ["a", "b",]')).toMatchObject({ kind: "in", term: { name: "x" }, list: [{ value: "a" }, { value: "b" }] });
    expect(body("x in []")).toMatchObject({ kind: "in", list: [] });
    expect(body("x matches Foo::Bar")).toMatchObject({ kind: "matches", term: { name: "x" }, type: { name: "Foo::Bar" } });
  });

  it("parses `true`/`false` goals as BoolExpr but `true = x` as a comparison", () => {
    expect(body("false")).toMatchObject({ kind: "bool", value: false });
    expect(body("true = x")).toMatchObject({ kind: "cmp", left: { kind: "boolean", value: true } });
  });

  it("binds `not` tighter than `and`, and `and` tighter than `or`", () => {
    expect(shape(body("not a() and b()"))).toBe("and(not(a), b)");
    expect(shape(body("a() or b() and c()"))).toBe("or(a, and(b, c))");
    expect(shape(body("a() and b() or c() and d()"))).toBe("or(and(a, b), and(c, d))");
    expect(shape(body("not not a()"))).toBe("not(not(a))");
    expect(shape(body("not x = 1"))).toBe("not(cmp=)");
  });

  it("flattens and/or chains into one n-ary node", () => {
    expect(shape(body("a() and b() and c()"))).toBe("and(a, b, c)");
    expect(shape(body("a() or b() or c() or d()"))).toBe("or(a, b, c, d)");
  });

  it("keeps parenthesised grouping without a node of its own", () => {
    expect(shape(body("(a() or b()) and c()"))).toBe("and(or(a, b), c)");
    expect(shape(body("a() and (b() and c())"))).toBe("and(a, and(b, c))");
    expect(shape(body("not (a() or b())"))).toBe("not(or(a, b))");
    expect(shape(body("((a()))"))).toBe("a");
  });

  it("gives n-ary and `not` nodes spans that include parentheses", () => {
    const src = "r() if (a() or b()) and not (c());";
    const e = one<Rule>(src).body;
    expect(e?.kind).toBe("and");
    if (e?.kind !== "and") return;
    expect(text(src, e.span)).toBe("(a() or b()) and not (c())");
    expect(text(src, e.items[0]!.span)).toBe("a() or b()");
    expect(text(src, e.items[1]!.span)).toBe("not (c())");
  });
});

describe("parser: blocks", () => {
  const src = [
    "resource Repo extends Base, Other, {",
    '  roles = ["reader", "writer",];',
    "  relations = { parent: Org, creator: User, };",
    '  "read" if "reader";',
    '  "reader" if "member" on "parent";',
    '  "write" if global "admin";',
    '  role if role on "parent";',
    '  "read" if is_public(resource) or ("writer" and has(actor, resource));',
    '  @f "x" if "y";',
    "}",
  ].join("\n");

  it("parses the header, extends list and declarations", () => {
    const b = one<Block>(src);
    expect(b).toMatchObject({ kind: "block", blockKind: "resource", name: { name: "Repo" } });
    expect(b.extends.map((n) => n.name)).toEqual(["Base", "Other"]);
    expect(text(src, b.headerSpan)).toBe("resource Repo");
    expect(b.span).toMatchObject({ start: 0, end: src.length });
    expect(b.declarations.map((d) => [d.key.name, d.value.kind, d.value.items.length])).toEqual([
      ["roles", "list", 2],
      ["relations", "dict", 2],
    ]);
    const rel = b.declarations[1]!.value;
    expect(rel.kind === "dict" && rel.items.map((i) => [i.name.name, i.type.name])).toEqual([["parent", "Org"], ["creator", "User"]]);
    expect(text(src, b.declarations[0]!.span)).toBe('roles = ["reader", "writer",];');
  });

  it("parses every shorthand form", () => {
    const sh: readonly ShorthandRule[] = one<Block>(src).shorthand;
    expect(sh.map((s) => [s.head.kind, s.body.kind])).toEqual([
      ["string", "sh_term"], ["string", "sh_on"], ["string", "sh_global"], ["var", "sh_on"], ["string", "sh_or"], ["string", "sh_term"],
    ]);
    expect(sh[1]!.body).toMatchObject({ term: { value: "member" }, relation: { value: "parent" } });
    expect(sh[3]!.body).toMatchObject({ term: { kind: "var", name: "role" }, relation: { kind: "string", value: "parent" } });
    expect(sh[4]!.body).toMatchObject({
      kind: "sh_or",
      items: [{ kind: "sh_call", call: { name: { name: "is_public" }, args: [{ kind: "var", name: "resource" }] } }, { kind: "sh_and" }],
    });
    expect(sh[5]!.flags.map((f) => f.name)).toEqual(["f"]);
    expect(text(src, sh[5]!.span)).toBe('@f "x" if "y";');
  });

  it("parses actor and global blocks (no name) and records odd declarations as written", () => {
    const all = items('actor User {}\nglobal { roles = ["admin"]; }\nresource X { relations = ["a"]; roles = { r: T }; }');
    const [actor, global, odd] = all as Block[];
    expect(actor).toMatchObject({ blockKind: "actor", name: { name: "User" }, declarations: [], shorthand: [] });
    expect(global?.blockKind).toBe("global");
    expect(global !== undefined && "name" in global).toBe(false);
    expect(text('actor User {}\nglobal { roles = ["admin"]; }', global!.headerSpan)).toBe("global");
    expect(odd?.declarations.map((d) => [d.key.name, d.value.kind])).toEqual([["relations", "list"], ["roles", "dict"]]);
  });
});

describe("parser: other items", () => {
  it("parses declare, rule types and inline queries", () => {
    const [d, t, q] = items("declare has_tag(User, Tag);\ntype f(x: Integer, _);\n?= f(1) and not g();");
    expect(d).toMatchObject({ kind: "declare", name: { name: "has_tag" }, types: [{ name: "User" }, { name: "Tag" }] });
    expect(t).toMatchObject({ kind: "rule_type", name: { name: "f" }, params: [{ type: { name: "Integer" } }, {}] });
    expect(q?.kind).toBe("inline_query");
    expect(shape((q as InlineQuery).body)).toBe("and(f, not(g))");
  });

  it("parses test fixtures and test blocks", () => {
    const src = [
      'test fixture base { has_role(User{"a"}, "r", Org{"o"}); }',
      'test "works" {',
      '  setup { fixture base; is_public(Repo{"x"}); }',
      '  assert allow(User{"a"}, "read", Org{"o"});',
      '  assert has_permission(User{"a"}, action: String, Org{"o"}) iff action in ["read"];',
      "  assert_not allow(_, _, _);",
      "}",
    ].join("\n");
    const [fixture, test] = items(src) as [TestFixture, TestBlock];
    expect(fixture).toMatchObject({ kind: "test_fixture", name: { name: "base" }, facts: [{ kind: "fact", name: { name: "has_role" } }] });
    expect(fixture.facts[0]!.args).toHaveLength(3);
    expect(test.name).toMatchObject({ kind: "string", value: "works" });
    expect(test.setup.map((s) => s.kind)).toEqual(["fixture_ref", "fact"]);
    expect(text(src, test.setupSpan!)).toBe('setup { fixture base; is_public(Repo{"x"}); }');
    expect(test.assertions.map((a) => [a.kind, a.name.name, a.iff?.kind])).toEqual([
      ["assert", "allow", undefined], ["assert", "has_permission", "in"], ["assert_not", "allow", undefined],
    ]);
    expect(test.assertions[1]!.params[1]).toMatchObject({ term: { name: "action" }, type: { name: "String" } });
  });

  it("omits setupSpan when a test has no setup block", () => {
    const t = one<TestBlock>('test "x" { assert f(); }');
    expect("setupSpan" in t).toBe(false);
    expect(t.setup).toEqual([]);
  });
});

describe("parser: files and policies", () => {
  it("parses an empty or comment-only file to no items and no diagnostics", () => {
    expect(parseFile("", "e.polar")).toEqual({ file: { filename: "e.polar", src: "", items: [] }, diagnostics: [] });
    expect(parseFile("# nothing\n\n", "e.polar").file.items).toEqual([]);
  });

  it("parsePolicy parses each file with its own filename in spans and collects all diagnostics", () => {
    const { policy, diagnostics } = parsePolicy([
      { filename: "a.polar", src: "actor User {}" },
      { filename: "b.polar", src: "f(x) if x == 1;\ng(y);" },
    ]);
    expect(policy.files.map((f) => [f.filename, f.items.length])).toEqual([["a.polar", 1], ["b.polar", 1]]);
    expect(policy.files[1]!.items[0]!.span.file).toBe("b.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.file])).toEqual([["E_UNSUPPORTED_OPERATOR", "b.polar"]]);
  });

  it("leaves failed items out but keeps the good ones in order", () => {
    const { file, diagnostics } = parseFile("a();\nb( ;\nc();", "t.polar");
    expect(file.items.map((i) => (i.kind === "rule" ? i.name.name : i.kind))).toEqual(["a", "c"]);
    expect(diagnostics).toHaveLength(1);
  });

  it("keeps a block whose member failed, without that member", () => {
    const { file, diagnostics } = parseFile('resource R { roles = ["a"]; "x" if "y" in "z"; "b" if "a"; }', "t.polar");
    const b = file.items[0] as Block;
    expect(b.declarations).toHaveLength(1);
    expect(b.shorthand.map((s) => (s.head.kind === "string" ? s.head.value : ""))).toEqual(["b"]);
    expect(diagnostics.map((d) => d.code)).toEqual(["E_RELATION_KEYWORD"]);
  });

  it("printAst prints a file or a policy deterministically, with positions", () => {
    const { file } = parseFile('f(x) if x = "a";', "p.polar");
    const dump = printAst(file);
    expect(dump).toBe(
      [
        'file "p.polar"',
        "  rule @1:1-1:17",
        "    name f @1:1-1:2",
        "    params",
        "      param @1:3-1:4",
        "        var x @1:3-1:4",
        "    body",
        "      cmp = @1:9-1:16",
        "        var x @1:9-1:10",
        '        string "a" @1:13-1:16',
        "",
      ].join("\n"),
    );
    expect(printAst({ files: [file] })).toBe(`policy\n${dump.split("\n").map((l) => (l === "" ? l : `  ${l}`)).join("\n")}`);
  });
});
