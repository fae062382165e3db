/** `boreal clear --confirm`: delete every stored fact (the policy stays). */
import type { CommandSpec } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { openStore } from "../session.js";
import { UsageError } from "../usage.js";

export const clear: CommandSpec = {
  name: "clear",
  args: "",
  summary: "delete every stored fact (needs --confirm; the policy stays)",
  examples: ["boreal clear --confirm"],
  options: (cmd) => cmd.option("--confirm", "really delete every fact"),
  async run({ out, dir, opts }) {
    if (opts["confirm"] !== true) throw new UsageError("`clear` deletes every stored fact; add --confirm to do it");
    const store = openStore(dir, false);
    let deleted = 0;
    if (store !== undefined) {
      try {
        deleted = store.write(() => store.clearFacts());
      } finally {
        store.close();
      }
    }
    if (out.json) out.data({ deleted });
    else out.message(`deleted ${deleted} fact${deleted === 1 ? "" : "s"}`);
    return EXIT.OK;
  },
};
