/** `boreal compile FILE…`: check a policy and print its compiled rules (a debugging aid). */
import { printProgram } from "../../compile/print-ir.js";
import { EXIT } from "../exit-codes.js";
import type { CommandSpec } from "../command.js";
import { checkPolicy, readSources } from "../policy-source.js";

export const compile: CommandSpec = {
  name: "compile",
  args: "<files...>",
  summary: "check a policy and print its compiled rules, stratum by stratum",
  examples: ["boreal compile policy.polar"],
  async run({ out }, files) {
    const sources = readSources(out, files);
    const { analysis, program } = checkPolicy(sources);
    out.diagnostics(analysis.diagnostics, out.sources);
    if (out.json) out.data({ rules: printProgram(program) });
    else out.line(printProgram(program));
    return EXIT.OK;
  },
};
