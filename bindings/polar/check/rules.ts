/**
 * Longhand rules, rule types and inline queries: rule flags, possible typos in body calls,
 * V17 (every rule of a predicate that has a `type` must match one), and V14 for inline queries.
 */
import { predKey, type PredKey } from "../../compile/ir.js";
import type { Name, Param, Policy, Rule, RuleType } from "../ast.js";
import { isSubtype, type PolicyModel } from "../model.js";
import { literalType, renderHead, renderTerm, type Reporter } from "./context.js";
import { checkCallTypo, checkKnownPredicate, type PredIndex } from "./predicates.js";
import { exprCalls } from "./walk.js";

/** Rule flags boreal understands. Oso documents none ("for internal use only"), so every flag is unknown. */
const KNOWN_FLAGS: ReadonlySet<string> = new Set<string>();

export function checkFlags(flags: readonly Name[], rep: Reporter): void {
  for (const f of flags) {
    const name = f.name.startsWith("@") ? f.name.slice(1) : f.name;
    if (KNOWN_FLAGS.has(name)) continue;
    // The parser's span covers the identifier after `@`; report the whole flag.
    const span = f.name.startsWith("@") || f.span.column <= 1 ? f.span : { ...f.span, start: f.span.start - 1, column: f.span.column - 1 };
    rep.warn("W_UNKNOWN_FLAG", `unknown rule flag \`@${name}\``, "remove it: rule flags are for internal use and boreal ignores them", span);
  }
}

export function checkRules(policy: Policy, model: PolicyModel, index: PredIndex, rep: Reporter): void {
  const ruleTypes = new Map<PredKey, RuleType[]>();
  const rules: Rule[] = [];
  for (const file of policy.files) {
    for (const item of file.items) {
      switch (item.kind) {
        case "rule":
          checkFlags(item.flags, rep);
          if (item.body !== undefined) {
            for (const c of exprCalls(item.body)) checkCallTypo(c.name, c.args.length, index, rep);
          }
          rules.push(item);
          break;
        case "rule_type": {
          const key = predKey(item.name.name, item.params.length);
          const list = ruleTypes.get(key);
          if (list === undefined) ruleTypes.set(key, [item]);
          else list.push(item);
          break;
        }
        case "inline_query":
          for (const c of exprCalls(item.body)) checkKnownPredicate(c.name, c.args.length, index, rep);
          break;
        default:
          break;
      }
    }
  }
  for (const r of rules) {
    const types = ruleTypes.get(predKey(r.name.name, r.params.length));
    if (types === undefined || types.some((t) => matchesRuleType(r, t, model))) continue;
    const shown = types.map((t) => `\`type ${renderHead(t.name.name, t.params)}\``).join(", ");
    rep.error(
      "E_RULE_TYPE_MISMATCH",
      `rule \`${renderHead(r.name.name, r.params)}\` does not match any rule type for \`${r.name.name}/${r.params.length}\``,
      `change its parameters to match ${types.length === 1 ? shown : `one of ${shown}`}`,
      r.name.span,
    );
  }
}

/** Simple V17: literals must be equal; specialised parameters must be subtypes; unspecialised variables match. */
function matchesRuleType(rule: Rule, type: RuleType, model: PolicyModel): boolean {
  return rule.params.every((p, i) => {
    const t = type.params[i];
    return t === undefined || paramMatches(p, t, model);
  });
}

function paramMatches(p: Param, t: Param, model: PolicyModel): boolean {
  if (t.term.kind !== "var") return p.term.kind !== "var" && renderTerm(p.term) === renderTerm(t.term);
  if (t.type === undefined) return true;
  const want = t.type.name;
  if (p.type !== undefined) return isSubtype(model.types, p.type.name, want);
  const lit = literalType(p.term);
  return lit === undefined || isSubtype(model.types, lit, want);
}
