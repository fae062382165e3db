import { describe, expect, it } from "vitest";
import { lex } from "../../bindings/polar/lexer.js";
import { SourceMap, type Token } from "../../bindings/polar/tokens.js";

function kinds(src: string): string[] {
  return lex(src, "t.polar").tokens.map((t) => `${t.kind}:${t.kind === "string" || t.kind === "flag" ? t.value : t.text}`);
}

function only(src: string): Token {
  const { tokens, diagnostics } = lex(src, "t.polar");
  expect(diagnostics).toEqual([]);
  expect(tokens).toHaveLength(2);
  return tokens[0] as Token;
}

describe("lexer: tokens", () => {
  it("lexes a rule into identifiers, punctuation, strings and eof", () => {
    expect(kinds('f(x: User, "a") if x = 1;')).toEqual([
      "ident:f", "punct:(", "ident:x", "punct::", "ident:User", "punct:,", "string:a", "punct:)",
      "ident:if", "ident:x", "punct:=", "int:1", "punct:;", "eof:",
    ]);
  });

  it("always ends with one zero-width eof token at the end of the source", () => {
    const { tokens } = lex("  # only a comment", "t.polar");
    expect(tokens).toEqual([{ kind: "eof", text: "", value: "", start: 18, end: 18 }]);
  });

  it("matches two-character punctuation greedily", () => {
    expect(kinds("?= == != <= >= := < > = ! . + - * / [ ] { }")).toEqual([
      "punct:?=", "punct:==", "punct:!=", "punct:<=", "punct:>=", "punct::=", "punct:<", "punct:>", "punct:=",
      "punct:!", "punct:.", "punct:+", "punct:-", "punct:*", "punct:/", "punct:[", "punct:]", "punct:{", "punct:}", "eof:",
    ]);
  });

  it("keeps keywords as identifiers (the parser decides what they mean)", () => {
    expect(kinds("if and or not in matches true false actor resource on")).toEqual([
      "ident:if", "ident:and", "ident:or", "ident:not", "ident:in", "ident:matches", "ident:true", "ident:false",
      "ident:actor", "ident:resource", "ident:on", "eof:",
    ]);
  });

  it("lexes identifiers with `::` segments and one trailing `?`", () => {
    expect(only("Foo::Bar::baz?").text).toBe("Foo::Bar::baz?");
    expect(kinds("a::")).toEqual(["ident:a", "punct::", "punct::", "eof:"]);
    expect(kinds("a?? b")).toEqual(["ident:a?", "error:?", "ident:b", "eof:"]);
    expect(only("_x_1").text).toBe("_x_1");
  });

  it("accepts Unicode letters and emoji in identifiers", () => {
    expect(only("café").text).toBe("café");
    expect(only("名前").text).toBe("名前");
    expect(only("🦀crab").text).toBe("🦀crab");
  });

  it("lexes integers without a sign; `-` is separate punctuation", () => {
    expect(kinds("0 007 -3")).toEqual(["int:0", "int:007", "punct:-", "int:3", "eof:"]);
    expect(only("99999999999999999999999").kind).toBe("int");
  });

  it("lexes float syntax as float tokens", () => {
    expect(kinds("1.5 1e3 2E-4 3.25e+2")).toEqual(["float:1.5", "float:1e3", "float:2E-4", "float:3.25e+2", "eof:"]);
    expect(kinds("1.x 1e")).toEqual(["int:1", "punct:.", "ident:x", "int:1", "ident:e", "eof:"]);
  });

  it("lexes flags `@name` with the name as value", () => {
    const t = only("@current_unix_time");
    expect(t).toMatchObject({ kind: "flag", text: "@current_unix_time", value: "current_unix_time", start: 0, end: 18 });
  });

  it("skips comments to the end of the line, including `\\r` line ends", () => {
    expect(kinds('a # b "c" ; }\nd #x\re')).toEqual(["ident:a", "ident:d", "ident:e", "eof:"]);
  });
});

describe("lexer: strings", () => {
  it("decodes escapes: \\n \\r \\t \\0 \\\" \\\\ and \\<other>", () => {
    const t = only(String.raw`"a\nb\rc\td\0e\"f\\g\qh\#"`);
    expect(t.kind).toBe("string");
    expect(t.value).toBe('a\nb\rc\td\0e"f\\gqh#');
  });

  it("keeps the raw text and offsets of a string", () => {
    const t = only('"hé"');
    expect(t).toMatchObject({ text: '"hé"', value: "hé", start: 0, end: 4 });
  });

  it("reports an unterminated string with its span", () => {
    const { tokens, diagnostics } = lex('f("abc', "t.polar");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: "E_UNTERMINATED_STRING",
      message: 'unterminated string `"abc`',
      span: { file: "t.polar", start: 2, end: 6, line: 1, column: 3 },
    });
    expect(tokens.map((t) => t.kind)).toEqual(["ident", "punct", "error", "eof"]);
  });

  it("reports a raw newline in a string and keeps lexing on the next line", () => {
    const { tokens, diagnostics } = lex('x = "ab\ncd";', "t.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.line, d.span?.column, d.message])).toEqual([
      ["E_NEWLINE_IN_STRING", 1, 5, 'newline in string `"ab`'],
      ["E_UNTERMINATED_STRING", 2, 3, 'unterminated string `";`'],
    ]);
    expect(tokens.map((t) => t.kind)).toEqual(["ident", "punct", "error", "ident", "error", "eof"]);
  });

  it("accepts an escaped newline as a newline character", () => {
    expect(only('"a\\\nb"').value).toBe("a\nb");
  });
});

describe("lexer: invalid characters", () => {
  it("reports each invalid character with a hint and continues", () => {
    const { tokens, diagnostics } = lex("a $ 'b' & c", "t.polar");
    expect(diagnostics.map((d) => [d.code, d.span?.column, d.message, d.help])).toEqual([
      ["E_INVALID_CHARACTER", 3, "invalid character `$`", "remove this character"],
      ["E_INVALID_CHARACTER", 5, "invalid character `'`", 'strings are written with double quotes, as in `"read"`'],
      ["E_INVALID_CHARACTER", 7, "invalid character `'`", 'strings are written with double quotes, as in `"read"`'],
      ["E_INVALID_CHARACTER", 9, "invalid character `&`", "use `and` instead"],
    ]);
    expect(tokens.filter((t) => t.kind === "ident").map((t) => t.text)).toEqual(["a", "b", "c"]);
  });

  it("names invisible characters by code point and covers a whole surrogate pair", () => {
    const { diagnostics } = lex("a\u0007b \u00a0 \u{1D400}", "t.polar");
    expect(diagnostics.map((d) => [d.message, d.span?.start, d.span?.end])).toEqual([
      ["invalid character `U+0007`", 1, 2],
      ["invalid character `U+00A0`", 4, 5],
    ]);
    // U+1D400 (mathematical bold A) is a letter, so it is an identifier, not an error.
    const { diagnostics: d2 } = lex("\u{1F4A9}\u{E0001}", "t.polar");
    expect(d2.map((d) => [d.message, d.span?.start, d.span?.end])).toEqual([["invalid character `U+E0001`", 2, 4]]);
  });

  it("rejects `@` and `?` that do not form a flag or `?=`", () => {
    const { diagnostics } = lex("@ ?", "t.polar");
    expect(diagnostics.map((d) => d.message)).toEqual(["invalid character `@`", "invalid character `?`"]);
  });
});

describe("SourceMap", () => {
  it("computes 1-based lines and UTF-16 columns across \\n, \\r\\n and lone \\r", () => {
    const m = new SourceMap("f", "ab\r\ncd\ref\n😀x");
    expect(m.position(0)).toEqual({ line: 1, column: 1 });
    expect(m.position(2)).toEqual({ line: 1, column: 3 });
    expect(m.position(4)).toEqual({ line: 2, column: 1 });
    expect(m.position(7)).toEqual({ line: 3, column: 1 });
    expect(m.position(12)).toEqual({ line: 4, column: 3 }); // after the surrogate pair
    expect(m.span(4, 6)).toEqual({ file: "f", start: 4, end: 6, line: 2, column: 1 });
  });
});
