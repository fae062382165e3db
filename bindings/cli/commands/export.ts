/** `boreal export`: every stored fact as JSON Lines on stdout, in insertion order. */
import { splitArgs } from "../../store/index.js";
import { formatFactLine } from "../../store/jsonl.js";
import type { CommandSpec } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { openStore } from "../session.js";

export const exportFacts: CommandSpec = {
  name: "export",
  args: "",
  summary: "print every stored fact as JSON Lines (the input format of `import`)",
  examples: ["boreal export > facts.jsonl"],
  async run({ out, dir }) {
    const store = openStore(dir, false);
    if (store === undefined) return EXIT.OK;
    try {
      store.read(() => {
        const values = store.valueTable();
        out.lines((function* () {
          for (const [, pred, args] of store.rows()) yield formatFactLine(pred, splitArgs(args).map((v) => values[v]!));
        })());
      });
    } finally {
      store.close();
    }
    return EXIT.OK;
  },
};
