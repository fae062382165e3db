import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../bindings/api/errors.js";
import { parseFile } from "../../bindings/polar/parser.js";

interface Found {
  code: string;
  line: number | undefined;
  column: number | undefined;
  message: string;
}

function errors(src: string): Found[] {
  return parseFile(src, "e.polar").diagnostics.map((d) => ({
    code: d.code,
    line: d.span?.line,
    column: d.span?.column,
    message: d.message,
  }));
}

function first(src: string): Diagnostic {
  const { diagnostics } = parseFile(src, "e.polar");
  expect(diagnostics.length).toBeGreaterThan(0);
  return diagnostics[0] as Diagnostic;
}

/** The one diagnostic `src` produces, as [code, line, column, message]. */
function single(src: string): [string, number | undefined, number | undefined, string] {
  const found = errors(src);
  expect(found).toHaveLength(1);
  const d = found[0] as Found;
  return [d.code, d.line, d.column, d.message];
}

describe("parser errors: E_SYNTAX", () => {
  it("names the unexpected token and what was expected", () => {
    expect(single("f(x, ;")).toEqual(["E_SYNTAX", 1, 6, "expected a term, found `;`"]);
    expect(single("f(x y);")).toEqual(["E_SYNTAX", 1, 5, "expected `,` or `)`, found `y`"]);
    expect(single("f(x) if g(x) h(x);")).toEqual(["E_SYNTAX", 1, 14, "expected `;`, found `h`"]);
    expect(single("}")).toEqual(["E_SYNTAX", 1, 1, "unexpected `}`"]);
    expect(single("f(x) if x;")).toEqual(["E_SYNTAX", 1, 10, "expected an operator after `x`, found `;`"]);
    expect(single("f(x) if x in y;")).toEqual(["E_SYNTAX", 1, 14, "expected a list `[...]` after `in`, found `y`"]);
    expect(single('f("a": T);')).toEqual(["E_SYNTAX", 1, 6, "unexpected `:`"]);
  });

  it("rejects shorthand rules outside blocks and full rules inside them", () => {
    expect(single('"read" if "reader";')).toEqual(["E_SYNTAX", 1, 1, 'unexpected `"read"`']);
    expect(single("resource R {\n  f(x) if g(x);\n}")).toEqual(["E_SYNTAX", 2, 4, "unexpected `(`"]);
    expect(single('resource R { "a" if not "b"; }')).toEqual(["E_SYNTAX", 1, 21, "unexpected `not`"]);
  });

  it("rejects OSS object patterns and `x not in`", () => {
    expect(single('f(x) if x = User{name: "a"};')).toEqual(["E_SYNTAX", 1, 18, "expected a string, an integer or a boolean, found `name`"]);
    const d = first("f(x) if x not in [1];");
    expect([d.code, d.message, d.help]).toEqual(["E_SYNTAX", "unexpected `not`", "negate membership as `not x in [...]`"]);
  });

  it("reports a global block with a name and a reserved word used as a name", () => {
    expect(single("global G {}")).toEqual(["E_SYNTAX", 1, 8, "expected `{` after `global`, found `G`"]);
    expect(single("actor if {}")).toEqual(["E_SYNTAX", 1, 7, "expected a type name after `actor`, found keyword `if`"]);
  });

  it("rejects a second setup block and setup after assertions", () => {
    expect(single('test "t" {\n  assert f();\n  setup { }\n}')).toEqual(["E_SYNTAX", 3, 3, "unexpected `setup`"]);
  });

  it("bounds nesting depth instead of overflowing the stack", () => {
    const deep = `f() if ${"(".repeat(5000)}x = 1${")".repeat(5000)};`;
    expect(single(deep)).toEqual(["E_SYNTAX", 1, 208, "too many nested `(`"]);
    const nots = `f() if ${"not ".repeat(5000)}x = 1;`;
    expect(errors(nots).map((e) => e.message)).toEqual(["too many nested `not`"]);
  });
});

describe("parser errors: E_UNEXPECTED_EOF", () => {
  it("reports the end of file once, at the end, with the standard help", () => {
    const src = "f(x) if g(x)";
    const d = first(src);
    expect([d.code, d.span?.line, d.span?.column, d.message, d.help]).toEqual([
      "E_UNEXPECTED_EOF", 1, 13, "unexpected end of file, expected `;`", "did you forget a `;` or a closing `}`?",
    ]);
    expect(d.span).toMatchObject({ start: src.length, end: src.length });
    expect(single('resource R {\n  "a" if "b"')).toEqual(["E_UNEXPECTED_EOF", 2, 13, "unexpected end of file, expected `and`, `or` or `;`"]);
    expect(single("actor User {")).toEqual(["E_UNEXPECTED_EOF", 1, 13, "unexpected end of file, expected `}`"]);
  });
});

describe("parser errors: lexical", () => {
  it("E_UNTERMINATED_STRING", () => {
    expect(single('f("abc')).toEqual(["E_UNTERMINATED_STRING", 1, 3, 'unterminated string `"abc`']);
  });

  it("E_NEWLINE_IN_STRING, and the next line still parses", () => {
    const { file, diagnostics } = parseFile('f("ab\n);\ng();', "e.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.line, d.span?.column, d.message])).toEqual([
      ["E_NEWLINE_IN_STRING", 1, 3, 'newline in string `"ab`'],
    ]);
    expect(diagnostics[0]?.span).toMatchObject({ start: 2, end: 5 });
    expect(file.items.map((i) => (i.kind === "rule" ? i.name.name : ""))).toEqual(["g"]);
  });

  it("E_INVALID_CHARACTER", () => {
    expect(single("f(x) if x = $;")).toEqual(["E_INVALID_CHARACTER", 1, 13, "invalid character `$`"]);
    expect(first("f(x) if a(x) && b(x);").help).toBe("use `and` instead");
  });

  it("E_INTEGER_OVERFLOW outside the i64 range, sign included", () => {
    expect(single("f(x) if x = 9223372036854775808;")).toEqual([
      "E_INTEGER_OVERFLOW", 1, 13, "integer `9223372036854775808` does not fit in 64 bits",
    ]);
    expect(single("f(x) if x > -9223372036854775809;")).toEqual([
      "E_INTEGER_OVERFLOW", 1, 13, "integer `-9223372036854775809` does not fit in 64 bits",
    ]);
    expect(errors("f(x) if x = -9223372036854775808;")).toEqual([]);
  });

  it("E_FLOAT with a help that says to use integers", () => {
    expect(single("f(x) if x > 1.5;")).toEqual(["E_FLOAT", 1, 13, "floats are not supported: `1.5`"]);
    expect(single("f(1e3);")).toEqual(["E_FLOAT", 1, 3, "floats are not supported: `1e3`"]);
    expect(first("f(x) if x = -2.5;").help).toBe("use an integer instead; Oso Cloud Polar has no float type");
  });
});

describe("parser errors: unsupported OSS syntax", () => {
  it("E_UNSUPPORTED_OPERATOR for `==` with help `use =`", () => {
    const d = first("f(x) if x == 1;");
    expect([d.code, d.span?.line, d.span?.column, d.message, d.help]).toEqual([
      "E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `==`", "use `=` instead",
    ]);
  });

  it("E_UNSUPPORTED_OPERATOR for `:=`, arithmetic, `mod`, `rem`, `.` and `matches!`", () => {
    expect(single("f(x) if x := 1;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `:=`"]);
    expect(single("f(x) if x + 1 = 2;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `+`"]);
    expect(single("f(x) if x = y - 1;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 15, "unsupported operator `-`"]);
    expect(single("f(x) if x * 2 = 4;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `*`"]);
    expect(single("f(x) if x / 2 = 4;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `/`"]);
    expect(single("f(x) if x mod 2 = 0;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `mod`"]);
    expect(single("f(x) if x rem 2 = 0;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `rem`"]);
    expect(single('f(x) if x.name = "a";')).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 10, "unsupported operator `.`"]);
    expect(single("f(x) if x matches! User;")).toEqual(["E_UNSUPPORTED_OPERATOR", 1, 11, "unsupported operator `matches!`"]);
  });

  it("E_UNSUPPORTED_KEYWORD for forall, cut, new, isa, print, debug", () => {
    expect(single("f(x) if forall(x, g(x));")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 9, "unsupported keyword `forall`"]);
    expect(single("f(x) if g(x) and cut;")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 18, "unsupported keyword `cut`"]);
    expect(single("f(x) if x = new User;")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 13, "unsupported keyword `new`"]);
    expect(single("f(x) if x isa User;")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 11, "unsupported keyword `isa`"]);
    expect(single("f(x) if print(x);")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 9, "unsupported keyword `print`"]);
    expect(single("f(x) if debug();")).toEqual(["E_UNSUPPORTED_KEYWORD", 1, 9, "unsupported keyword `debug`"]);
    expect(first("f(x) if x isa User;").help).toBe("use `matches` instead, as in `x matches User`");
  });
});

describe("parser errors: blocks", () => {
  it("E_RELATION_KEYWORD for a word other than `on` between two shorthand terms", () => {
    const d = first('resource Repo {\n  "read" if "member" in "parent";\n}');
    expect([d.code, d.span?.line, d.span?.column, d.message, d.help]).toEqual([
      "E_RELATION_KEYWORD", 2, 22, "unexpected relation keyword `in`", "did you mean `on`?",
    ]);
    expect(single('resource R { "a" if "b" of "c"; }')).toEqual(["E_RELATION_KEYWORD", 1, 25, "unexpected relation keyword `of`"]);
  });

  it("E_BLOCK_KEYWORD for an unknown or missing block keyword", () => {
    expect(single("thing Foo {\n}")).toEqual(["E_BLOCK_KEYWORD", 1, 1, "expected `actor`, `resource` or `global`, found `thing`"]);
    expect(first("resouce Foo {}").help).toBe("did you mean `resource`?");
    expect(single("\n  Foo { }")).toEqual(["E_BLOCK_KEYWORD", 2, 3, "expected `actor`, `resource` or `global` before `Foo`"]);
    expect(single("thing Foo extends Bar {}")).toEqual(["E_BLOCK_KEYWORD", 1, 1, "expected `actor`, `resource` or `global`, found `thing`"]);
  });
});

describe("parser errors: recovery", () => {
  it("reports three syntax errors in one file as three diagnostics", () => {
    const src = ["a(x) if x = ;", "ok1();", "b(x) if g(x) h(x);", "ok2();", "c(x, ;", "ok3();"].join("\n");
    const { file, diagnostics } = parseFile(src, "e.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([
      ["E_SYNTAX", 1, 13],
      ["E_SYNTAX", 3, 14],
      ["E_SYNTAX", 5, 6],
    ]);
    expect(file.items.map((i) => (i.kind === "rule" ? i.name.name : ""))).toEqual(["ok1", "ok2", "ok3"]);
  });

  it("recovers inside blocks and tests, one diagnostic per bad member", () => {
    const src = [
      "resource R {",
      '  roles = ["a" "b"];',
      '  "x" if "a" in "p";',
      '  "y" if "a";',
      "}",
      'test "t" {',
      "  assert f(1.5);",
      "  assert g();",
      "  assert_not h(x == 1);",
      "}",
      "thing T {}",
      "after();",
    ].join("\n");
    const { file, diagnostics } = parseFile(src, "e.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
      ["E_SYNTAX", 2],
      ["E_RELATION_KEYWORD", 3],
      ["E_FLOAT", 7],
      ["E_UNSUPPORTED_OPERATOR", 9],
      ["E_BLOCK_KEYWORD", 11],
    ]);
    expect(file.items.map((i) => i.kind)).toEqual(["block", "test", "rule"]);
  });

  it("skips a whole malformed block, braces included", () => {
    const { file, diagnostics } = parseFile('resource R extends {\n  "a" if "b";\n  roles = [];\n}\nok();', "e.polar");
    expect(diagnostics.map((d) => d.code)).toEqual(["E_SYNTAX"]);
    expect(file.items.map((i) => i.kind)).toEqual(["rule"]);
  });

  it("every diagnostic has a lowercase message without a trailing period and a one-sentence help", () => {
    const src = 'a == b;\nf(x) if x.y;\nthing X {}\n"s\n$\nf(1.5);\ng(99999999999999999999);\nresource R { "a" if "b" in "c"; }\nh(';
    const { diagnostics } = parseFile(src, "e.polar");
    expect(diagnostics.length).toBeGreaterThanOrEqual(8);
    for (const d of diagnostics) {
      expect(d.severity).toBe("error");
      expect(d.message).toMatch(/^[a-z]/);
      expect(d.message.endsWith(".")).toBe(false);
      expect(d.help.length).toBeGreaterThan(0);
      expect(d.span?.file).toBe("e.polar");
    }
  });
});
