/** `boreal actions ACTOR RESOURCE [-c FACT]…`: the actions the actor may take on the resource. */
import { parseValue } from "../../api/values.js";
import { parseContextFacts } from "../args.js";
import { type CommandSpec, contextOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { engineForQuestions } from "../session.js";

export const actions: CommandSpec = {
  name: "actions",
  args: "<actor> <resource>",
  summary: "print the actions the actor may take on the resource, one per line",
  examples: ["boreal actions User:bob Repo:anvil"],
  context: true,
  async run({ out, dir, opts }, [actor, resource]) {
    const a = parseValue(actor!);
    const r = parseValue(resource!);
    const context = parseContextFacts(contextOption(opts));
    const engine = await engineForQuestions(dir);
    const names = engine.actions(a, r, context);
    if (out.json) out.data(names);
    else out.lines(names);
    return EXIT.OK;
  },
};
