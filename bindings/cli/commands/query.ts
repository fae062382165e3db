/**
 * `boreal query PRED ARG… [-c FACT]…`: derived facts; `Type:_` and `_` are output variables.
 * Rows print in CLI syntax, `_` where a position stays unbound.
 */
import { toTypedValue } from "../../api/values.js";
import { jsonValue } from "../../store/jsonl.js";
import { formatCliFact, parseContextFacts, parsePatterns, toValuePattern } from "../args.js";
import { type CommandSpec, contextOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { engineForQuestions } from "../session.js";

export const query: CommandSpec = {
  name: "query",
  args: "<predicate> [args...]",
  summary: "print the derived facts matching a pattern (`Type:_` and `_` are output variables)",
  examples: ["boreal query has_permission User:bob String:_ Repo:_", "boreal query has_role User:_ admin"],
  context: true,
  async run({ out, dir, opts }, [pred, ...words]) {
    const patterns = parsePatterns(words).map(toValuePattern);
    const context = parseContextFacts(contextOption(opts));
    const engine = await engineForQuestions(dir);
    const rows = engine.query(pred!, patterns, context);
    const typed = rows.map(([p, ...args]) => [p, ...args.map((a) => (a === null ? null : toTypedValue(a)))] as const);
    if (out.json) out.data(typed.map(([p, ...args]) => [p, ...args.map((a) => (a === null ? null : jsonValue(a)))]));
    else out.lines(typed.map(([p, ...args]) => formatCliFact(p, args)));
    return EXIT.OK;
  },
};
