/**
 * After a new policy is saved, mark every stored fact usable or not under it (the store keeps
 * unusable facts but leaves them out of questions) and report the unusable ones as warnings.
 * Shared by `boreal policy` and the server's `POST /policy`.
 */
import { type Diagnostic, diagnostic, isBorealError } from "../api/errors.js";
import type { AuthorizationEngine, Fact, TypedValue } from "../api/types.js";
import { type Store, splitArgs } from "../store/index.js";
import { formatCliFact } from "./args.js";
import { checkFacts } from "./session.js";

/** Warnings name at most this many facts one by one; the rest are counted in one more. */
const MAX_LISTED = 100;

/**
 * Mark each stored fact usable or not under the engine's (new) policy. Fact validation
 * depends only on the predicate and the argument types, so one engine check per distinct
 * shape decides every fact of that shape.
 */
export function reclassifyFacts(store: Store, engine: AuthorizationEngine): Diagnostic[] {
  const values = store.valueTable();
  const verdicts = new Map<string, string | undefined>();
  const toUsable: number[] = [];
  const toUnusable: number[] = [];
  const warnings: Diagnostic[] = [];
  let more = 0;
  for (const [seq, pred, args, usable] of store.rows()) {
    const vals: TypedValue[] = splitArgs(args).map((v) => values[v]!);
    const shape = `${pred}(${vals.map((v) => v.type).join(",")})`;
    let problem = verdicts.get(shape);
    if (!verdicts.has(shape)) {
      const failed = checkFacts(engine, [[pred, ...vals] as Fact]);
      problem = failed === undefined ? undefined : isBorealError(failed.error) ? failed.error.message : String(failed.error);
      verdicts.set(shape, problem);
    }
    if (problem === undefined) {
      if (usable === 0) toUsable.push(seq);
      continue;
    }
    if (usable === 1) toUnusable.push(seq);
    if (warnings.length < MAX_LISTED) {
      warnings.push(diagnostic(
        "W_UNUSABLE_FACT",
        `the stored fact \`${formatCliFact(pred, vals)}\` cannot be used by this policy: ${problem}`,
        "the fact is kept; delete it or change the policy to use it",
        undefined,
        "warning",
      ));
    } else {
      more++;
    }
  }
  store.setUsable(toUsable, true);
  store.setUsable(toUnusable, false);
  if (more > 0) {
    warnings.push(diagnostic("W_UNUSABLE_FACT", `${more} more stored facts cannot be used by this policy`, "the facts are kept; delete them or change the policy to use them", undefined, "warning"));
  }
  return warnings;
}
