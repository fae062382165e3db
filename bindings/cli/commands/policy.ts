/**
 * `boreal policy FILE…`: validate, run the tests, and save the policy only if all of that
 * passes (otherwise the previous policy stays). Stored facts that the new policy cannot use are
 * kept, marked unusable (not loaded into the engine), and reported as warnings.
 */
import { type Diagnostic, diagnostic, isBorealError } from "../../api/errors.js";
import type { AuthorizationEngine, Fact, TypedValue } from "../../api/types.js";
import { type Store, splitArgs } from "../../store/index.js";
import { formatCliFact } from "../args.js";
import type { CommandSpec } from "../command.js";
import { createEngine } from "../engine.js";
import { EXIT } from "../exit-codes.js";
import { checkPolicy, formatTestReport, readSources, testsFailedError } from "../policy-source.js";
import { checkFacts, openStore } from "../session.js";

/** At most this many unusable facts are listed one by one. */
const MAX_LISTED = 100;

export const policy: CommandSpec = {
  name: "policy",
  args: "<files...>",
  summary: "validate a policy, run its tests, and save it if all pass",
  examples: ["boreal policy policy.polar", "boreal policy main.polar roles.polar"],
  async run({ out, dir }, files) {
    const sources = readSources(out, files);
    const { analysis } = checkPolicy(sources);
    const engine = await createEngine();
    engine.policy(sources);
    const report = engine.test();
    if (!out.json && report.tests.length > 0) out.message(formatTestReport(out, report, analysis).join("\n"));
    if (!report.passed) {
      if (out.json) out.data({ saved: false, tests: report });
      out.error(testsFailedError(report, "fix the policy or its tests; the policy was not saved and the previous one stays"));
      return EXIT.INVALID;
    }
    const store = openStore(dir, true)!;
    let unusable: Diagnostic[];
    try {
      unusable = store.write(() => {
        store.savePolicy(sources);
        return reclassify(store, engine);
      });
    } finally {
      store.close();
    }
    const warnings = [...analysis.diagnostics.filter((d) => d.severity === "warning"), ...unusable];
    if (out.json) {
      out.data({ saved: true, files, tests: report, warnings });
    } else {
      out.diagnostics(warnings, out.sources);
      out.message(`saved the policy (${files.join(", ")}) in ${store.file}`);
    }
    return EXIT.OK;
  },
};

/**
 * Mark each stored fact usable or not under the engine's (new) policy. Fact validation
 * depends only on the predicate and the argument types, so one engine check per distinct
 * shape decides every fact of that shape.
 */
function reclassify(store: Store, engine: AuthorizationEngine): Diagnostic[] {
  const values = store.valueTable();
  const verdicts = new Map<string, string | undefined>();
  const toUsable: number[] = [];
  const toUnusable: number[] = [];
  const warnings: Diagnostic[] = [];
  let more = 0;
  for (const [seq, pred, args, usable] of store.rows()) {
    const vals: TypedValue[] = splitArgs(args).map((v) => values[v]!);
    const shape = `${pred}(${vals.map((v) => v.type).join(",")})`;
    let problem = verdicts.get(shape);
    if (!verdicts.has(shape)) {
      const failed = checkFacts(engine, [[pred, ...vals] as Fact]);
      problem = failed === undefined ? undefined : isBorealError(failed.error) ? failed.error.message : String(failed.error);
      verdicts.set(shape, problem);
    }
    if (problem === undefined) {
      if (usable === 0) toUsable.push(seq);
      continue;
    }
    if (usable === 1) toUnusable.push(seq);
    if (warnings.length < MAX_LISTED) {
      warnings.push(diagnostic(
        "W_UNUSABLE_FACT",
        `the stored fact \`${formatCliFact(pred, vals)}\` cannot be used by this policy: ${problem}`,
        "the fact is kept; delete it or change the policy to use it",
        undefined,
        "warning",
      ));
    } else {
      more++;
    }
  }
  store.setUsable(toUsable, true);
  store.setUsable(toUnusable, false);
  if (more > 0) {
    warnings.push(diagnostic("W_UNUSABLE_FACT", `${more} more stored facts cannot be used by this policy`, "the facts are kept; delete them or change the policy to use them", undefined, "warning"));
  }
  return warnings;
}
