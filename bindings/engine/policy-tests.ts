/** Running the policy's own `test` blocks, each in a fresh core that holds only the test's facts. */
import type { TestCaseResult, TestFailure, TestReport } from "../api/types.js";
import { type CompiledTest, predKey, type PredKey } from "../compile/ir.js";
import { type Tuple, tupleKey } from "./shared/answers.js";
import { assertionFailure } from "./shared/assertions.js";
import type { EngineState } from "./engine-state.js";
import { answerTuples, type FactRecord, readRows, sendFacts } from "./marshal.js";
import { type Loaded, planned } from "./policy.js";

export function runPolicyTests(st: EngineState): TestReport {
  const s = st.loaded;
  if (s === undefined) return { passed: true, tests: [] };
  const tests = s.program.tests.map((t) => runTest(st, s, t));
  return { passed: tests.every((t) => t.failures.length === 0), tests };
}

function runTest(st: EngineState, s: Loaded, test: CompiledTest): TestCaseResult {
  // a fresh core: the test sees only its own facts
  const core = st.newCore();
  const recs: FactRecord[] = test.facts.map(([pred, ...args]) => ({
    rel: st.relId(predKey(pred, args.length), args.length),
    vids: args.map((a) => st.interner.value(a)),
  }));
  planned(() => {
    for (const a of test.assertions) {
      s.planner.ensure(a.queryPred, 0);
      if (a.iffPred !== undefined) s.planner.ensure(a.iffPred, 0);
    }
  });
  st.setupCore(core);
  st.interner.flush(core);
  sendFacts(core, recs, (n) => core.x.insertFacts(n));
  const now = st.nowId(s);
  const solutions = (pred: PredKey): Tuple[] => {
    const plan = s.planner.ensure(pred, 0);
    st.syncPlans(core);
    const arity = Number(pred.slice(pred.lastIndexOf("/") + 1));
    const n = st.run(core, plan, [], now);
    if (arity === 0) return n > 0 ? [[]] : [];
    const tuples = answerTuples(st.interner, readRows(core, n, arity), arity, 0, []);
    return tuples.sort((x, y) => (tupleKey(x) < tupleKey(y) ? -1 : tupleKey(x) > tupleKey(y) ? 1 : 0));
  };
  const failures: TestFailure[] = [];
  for (const a of test.assertions) {
    const message = assertionFailure(a, solutions);
    if (message !== undefined) failures.push({ assertion: a.text, message, line: a.span.line, column: a.span.column });
  }
  return { name: test.name, passed: test.assertions.length - failures.length, total: test.assertions.length, failures };
}
