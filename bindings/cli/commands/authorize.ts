/** `boreal authorize ACTOR ACTION RESOURCE [-c FACT]…`: prints allowed (exit 0) or denied (exit 3). */
import { parseValue } from "../../api/values.js";
import { parseAction, parseContextFacts } from "../args.js";
import { type CommandSpec, contextOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { engineForQuestions } from "../session.js";

export const authorize: CommandSpec = {
  name: "authorize",
  args: "<actor> <action> <resource>",
  summary: "is the actor allowed the action on the resource? (exit 0 allowed, 3 denied)",
  examples: ["boreal authorize User:bob read Repo:anvil", "boreal authorize User:bob read Repo:anvil -c \"is_public Repo:anvil\""],
  context: true,
  async run({ out, dir, opts }, [actor, action, resource]) {
    const a = parseValue(actor!);
    const act = parseAction(action!);
    const r = parseValue(resource!);
    const context = parseContextFacts(contextOption(opts));
    const engine = await engineForQuestions(dir);
    const allowed = engine.authorize(a, act, r, context);
    if (out.json) out.data({ allowed });
    else out.line(allowed ? out.paint("32", "allowed") : out.paint("31", "denied"));
    return allowed ? EXIT.OK : EXIT.DENIED;
  },
};
