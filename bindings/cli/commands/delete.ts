/** `boreal delete PRED PATTERN…`: delete every stored fact that matches (`_`, `Type:_`). */
import { parsePatterns } from "../args.js";
import type { CommandSpec } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { openStore } from "../session.js";
import { UsageError } from "../usage.js";

export const del: CommandSpec = {
  name: "delete",
  args: "<predicate> [patterns...]",
  summary: "delete the stored facts matching a pattern (`_` = any value, `Type:_` = any Type)",
  examples: ["boreal delete has_role User:bob owner Repo:anvil", "boreal delete has_role User:_ _ Repo:anvil"],
  async run({ out, dir }, [pred, ...words]) {
    if (pred === undefined || pred === "_") throw new UsageError("the predicate of `delete` cannot be `_`; use `boreal clear --confirm` to delete every fact");
    const patterns = parsePatterns(words);
    const store = openStore(dir, false);
    let deleted = 0;
    if (store !== undefined) {
      try {
        deleted = store.write(() => store.delete(pred, words.length === 0 ? null : patterns));
      } finally {
        store.close();
      }
    }
    if (out.json) out.data({ deleted });
    else out.message(`deleted ${deleted} fact${deleted === 1 ? "" : "s"}`);
    return EXIT.OK;
  },
};
