/**
 * The front-end pipeline: policy text → parse → check → desugar → compile (IR, stratify,
 * range restriction, signatures, tests). `analyzePolicy` never throws and reports every
 * diagnostic; `compilePolicy` throws a PolarError when there is any error.
 */
import { diagnostic, PolarError, type Diagnostic } from "../api/errors.js";
import type { PolicySource } from "../api/types.js";
import type { Policy, SourceFile } from "../polar/ast.js";
import { checkPolicy } from "../polar/check/index.js";
import { desugarPolicy, type DesugaredRule } from "../polar/desugar/index.js";
import type { PolicyModel } from "../polar/model.js";
import { parsePolicy } from "../polar/parser.js";
import { predKey, type PredInfo, type PredKey, type Program } from "./ir.js";
import { isInternalPredicate, NEGATION_PREFIX, RuleCompiler } from "./normalize.js";
import { collectSignatures } from "./signatures.js";
import { stratify } from "./stratify.js";
import { compileTests } from "./tests.js";

/** The filename used when a policy is given as one string. */
export const DEFAULT_FILENAME = "policy.polar";

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  readonly policy?: Policy;
  readonly model?: PolicyModel;
  readonly rules?: readonly DesugaredRule[];
  /** Present when there are no errors. */
  readonly program?: Program;
}

export function toSourceFiles(source: PolicySource): SourceFile[] | Diagnostic {
  if (typeof source === "string") return [{ filename: DEFAULT_FILENAME, src: source }];
  if (Array.isArray(source) && source.length > 0 && source.every((f) => f !== null && typeof f === "object" && typeof f.src === "string" && typeof f.filename === "string")) {
    return source.map((f) => ({ filename: f.filename, src: f.src }));
  }
  return diagnostic("E_BAD_POLICY_SOURCE", "a policy must be a string or a non-empty array of `{ filename, src }`", "pass the policy text, or `[{ filename: \"a.polar\", src }]` for several files");
}

function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Errors first, then by file (in load order) and position. */
function sortDiagnostics(diags: readonly Diagnostic[], files: readonly SourceFile[]): Diagnostic[] {
  const fileIndex = new Map(files.map((f, i) => [f.filename, i]));
  const key = (d: Diagnostic): [number, number, number] => [d.severity === "error" ? 0 : 1, fileIndex.get(d.span?.file ?? "") ?? -1, d.span?.start ?? -1];
  return [...diags].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

export function analyzePolicy(source: PolicySource): Analysis {
  const files = toSourceFiles(source);
  if (!Array.isArray(files)) return { diagnostics: [files] };

  const parsed = parsePolicy(files);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: sortDiagnostics(parsed.diagnostics, files), policy: parsed.policy };
  const policy = parsed.policy;

  // Compile even when the checker found errors, so rule-level errors (range restriction,
  // negation cycles) are reported in the same pass; invalid shorthand simply expands to nothing.
  const checked = checkPolicy(policy);
  const early = [...parsed.diagnostics, ...checked.diagnostics];
  const model = checked.model;

  const rules = desugarPolicy(policy, model);
  const compiler = new RuleCompiler();
  for (const r of rules) compiler.add(r.rule, r.origin);
  const tests = compileTests(policy, compiler);

  const declared = policy.files.flatMap((f) => f.items.flatMap((i) => (i.kind === "declare" ? [{ pred: predKey(i.name.name, i.types.length), types: i.types.map((t) => t.name) }] : [])));
  const strata = stratify(compiler.rules, declared.map((d) => d.pred));
  const diagnostics = sortDiagnostics([...early, ...compiler.diagnostics, ...strata.diagnostics], files);
  if (hasErrors(diagnostics)) return { diagnostics, policy, model, rules };

  const rulesByPred = new Map<PredKey, number[]>();
  for (const r of compiler.rules) {
    let list = rulesByPred.get(r.pred);
    if (list === undefined) rulesByPred.set(r.pred, (list = []));
    list.push(r.id);
  }
  const preds = new Map<PredKey, PredInfo>();
  for (const [i, component] of strata.components.entries()) {
    for (const key of component) {
      const slash = key.lastIndexOf("/");
      const name = key.slice(0, slash);
      preds.set(key, { key, name, arity: Number(key.slice(slash + 1)), rules: rulesByPred.get(key) ?? [], stratum: i, internal: isInternalPredicate(name), demandOnly: name.startsWith(NEGATION_PREFIX) });
    }
  }
  const program: Program = {
    rules: compiler.rules,
    preds,
    strata: strata.components,
    signatures: collectSignatures(compiler.rules, declared, model.types),
    types: model.types,
    blocks: model.blocks,
    tests,
    warnings: diagnostics.filter((d) => d.severity === "warning"),
  };
  return { diagnostics, policy, model, rules, program };
}

/** Compile a policy, or throw a PolarError carrying every diagnostic. */
export function compilePolicy(source: PolicySource): Program {
  const analysis = analyzePolicy(source);
  if (analysis.program === undefined) throw PolarError.fromDiagnostics(analysis.diagnostics);
  return analysis.program;
}
