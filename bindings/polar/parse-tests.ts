/**
 * Policy tests (polar-spec.md §8): `test fixture name { fact; ... }` and
 * `test "name" { setup { ... } assert ...; assert_not ...; }`.
 * A bad statement is reported and skipped; the enclosing fixture or test is kept.
 */
import type { Assertion, FactItem, FixtureRef, TestBlock, TestFixture } from "./ast.js";
import type { Span } from "../api/span.js";
import { isParseAbort, type Parser } from "./parse-core.js";
import { parseBody } from "./parse-body.js";
import { parseArgs, parseName, parseParams, stringTerm } from "./parse-terms.js";
import { isIdent, isNameToken, isPunct } from "./tokens.js";

const TEST_HELP = "a test contains an optional `setup { ... }` block followed by `assert` and `assert_not` statements";
const FACT_HELP = "write a fact such as `has_role(User{\"alice\"}, \"admin\", Org{\"acme\"});`";

/** The current token is `test`. */
export function parseTestItem(p: Parser): TestFixture | TestBlock {
  const kw = p.advance();
  if (p.atIdent("fixture")) {
    p.advance();
    const name = parseName(p, "a fixture name", "name the fixture, as in `test fixture basics { ... }`");
    const facts: FactItem[] = [];
    parseStatements(p, "the fixture", () => facts.push(parseFact(p)));
    return { kind: "test_fixture", name, facts, span: p.spanFrom(kw.start) };
  }
  const nameTok = p.tok;
  if (nameTok.kind !== "string") {
    return p.expected("a test name string or `fixture`", "write `test \"name\" { ... }` or `test fixture name { ... }`");
  }
  p.advance();
  const name = stringTerm(p, nameTok);
  const setup: (FactItem | FixtureRef)[] = [];
  let setupSpan: Span | undefined;
  const assertions: Assertion[] = [];
  parseStatements(p, "the test", () => {
    const t = p.tok;
    if (isIdent(t, "assert") || isIdent(t, "assert_not")) {
      assertions.push(parseAssertion(p));
    } else if (isIdent(t, "setup") && isPunct(p.peek(1), "{")) {
      if (setupSpan !== undefined || assertions.length > 0) {
        p.fail("E_SYNTAX", "unexpected `setup`", "a test has at most one `setup` block, before its assertions", p.tokenSpan(t));
      }
      p.advance();
      parseStatements(p, "the setup block", () => setup.push(parseSetupItem(p)));
      setupSpan = p.spanFrom(t.start);
    } else {
      p.expected("`setup`, `assert` or `assert_not`", TEST_HELP);
    }
  });
  const span = p.spanFrom(kw.start);
  return setupSpan === undefined
    ? { kind: "test", name, setup, assertions, span }
    : { kind: "test", name, setup, setupSpan, assertions, span };
}

/** `{` statement* `}`: each statement is parsed by `one`; a failed statement is skipped. */
function parseStatements(p: Parser, what: string, one: () => void): void {
  p.expectPunct("{");
  while (!p.atPunct("}")) {
    if (p.atEof) p.expected("`}`", `close ${what} with \`}\``);
    const start = p.pos;
    try {
      one();
    } catch (e) {
      if (!isParseAbort(e)) throw e;
      p.recover(start, true);
    }
  }
  p.advance();
}

function parseFact(p: Parser): FactItem {
  if (!(isNameToken(p.tok) && isPunct(p.peek(1), "("))) p.expected("a fact", FACT_HELP);
  const name = parseName(p, "a fact");
  const args = parseArgs(p);
  p.expectPunct(";", "end the fact with `;`");
  return { kind: "fact", name, args, span: p.spanFrom(name.span.start) };
}

function parseSetupItem(p: Parser): FactItem | FixtureRef {
  const t = p.tok;
  if (isIdent(t, "fixture") && !isPunct(p.peek(1), "(")) {
    p.advance();
    const name = parseName(p, "a fixture name", "refer to a fixture as `fixture name;`");
    p.expectPunct(";", "end the fixture reference with `;`");
    return { kind: "fixture_ref", name, span: p.spanFrom(t.start) };
  }
  return parseFact(p);
}

function parseAssertion(p: Parser): Assertion {
  const kw = p.advance();
  const kind = kw.text === "assert" ? "assert" : "assert_not";
  if (!(isNameToken(p.tok) && isPunct(p.peek(1), "("))) {
    p.expected(`a query after \`${kw.text}\``, "assert a query such as `allow(User{\"alice\"}, \"read\", Repo{\"anvil\"})`");
  }
  const name = parseName(p, "a rule name");
  const params = parseParams(p);
  if (p.eatIdent("iff")) {
    const iff = parseBody(p);
    p.expectPunct(";", "end the assertion with `;`");
    return { kind, name, params, iff, span: p.spanFrom(kw.start) };
  }
  if (!p.atPunct(";")) p.expected("`iff` or `;`", "end the assertion with `;`");
  p.advance();
  return { kind, name, params, span: p.spanFrom(kw.start) };
}
