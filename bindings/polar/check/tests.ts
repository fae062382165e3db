/**
 * Test blocks and fixtures: V21 (unknown and duplicate fixtures, duplicate test names),
 * ground setup facts, `iff` only on `assert` (DESIGN 4.8), and V14 for the predicates that
 * assertions, `iff` bodies and setup facts use.
 */
import type { FactItem, Policy, TestBlock, TestFixture } from "../ast.js";
import type { Reporter } from "./context.js";
import { checkKnownPredicate, type PredIndex } from "./predicates.js";
import { didYouMean } from "./suggest.js";
import { exprCalls } from "./walk.js";

function checkFact(f: FactItem, index: PredIndex, rep: Reporter): void {
  checkKnownPredicate(f.name, f.args.length, index, rep);
  for (const a of f.args) {
    if (a.kind === "var") {
      rep.error(
        "E_NON_GROUND_FACT",
        `test fact \`${f.name.name}\` has a variable argument \`${a.name}\``,
        'facts in tests must use literal values such as `"reader"` or `User{"alice"}`',
        a.span,
      );
    } else if (a.kind === "now") {
      rep.error(
        "E_NON_GROUND_FACT",
        `test fact \`${f.name.name}\` uses \`@current_unix_time\``,
        "facts in tests must use literal values; write the Integer timestamp instead",
        a.span,
      );
    }
  }
}

export function checkTests(policy: Policy, index: PredIndex, rep: Reporter): void {
  const fixtures = new Map<string, TestFixture>();
  const tests: TestBlock[] = [];
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind === "test_fixture") {
        if (fixtures.has(item.name.name)) {
          rep.error(
            "E_DUPLICATE_FIXTURE",
            `fixture \`${item.name.name}\` is defined more than once`,
            "rename or remove one of the fixtures",
            item.name.span,
          );
        } else {
          fixtures.set(item.name.name, item);
        }
        for (const f of item.facts) checkFact(f, index, rep);
      } else if (item.kind === "test") {
        tests.push(item);
      }
    }
  }

  const testNames = new Set<string>();
  for (const t of tests) {
    if (testNames.has(t.name.value)) {
      rep.error(
        "E_DUPLICATE_TEST",
        `test \`${t.name.value}\` is defined more than once`,
        "give each test a distinct name",
        t.name.span,
      );
    }
    testNames.add(t.name.value);
    for (const s of t.setup) {
      if (s.kind === "fact") {
        checkFact(s, index, rep);
      } else if (!fixtures.has(s.name.name)) {
        rep.error(
          "E_UNKNOWN_FIXTURE",
          `unknown fixture \`${s.name.name}\``,
          didYouMean(s.name.name, fixtures.keys(), `define it with \`test fixture ${s.name.name} { ... }\``),
          s.name.span,
        );
      }
    }
    for (const a of t.assertions) {
      checkKnownPredicate(a.name, a.params.length, index, rep);
      if (a.iff === undefined) continue;
      if (a.kind === "assert_not") {
        rep.error(
          "E_IFF_ON_ASSERT_NOT",
          "`iff` cannot be used with `assert_not`",
          "use `assert ... iff` and list exactly the values that should satisfy it",
          a.iff.span,
        );
      }
      for (const c of exprCalls(a.iff)) checkKnownPredicate(c.name, c.args.length, index, rep);
    }
  }
}
