/** `boreal test FILE…`: run the policy's `test` blocks; saves nothing. */
import { EXIT } from "../exit-codes.js";
import type { CommandSpec } from "../command.js";
import { createEngine } from "../engine.js";
import { checkPolicy, formatTestReport, readSources, testsFailedError } from "../policy-source.js";

export const test: CommandSpec = {
  name: "test",
  args: "<files...>",
  summary: "run the policy's test blocks without saving it",
  examples: ["boreal test policy.polar"],
  async run({ out }, files) {
    const sources = readSources(out, files);
    const { analysis } = checkPolicy(sources);
    out.diagnostics(analysis.diagnostics, out.sources);
    const engine = await createEngine();
    engine.policy(sources);
    const report = engine.test();
    if (out.json) out.data(report);
    else out.lines(formatTestReport(out, report, analysis));
    if (!report.passed) {
      out.error(testsFailedError(report, "fix the policy or its tests"));
      return EXIT.INVALID;
    }
    return EXIT.OK;
  },
};
