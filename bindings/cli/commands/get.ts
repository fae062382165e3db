/** `boreal get PRED PATTERN…`: print the stored facts that match (`_` predicate = any). */
import type { StoredFact } from "../../store/index.js";
import { jsonValue } from "../../store/jsonl.js";
import { formatCliFact, parsePatterns } from "../args.js";
import type { CommandSpec } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { openStore } from "../session.js";

export const get: CommandSpec = {
  name: "get",
  args: "<predicate> [patterns...]",
  summary: "print stored facts matching a pattern (`_` predicate = any predicate)",
  examples: ["boreal get has_role User:bob _ _", "boreal get has_role _ owner Repo:_", "boreal get _"],
  async run({ out, dir }, [pred, ...words]) {
    const patterns = parsePatterns(words);
    const store = openStore(dir, false);
    let facts: StoredFact[] = [];
    if (store !== undefined) {
      try {
        facts = store.read(() => store.match(pred === "_" || pred === undefined ? null : pred, words.length === 0 ? null : patterns));
      } finally {
        store.close();
      }
    }
    if (out.json) out.data(facts.map((f) => [f.pred, ...f.args.map(jsonValue)]));
    else out.lines(facts.map((f) => formatCliFact(f.pred, f.args)));
    return EXIT.OK;
  },
};
