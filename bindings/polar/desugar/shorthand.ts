/**
 * Shorthand rules → plain rules, exactly per polar-spec.md §5.2 (rows S1–S14, G1–G2).
 * Inside a block for type `R`, heads are `(actor: Actor, "name", resource: R)`; in the global
 * block `(actor: Actor, "name")`. `"x" on "rel"` introduces a fresh variable for the related
 * object, typed with the relation's target: `rel matches T and has_relation(resource, "rel", rel)
 * and <x about rel>`. Each `on` gets its own variable (the conjunction is existential per atom).
 */
import type { Span } from "../../api/span.js";
import type { BlockInfo } from "../../compile/ir.js";
import type { Block, Expr, ShorthandExpr, ShorthandRule, ShorthandTerm, Term } from "../ast.js";
import type { PolicyModel } from "../model.js";
import { and, call, matches, or, param, rule, str, v } from "./build.js";
import type { Rule } from "../ast.js";

export const ACTOR_VAR = "actor";
export const RESOURCE_VAR = "resource";

type Kind = "role" | "permission" | "relation";

function classify(block: BlockInfo, term: string): Kind | undefined {
  if (block.roles.includes(term)) return "role";
  if (block.permissions.includes(term)) return "permission";
  if (block.relations.has(term)) return "relation";
  return undefined;
}

/** The predicate a variable head or variable `on` term stands for (the checker allows only `role` and `permission`). */
export function variableKind(variable: string): "role" | "permission" {
  return variable === "permission" ? "permission" : "role";
}

class Expander {
  private fresh = new Map<string, number>();

  constructor(private readonly model: PolicyModel, private readonly block: BlockInfo) {}

  /** A fresh variable named after the relation: `parent`, then `parent_2`, ... */
  private relatedVar(relation: string): string {
    const n = (this.fresh.get(relation) ?? 0) + 1;
    this.fresh.set(relation, n);
    return n === 1 ? relation : `${relation}_${n}`;
  }

  /** The atom saying that `term` (declared in `block`) holds for `subject`. */
  private atom(block: BlockInfo, term: ShorthandTerm, subject: string, span: Span): Expr | undefined {
    const actor = v(ACTOR_VAR, span);
    const subj = v(subject, span);
    if (term.kind === "var") {
      const pred = variableKind(term.name) === "role" ? "has_role" : "has_permission";
      return call(pred, [actor, v(term.name, term.span), subj], span);
    }
    const kind = classify(block, term.value);
    const lit = str(term.value, term.span);
    if (block.kind === "global") {
      if (kind === "role") return call("has_role", [actor, lit], span);
      if (kind === "permission") return call("has_permission", [actor, lit], span);
      return undefined;
    }
    switch (kind) {
      case "role":
        return call("has_role", [actor, lit, subj], span);
      case "permission":
        return call("has_permission", [actor, lit, subj], span);
      case "relation":
        return call("has_relation", [subj, lit, actor], span);
      default:
        return undefined;
    }
  }

  body(expr: ShorthandExpr): Expr | undefined {
    switch (expr.kind) {
      case "sh_term":
        return this.atom(this.block, expr.term, RESOURCE_VAR, expr.span);
      case "sh_global": {
        const global = this.model.blocks.get("global");
        return global === undefined ? undefined : this.atom(global, expr.term, RESOURCE_VAR, expr.span);
      }
      case "sh_on": {
        if (expr.relation.kind !== "string") return undefined;
        const relation = expr.relation.value;
        const target = this.block.relations.get(relation);
        const targetBlock = target === undefined ? undefined : this.model.blocks.get(target);
        if (target === undefined || targetBlock === undefined) return undefined;
        const related = this.relatedVar(relation);
        const inner = this.atom(targetBlock, expr.term, related, expr.span);
        if (inner === undefined) return undefined;
        const link = call("has_relation", [v(RESOURCE_VAR, expr.span), str(relation, expr.relation.span), v(related, expr.span)], expr.span);
        return and([matches(related, target, expr.span), link, inner], expr.span);
      }
      case "sh_call":
        return expr.call;
      case "sh_and":
      case "sh_or": {
        const parts: Expr[] = [];
        for (const item of expr.items) {
          const part = this.body(item);
          if (part === undefined) return undefined;
          parts.push(part);
        }
        return expr.kind === "sh_and" ? and(parts, expr.span) : or(parts, expr.span);
      }
    }
  }
}

function headPredicate(block: BlockInfo, head: ShorthandTerm): string | undefined {
  if (head.kind === "var") return variableKind(head.name) === "role" ? "has_role" : "has_permission";
  const kind = classify(block, head.value);
  if (kind === "role") return "has_role";
  if (kind === "permission") return "has_permission";
  return undefined;
}

/**
 * Expand one shorthand rule. Returns no rules when the rule is invalid (the checker has
 * already reported why). A top-level `or` becomes one rule per branch (row S13).
 */
export function expandShorthand(model: PolicyModel, block: Block, sh: ShorthandRule): Rule[] {
  const blockName = block.blockKind === "global" ? "global" : block.name?.name;
  const info = blockName === undefined ? undefined : model.blocks.get(blockName);
  if (info === undefined) return [];
  const pred = headPredicate(info, sh.head);
  if (pred === undefined) return [];

  const span = sh.span;
  const headName: Term = sh.head.kind === "var" ? v(sh.head.name, sh.head.span) : str(sh.head.value, sh.head.span);
  const params = [param(v(ACTOR_VAR, span), "Actor", span), param(headName, sh.head.kind === "var" ? "String" : undefined, sh.head.span)];
  if (info.kind !== "global") params.push(param(v(RESOURCE_VAR, span), info.name, span));

  const branches = sh.body.kind === "sh_or" ? sh.body.items : [sh.body];
  const rules: Rule[] = [];
  for (const branch of branches) {
    const body = new Expander(model, info).body(branch);
    if (body === undefined) return [];
    rules.push(rule(pred, params, body, span));
  }
  return rules;
}
