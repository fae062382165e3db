/** `boreal list ACTOR ACTION TYPE [-c FACT]…`: the ids of the resources of TYPE the actor may act on. */
import { parseValue } from "../../api/values.js";
import { parseAction, parseContextFacts } from "../args.js";
import { type CommandSpec, contextOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { engineForQuestions } from "../session.js";

export const list: CommandSpec = {
  name: "list",
  args: "<actor> <action> <resource_type>",
  summary: "print the ids of the resources of a type that the actor may act on, one per line",
  examples: ["boreal list User:bob read Repo"],
  context: true,
  async run({ out, dir, opts }, [actor, action, type]) {
    const a = parseValue(actor!);
    const act = parseAction(action!);
    const context = parseContextFacts(contextOption(opts));
    const engine = await engineForQuestions(dir);
    const ids = engine.list(a, act, type!, context);
    if (out.json) out.data(ids);
    else out.lines(ids);
    return EXIT.OK;
  },
};
