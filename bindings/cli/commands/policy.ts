/**
 * `boreal policy FILE…`: validate, run the tests, and save the policy only if all of that
 * passes (otherwise the previous policy stays). Stored facts that the new policy cannot use are
 * kept, marked unusable (not loaded into the engine), and reported as warnings.
 */
import type { Diagnostic } from "../../api/errors.js";
import type { CommandSpec } from "../command.js";
import { createEngine } from "../engine.js";
import { EXIT } from "../exit-codes.js";
import { checkPolicy, formatTestReport, readSources, testsFailedError } from "../policy-source.js";
import { openStore } from "../session.js";
import { reclassifyFacts } from "../reclassify.js";

/** At most this many unusable facts are listed one by one. */

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
        return reclassifyFacts(store, engine);
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

