/** `boreal validate FILE…`: check a policy (several files load together); saves nothing. */
import { EXIT } from "../exit-codes.js";
import type { CommandSpec } from "../command.js";
import { checkPolicy, readSources } from "../policy-source.js";

export const validate: CommandSpec = {
  name: "validate",
  args: "<files...>",
  summary: "check a policy without saving it (several files load together)",
  examples: ["boreal validate policy.polar", "boreal validate main.polar roles.polar"],
  async run({ out }, files) {
    const sources = readSources(out, files);
    const { analysis } = checkPolicy(sources);
    const warnings = analysis.diagnostics.filter((d) => d.severity === "warning");
    if (out.json) {
      out.data({ valid: true, files, warnings });
    } else {
      out.diagnostics(warnings, out.sources);
      out.line(`valid: ${files.join(" ")}`);
    }
    return EXIT.OK;
  },
};
