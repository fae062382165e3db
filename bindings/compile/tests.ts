/**
 * `test` blocks → CompiledTest: setup facts with fixtures expanded, and each assertion as an
 * internal query predicate over the assertion's named variables (plus one for its `iff`).
 * Inline queries (`?= body;`) become one-assertion tests with no facts: they are checked
 * against the policy alone.
 */
import type { TypedValue } from "../api/types.js";
import type { Span } from "../api/span.js";
import type { Expr, Param, Policy, PolicyFile, Term, TestBlock, TestFixture, FactItem } from "../polar/ast.js";
import { and, call, matches, param, rule, v } from "../polar/desugar/build.js";
import { predKey, type CompiledAssertion, type CompiledTest } from "./ir.js";
import { INTERNAL_PREFIX, type RuleCompiler } from "./normalize.js";
import { literalValue } from "./terms.js";

type GroundFact = readonly [string, ...TypedValue[]];

function groundFact(f: FactItem): GroundFact | undefined {
  const args: TypedValue[] = [];
  for (const a of f.args) {
    const value = literalValue(a);
    if (value === undefined) return undefined; // the checker reports non-ground facts
    args.push(value);
  }
  return [f.name.name, ...args];
}

function namedVars(params: readonly Param[]): string[] {
  const names: string[] = [];
  for (const p of params) if (p.term.kind === "var" && p.term.name !== "_" && !names.includes(p.term.name)) names.push(p.term.name);
  return names;
}

function sourceText(file: PolicyFile, span: Span): string {
  return file.src.slice(span.start, span.end).replace(/\s+/g, " ").trim();
}

class TestCompiler {
  private count = 0;

  constructor(private readonly compiler: RuleCompiler) {}

  /** Define `#name(vars) if body` and return its key. */
  private define(kind: string, vars: readonly string[], body: Expr, span: Span): string {
    const name = `${INTERNAL_PREFIX}${kind}${++this.count}`;
    this.compiler.add(rule(name, vars.map((n) => param(v(n, span), undefined, span)), body, span), "test");
    return predKey(name, vars.length);
  }

  assertion(file: PolicyFile, a: TestBlock["assertions"][number]): CompiledAssertion {
    const vars = namedVars(a.params);
    // Typed anonymous parameters (`_: String`) need a name to carry their type check.
    let anon = 0;
    const types: Expr[] = [];
    const args: Term[] = a.params.map((p) => {
      if (p.type === undefined) return p.term;
      const varName = p.term.kind === "var" && p.term.name !== "_" ? p.term.name : `_typed${anon++}`;
      types.push(matches(varName, p.type.name, p.span));
      return p.term.kind === "var" ? v(varName, p.term.span) : p.term;
    });
    const queryPred = this.define("assert", vars, and([call(a.name.name, args, a.span), ...types], a.span), a.span);
    const base = { kind: a.kind, text: sourceText(file, a.span), queryPred, vars, span: a.span };
    return a.iff === undefined ? base : { ...base, iffPred: this.define("iff", vars, a.iff, a.iff.span) };
  }

  inline(file: PolicyFile, body: Expr, span: Span): CompiledTest {
    const queryPred = this.define("query", [], body, span);
    const text = sourceText(file, span);
    return { name: text, facts: [], assertions: [{ kind: "assert", text, queryPred, vars: [], span }], span };
  }
}

export function compileTests(policy: Policy, compiler: RuleCompiler): CompiledTest[] {
  const fixtures = new Map<string, TestFixture>();
  for (const file of policy.files) for (const item of file.items) if (item.kind === "test_fixture") fixtures.set(item.name.name, item);

  const tc = new TestCompiler(compiler);
  const tests: CompiledTest[] = [];
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind === "inline_query") {
        tests.push(tc.inline(file, item.body, item.span));
        continue;
      }
      if (item.kind !== "test") continue;
      const facts: GroundFact[] = [];
      for (const s of item.setup) {
        const items = s.kind === "fact" ? [s] : (fixtures.get(s.name.name)?.facts ?? []);
        for (const f of items) {
          const g = groundFact(f);
          if (g !== undefined) facts.push(g);
        }
      }
      tests.push({ name: item.name.value, facts, assertions: item.assertions.map((a) => tc.assertion(file, a)), span: item.span });
    }
  }
  return tests;
}
