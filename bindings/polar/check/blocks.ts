/**
 * Shorthand rules inside blocks (spec §5): every string must be declared in the block (V10),
 * heads must be roles or permissions, `on` must follow a relation to a declared block whose
 * block declares the left-hand term (V11, V12), `global "x"` must name a global role or
 * permission (V18), and only `actor`/`resource` may appear as variables in calls.
 */
import type { BlockInfo } from "../../compile/ir.js";
import type { Block, Policy, ShorthandExpr, ShorthandRule, ShorthandTerm, StringTerm } from "../ast.js";
import type { PolicyModel } from "../model.js";
import { blockLabel, type Reporter } from "./context.js";
import { checkCallTypo, type PredIndex } from "./predicates.js";
import { checkFlags } from "./rules.js";
import { suggest } from "./suggest.js";
import { shorthandNodes } from "./walk.js";

type Kind = "role" | "permission" | "relation";

function classify(info: BlockInfo | undefined, s: string): Kind | undefined {
  if (info === undefined) return undefined;
  if (info.roles.includes(s)) return "role";
  if (info.permissions.includes(s)) return "permission";
  if (info.relations.has(s)) return "relation";
  return undefined;
}

function names(info: BlockInfo | undefined, kinds: readonly Kind[] = ["role", "permission", "relation"]): string[] {
  if (info === undefined) return [];
  return [
    ...(kinds.includes("role") ? info.roles : []),
    ...(kinds.includes("permission") ? info.permissions : []),
    ...(kinds.includes("relation") ? info.relations.keys() : []),
  ];
}

class ShorthandChecker {
  constructor(
    private readonly model: PolicyModel,
    private readonly index: PredIndex,
    private readonly rep: Reporter,
    private readonly blockName: string,
  ) {}

  private get info(): BlockInfo | undefined {
    return this.model.blocks.get(this.blockName);
  }

  private get isGlobal(): boolean {
    return this.blockName === "global";
  }

  check(rule: ShorthandRule): void {
    checkFlags(rule.flags, this.rep);
    const head = rule.head;
    if (head.kind === "var") {
      this.checkVariableHead(rule, head);
      return;
    }
    const kind = classify(this.info, head.value);
    if (kind === "relation") {
      this.rep.error(
        "E_HEAD_NOT_ROLE_OR_PERMISSION",
        `\`${head.value}\` is a relation of ${blockLabel(this.blockName)} and cannot be the head of a shorthand rule`,
        "the head of a shorthand rule must be a role or a permission",
        head.span,
      );
    } else if (kind === undefined) {
      this.undeclared(head, ["role", "permission"]);
    }
    this.checkBody(rule.body);
  }

  /** `role if role on "parent";` is the only form a variable head may take. */
  private checkVariableHead(rule: ShorthandRule, head: ShorthandTerm & { kind: "var" }): void {
    if (head.name !== "role" && head.name !== "permission") {
      this.rep.error(
        "E_SHORTHAND_VARIABLE_HEAD",
        `variable head \`${head.name}\` must be \`role\` or \`permission\``,
        'write `role if role on "<relation>";` or `permission if permission on "<relation>";`',
        head.span,
      );
      return;
    }
    const b = rule.body;
    if (b.kind !== "sh_on" || b.term.kind !== "var" || b.term.name !== head.name) {
      this.rep.error(
        "E_SHORTHAND_VARIABLE_HEAD",
        `a shorthand rule with variable head \`${head.name}\` must have the body \`${head.name} on "<relation>"\``,
        `write \`${head.name} if ${head.name} on "<relation>";\`, or use a quoted ${head.name} name as the head`,
        b.span,
      );
      return;
    }
    this.checkOn(b, true);
  }

  private checkBody(body: ShorthandExpr): void {
    for (const e of shorthandNodes(body)) {
      switch (e.kind) {
        case "sh_term":
          if (e.term.kind === "var") this.variableTerm(e.term);
          else if (classify(this.info, e.term.value) === undefined) this.undeclared(e.term, ["role", "permission", "relation"]);
          break;
        case "sh_on":
          this.checkOn(e, false);
          break;
        case "sh_global":
          this.checkGlobal(e.term);
          break;
        case "sh_call":
          checkCallTypo(e.call.name, e.call.args.length, this.index, this.rep);
          for (const a of e.call.args) {
            if (a.kind !== "var" || a.name.startsWith("_") || a.name === "actor") continue;
            if (a.name === "resource" && !this.isGlobal) continue;
            this.rep.error(
              "E_SHORTHAND_UNKNOWN_VARIABLE",
              `unknown variable \`${a.name}\` in a shorthand rule`,
              this.isGlobal
                ? "only `actor` can be used as a variable in the global block"
                : "only `actor` and `resource` can be used as variables in shorthand rules",
              a.span,
            );
          }
          break;
        default:
          break;
      }
    }
  }

  private checkOn(e: ShorthandExpr & { kind: "sh_on" }, variableTermOk: boolean): void {
    if (this.isGlobal) {
      this.rep.error(
        "E_ON_IN_GLOBAL",
        "`on` cannot be used in the global block",
        "the global block has no relations; move this rule into a resource block",
        e.span,
      );
      return;
    }
    const rel = e.relation;
    if (rel.kind === "var") {
      this.rep.error(
        "E_ON_VARIABLE",
        `the right side of \`on\` must be a quoted relation name, found variable \`${rel.name}\``,
        `quote the relation name, e.g. \`on "${rel.name}"\``,
        rel.span,
      );
      return;
    }
    const info = this.info;
    const target = info?.relations.get(rel.value);
    if (target === undefined) {
      const kind = classify(info, rel.value);
      const near = suggest(rel.value, names(info, ["relation"]));
      this.rep.error(
        "E_UNKNOWN_RELATION",
        kind === undefined
          ? `\`${rel.value}\` is not a relation of ${blockLabel(this.blockName)}`
          : `\`${rel.value}\` is a ${kind} of ${blockLabel(this.blockName)}, not a relation`,
        near !== undefined
          ? `did you mean \`${near}\`?`
          : `the right side of \`on\` must be a relation declared in \`relations = { ${rel.value}: Type };\``,
        rel.span,
      );
      return;
    }
    const targetInfo = this.model.blocks.get(target);
    if (targetInfo === undefined || targetInfo.kind === "global") {
      this.rep.error(
        "E_RELATION_TARGET_NO_BLOCK",
        `relation \`${rel.value}\` of ${blockLabel(this.blockName)} has type \`${target}\`, which has no resource block`,
        `declare it, e.g. \`resource ${target} {}\`, with the roles and permissions used through \`on\``,
        rel.span,
      );
      return;
    }
    const term = e.term;
    if (term.kind === "var") {
      if (!variableTermOk) this.variableTerm(term);
      return;
    }
    if (classify(targetInfo, term.value) === undefined) {
      const near = suggest(term.value, names(targetInfo));
      this.rep.error(
        "E_UNDECLARED_IN_RELATED_BLOCK",
        `\`${term.value}\` is not declared in \`${target}\`, the type of relation \`${rel.value}\``,
        near !== undefined
          ? `did you mean \`${near}\`?`
          : `declare \`${term.value}\` as a role, permission or relation in the \`${target}\` block`,
        term.span,
      );
    }
  }

  private checkGlobal(term: ShorthandTerm): void {
    if (term.kind === "var") {
      this.variableTerm(term);
      return;
    }
    const g = this.model.blocks.get("global");
    const kind = classify(g, term.value);
    if (kind === "role" || kind === "permission") return;
    const near = suggest(term.value, names(g, ["role", "permission"]));
    this.rep.error(
      "E_UNDECLARED_GLOBAL",
      g === undefined
        ? `\`global "${term.value}"\` refers to a global block, but the policy has none`
        : `\`${term.value}\` is not a role or permission of the global block`,
      near !== undefined
        ? `did you mean \`${near}\`?`
        : `declare it in the global block, e.g. \`global { roles = ["${term.value}"]; }\``,
      term.span,
    );
  }

  private variableTerm(t: ShorthandTerm & { kind: "var" }): void {
    this.rep.error(
      "E_SHORTHAND_VARIABLE_TERM",
      `variable \`${t.name}\` cannot be used here in a shorthand rule`,
      'use a quoted role, permission or relation name such as `"reader"`',
      t.span,
    );
  }

  private undeclared(t: StringTerm, kinds: readonly Kind[]): void {
    const near = suggest(t.value, names(this.info, kinds));
    const g = this.model.blocks.get("global");
    const isGlobalName = !this.isGlobal && (g?.roles.includes(t.value) || g?.permissions.includes(t.value));
    this.rep.error(
      "E_UNDECLARED_TERM",
      `undeclared term \`${t.value}\` in ${blockLabel(this.blockName)}`,
      near !== undefined
        ? `did you mean \`${near}\`?`
        : isGlobalName === true
          ? `write \`global "${t.value}"\` to refer to the global ${g?.roles.includes(t.value) === true ? "role" : "permission"}`
          : `declare \`${t.value}\` as a ${kinds.length === 2 ? "role or permission" : "role, permission or relation"} in ${blockLabel(this.blockName)}`,
      t.span,
    );
  }
}

export function checkBlocks(policy: Policy, model: PolicyModel, index: PredIndex, rep: Reporter): void {
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind !== "block") continue;
      const name = blockName(item);
      if (name === undefined) continue;
      const checker = new ShorthandChecker(model, index, rep, name);
      for (const r of item.shorthand) checker.check(r);
    }
  }
}

function blockName(b: Block): string | undefined {
  return b.blockKind === "global" ? "global" : b.name?.name;
}
