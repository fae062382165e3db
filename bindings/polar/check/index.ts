/**
 * The policy checker: builds the PolicyModel (types and blocks) and validates everything the
 * parser cannot (spec §9, DESIGN §4). Never throws; returns every diagnostic, errors and
 * warnings, sorted by file order and then position. Stratification and range restriction
 * (V19, V20) are the compiler's job.
 */
import { diagnostic, type Diagnostic } from "../../api/errors.js";
import type { Policy } from "../ast.js";
import { BUILTIN_TYPES, type PolicyModel } from "../model.js";
import { checkBlocks } from "./blocks.js";
import { Reporter } from "./context.js";
import { buildBlocks, collectBlocks } from "./model-builder.js";
import { buildPredIndex } from "./predicates.js";
import { checkRules } from "./rules.js";
import { checkTerms } from "./terms.js";
import { checkTests } from "./tests.js";
import { buildTypes } from "./types.js";
import { checkSingletons } from "./variables.js";

export { suggest } from "./suggest.js";

export function checkPolicy(policy: Policy): { model: PolicyModel; diagnostics: Diagnostic[] } {
  const rep = new Reporter();
  let model: PolicyModel = { types: new Map(BUILTIN_TYPES.map((t) => [t.name, t])), blocks: new Map() };
  try {
    const collected = collectBlocks(policy, rep);
    const { types, supers } = buildTypes(policy, collected, rep);
    const blocks = buildBlocks(collected, supers, rep);
    model = { types, blocks };
    const index = buildPredIndex(policy, blocks);
    checkBlocks(policy, model, index, rep);
    checkRules(policy, model, index, rep);
    checkTests(policy, index, rep);
    checkTerms(policy, rep);
    checkSingletons(policy, rep);
  } catch (e) {
    // A checker bug must not take the caller down: report it as a diagnostic instead.
    rep.diagnostics.push(
      diagnostic(
        "E_INTERNAL",
        `internal checker error: ${e instanceof Error ? e.message : String(e)}`,
        "please report this policy as a bug in boreal",
      ),
    );
  }
  return { model, diagnostics: sortDiagnostics(policy, rep.diagnostics) };
}

/** Stable sort: by file (in the policy's order), then start offset; diagnostics without a span last. */
export function sortDiagnostics(policy: Policy, diags: readonly Diagnostic[]): Diagnostic[] {
  const fileIndex = new Map<string, number>();
  policy.files.forEach((f, i) => {
    if (!fileIndex.has(f.filename)) fileIndex.set(f.filename, i);
  });
  const key = (d: Diagnostic): [number, number, number] =>
    d.span === undefined ? [Number.MAX_SAFE_INTEGER, 0, 0] : [fileIndex.get(d.span.file) ?? policy.files.length, d.span.start, d.span.end];
  return diags
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.d);
}
