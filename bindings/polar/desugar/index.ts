/**
 * Desugaring: a checked policy → its plain rules. Shorthand rules in blocks expand per
 * polar-spec.md §5; the built-in `allow(actor, action, resource) if has_permission(actor,
 * action, resource);` is added only when the policy defines no `allow/3` (DESIGN §4.2).
 */
import { NO_SPAN } from "../../api/span.js";
import type { Policy, Rule } from "../ast.js";
import type { PolicyModel } from "../model.js";
import { call, param, rule, v } from "./build.js";
import { expandShorthand } from "./shorthand.js";

export interface DesugaredRule {
  readonly rule: Rule;
  readonly origin: "rule" | "shorthand" | "builtin";
}

export function builtinAllow(): Rule {
  const s = NO_SPAN;
  return rule(
    "allow",
    [param(v("actor", s), undefined, s), param(v("action", s), undefined, s), param(v("resource", s), undefined, s)],
    call("has_permission", [v("actor", s), v("action", s), v("resource", s)], s),
    s,
  );
}

export function desugarPolicy(policy: Policy, model: PolicyModel): DesugaredRule[] {
  const out: DesugaredRule[] = [];
  let definesAllow = false;
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind === "rule") {
        out.push({ rule: item, origin: "rule" });
        if (item.name.name === "allow" && item.params.length === 3) definesAllow = true;
      } else if (item.kind === "block") {
        for (const sh of item.shorthand) {
          for (const r of expandShorthand(model, item, sh)) out.push({ rule: r, origin: "shorthand" });
        }
      }
    }
  }
  if (!definesAllow) out.push({ rule: builtinAllow(), origin: "builtin" });
  return out;
}
