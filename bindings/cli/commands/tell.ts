/** `boreal tell PRED ARG…`: store one fact, after the saved policy's engine accepts it. */
import type { AuthorizationEngine, Fact } from "../../api/types.js";
import type { PolicyFile } from "../../store/index.js";
import { jsonValue } from "../../store/jsonl.js";
import { formatCliFact, parseFactWords } from "../args.js";
import type { CommandSpec } from "../command.js";
import { createEngine } from "../engine.js";
import { EXIT } from "../exit-codes.js";
import { checkFacts, noPolicy, openStore } from "../session.js";

function validate(engine: AuthorizationEngine, policy: readonly PolicyFile[], fact: Fact): void {
  engine.policy(policy);
  const failed = checkFacts(engine, [fact]);
  if (failed !== undefined) throw failed.error;
}

function samePolicy(a: readonly PolicyFile[], b: readonly PolicyFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.filename === b[i]!.filename && f.src === b[i]!.src);
}

export const tell: CommandSpec = {
  name: "tell",
  args: "<predicate> [args...]",
  summary: "store a fact (checked against the saved policy)",
  examples: ["boreal tell has_role User:bob owner Repo:anvil", "boreal tell is_protected Repo:anvil Boolean:true"],
  async run({ out, dir }, words) {
    const [pred, ...args] = parseFactWords(words);
    const engine = await createEngine();
    const store = openStore(dir, false);
    if (store === undefined) throw noPolicy(dir);
    let inserted: boolean;
    try {
      // Compile and validate before taking the write lock (validation depends only on the
      // policy, so the stored facts are not loaded); inside the transaction, redo it only if
      // another command saved a different policy in between.
      const policy = store.read(() => store.policy());
      if (policy === undefined) throw noPolicy(dir);
      validate(engine, policy, [pred, ...args]);
      inserted = store.write(() => {
        const now = store.policy();
        if (now === undefined) throw noPolicy(dir);
        if (!samePolicy(now, policy)) validate(engine, now, [pred, ...args]);
        return store.insertFact(pred, args);
      });
    } finally {
      store.close();
    }
    if (out.json) out.data({ inserted, fact: [pred, ...args.map(jsonValue)] });
    else out.message(`${inserted ? "stored" : "already stored"}: ${formatCliFact(pred, args)}`);
    return EXIT.OK;
  },
};
