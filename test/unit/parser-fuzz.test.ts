/**
 * Property tests: the parser never throws, and every diagnostic and every AST node has a span
 * inside the source whose line/column agree with its offset; child spans nest in parent spans.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Span } from "../../bindings/api/span.js";
import { parseFile } from "../../bindings/polar/parser.js";
import { printAst } from "../../bindings/polar/print-ast.js";

const FILE = "fuzz.polar";
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "parser");
const GOLDEN = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith(".polar"))
  .sort()
  .map((f) => readFileSync(join(GOLDEN_DIR, f), "utf8"));

/** Line and column of `offset`, computed independently of the parser's SourceMap. */
function naivePosition(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = src[i];
    if (c === "\n" || (c === "\r" && src[i + 1] !== "\n")) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function checkSpan(src: string, span: Span | undefined, what: string): void {
  if (span === undefined) throw new Error(`${what}: missing span`);
  if (span.file !== FILE) throw new Error(`${what}: wrong file ${span.file}`);
  if (!(span.start >= 0 && span.start <= span.end && span.end <= src.length)) {
    throw new Error(`${what}: span ${span.start}-${span.end} outside 0-${src.length}`);
  }
  const pos = naivePosition(src, span.start);
  if (pos.line !== span.line || pos.column !== span.column) {
    throw new Error(`${what}: ${span.line}:${span.column} but offset ${span.start} is ${pos.line}:${pos.column}`);
  }
}

function isSpan(v: unknown): v is Span {
  return typeof v === "object" && v !== null && "start" in v && "end" in v && "line" in v && "file" in v;
}

/** Walks every object in the AST; each span must be valid and inside its parent node's span. */
function checkTree(src: string, node: unknown, parent: Span | undefined, path: string): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkTree(src, n, parent, `${path}[${i}]`));
    return;
  }
  if (typeof node !== "object" || node === null) return;
  let own = parent;
  for (const [key, value] of Object.entries(node)) {
    if (!isSpan(value)) continue;
    checkSpan(src, value, `${path}.${key}`);
    if (parent !== undefined && (value.start < parent.start || value.end > parent.end)) {
      throw new Error(`${path}.${key}: ${value.start}-${value.end} not inside parent ${parent.start}-${parent.end}`);
    }
    if (key === "span") own = value;
  }
  for (const [key, value] of Object.entries(node)) {
    if (!isSpan(value) && key !== "src") checkTree(src, value, own, `${path}.${key}`);
  }
}

function checkParse(src: string): void {
  const { file, diagnostics } = parseFile(src, FILE);
  for (const d of diagnostics) {
    if (d.code === "E_INTERNAL") throw new Error(d.message);
    checkSpan(src, d.span, d.code);
    if (!/^[a-z]/.test(d.message) || d.message.endsWith(".")) throw new Error(`bad message: ${d.message}`);
  }
  checkTree(src, file.items, undefined, "items");
  printAst(file);
}

const VOCAB = [
  "actor", "resource", "global", "extends", "roles", "permissions", "relations", "on", "test", "setup", "fixture",
  "assert", "assert_not", "iff", "declare", "type", "if", "and", "or", "not", "in", "matches", "true", "false",
  "forall", "cut", "new", "isa", "mod", "rem", "print", "User", "Org", "x", "_", "role", "has_role", "f",
  '"read"', '"reader"', '"parent"', '"a\\"b"', '"unterminated', "0", "-1", "42", "99999999999999999999", "1.5", "1e3",
  "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "==", "!=", "<", "<=", ">", ">=", "?=", ":=", "+", "-", "*", "/",
  ".", "!", "@current_unix_time", "@flag", "@", "#c\n", "\n", "$", "é", "名", "🦀", "\r\n", "\t", "'",
];
const SEPARATORS = ["", " ", "\n", "\r\n", "  "];

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...SEPARATORS)), { maxLength: 60 })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));

type Mutation = { op: "delete" | "insert" | "swap" | "duplicate"; at: number; len: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("delete", "insert", "swap", "duplicate") as fc.Arbitrary<Mutation["op"]>,
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  text: fc.oneof(fc.constantFrom(...VOCAB), fc.string({ unit: "binary", maxLength: 3 })),
});

function mutate(src: string, muts: readonly Mutation[]): string {
  let s = src;
  for (const m of muts) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    switch (m.op) {
      case "delete":
        s = s.slice(0, at) + s.slice(at + m.len);
        break;
      case "insert":
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case "swap":
        if (at + 1 < s.length) s = s.slice(0, at) + s.charAt(at + 1) + s.charAt(at) + s.slice(at + 2);
        break;
      case "duplicate":
        s = s.slice(0, at) + s.slice(at, at + m.len) + s.slice(at);
        break;
    }
  }
  return s;
}

describe("parser fuzz", () => {
  it("golden sources parse cleanly under the same checks", () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(12);
    for (const src of GOLDEN) expect(() => checkParse(src)).not.toThrow();
  });

  it("the span checker itself rejects bad spans", () => {
    const src = "f(x) if g(x);";
    const { file } = parseFile(src, FILE);
    const rule = file.items[0]!;
    expect(() => checkTree(src, [{ ...rule, span: { ...rule.span, end: 5 } }], undefined, "items")).toThrow(/not inside parent/);
    expect(() => checkTree(src, [{ ...rule, span: { ...rule.span, column: 2 } }], undefined, "items")).toThrow(/offset 0 is 1:1/);
    expect(() => checkSpan(src, { ...rule.span, end: 99 }, "x")).toThrow(/outside/);
  });

  it("never throws on random strings (ASCII and full Unicode, lone surrogates included)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 100 })), (src) => {
        checkParse(src);
      }),
      { numRuns: 800 },
    );
  });

  it("never throws on token soups from the Polar vocabulary", () => {
    fc.assert(fc.property(tokenSoup, (src) => checkParse(src)), { numRuns: 1000 });
  });

  it("never throws on mutated golden policies", () => {
    fc.assert(
      fc.property(fc.constantFrom(...GOLDEN), fc.array(mutation, { minLength: 1, maxLength: 6 }), (src, muts) => {
        checkParse(mutate(src, muts));
      }),
      { numRuns: 600 },
    );
  });

  it("reports an error for every deleted delimiter in a policy (outside comments)", () => {
    const src = GOLDEN.find((g) => g.includes("global {"))!;
    const comments = [...src.matchAll(/#[^\n]*/g)].map((m) => [m.index, m.index + m[0].length] as const);
    let checked = 0;
    for (let i = 0; i < src.length; i++) {
      if (!';{}()[]"'.includes(src.charAt(i)) || comments.some(([a, b]) => i >= a && i < b)) continue;
      const mutated = src.slice(0, i) + src.slice(i + 1);
      expect(parseFile(mutated, FILE).diagnostics.length, `deleting offset ${i}`).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
