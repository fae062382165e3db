/**
 * The predicate index: which `name/arity` pairs a policy defines (rules, shorthand rules,
 * `type`, `declare`, block declarations, the built-in `allow/3`) and which it merely calls.
 * Used for V14 (unknown predicates in tests and queries) and "did you mean" typo warnings.
 */
import { predKey, type BlockInfo, type PredKey } from "../../compile/ir.js";
import type { Name, Policy, ShorthandExpr, ShorthandTerm } from "../ast.js";
import type { Reporter } from "./context.js";
import { suggest } from "./suggest.js";
import { exprCalls, shorthandNodes } from "./walk.js";

export interface PredIndex {
  /** Predicates with rules (written, shorthand or built-in), a `type` or a `declare`, or implied by block declarations. */
  readonly defined: Set<PredKey>;
  /** `defined` plus every predicate called in a rule body. */
  readonly known: Set<PredKey>;
}

function kindPred(block: BlockInfo | undefined, s: string): string | undefined {
  if (block === undefined) return undefined;
  if (block.roles.includes(s)) return "has_role";
  if (block.permissions.includes(s)) return "has_permission";
  if (block.relations.has(s)) return "has_relation";
  return undefined;
}

export function buildPredIndex(policy: Policy, blocks: ReadonlyMap<string, BlockInfo>): PredIndex {
  const defined = new Set<PredKey>([predKey("allow", 3)]);
  const called = new Set<PredKey>([predKey("has_permission", 3)]); // the built-in allow calls it

  for (const b of blocks.values()) {
    const n = b.kind === "global" ? 2 : 3;
    if (b.roles.length > 0) defined.add(predKey("has_role", n));
    if (b.permissions.length > 0) defined.add(predKey("has_permission", n));
    if (b.relations.size > 0) defined.add(predKey("has_relation", 3));
  }

  for (const file of policy.files) {
    for (const item of file.items) {
      switch (item.kind) {
        case "rule":
          defined.add(predKey(item.name.name, item.params.length));
          if (item.body !== undefined) for (const c of exprCalls(item.body)) called.add(predKey(c.name.name, c.args.length));
          break;
        case "rule_type":
          defined.add(predKey(item.name.name, item.params.length));
          break;
        case "declare":
          defined.add(predKey(item.name.name, item.types.length));
          break;
        case "block": {
          const name = item.blockKind === "global" ? "global" : (item.name?.name ?? "");
          const info = blocks.get(name);
          const n = item.blockKind === "global" ? 2 : 3;
          for (const r of item.shorthand) {
            const head = headPred(info, r.head);
            if (head !== undefined) defined.add(predKey(head, n));
            shorthandCalled(r.body, info, head, n, blocks, called);
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return { defined, known: new Set([...defined, ...called]) };
}

function headPred(info: BlockInfo | undefined, head: ShorthandTerm): string | undefined {
  if (head.kind === "var") return head.name === "role" ? "has_role" : head.name === "permission" ? "has_permission" : undefined;
  const p = kindPred(info, head.value);
  return p === "has_relation" ? undefined : p;
}

function shorthandCalled(
  body: ShorthandExpr,
  info: BlockInfo | undefined,
  headPredName: string | undefined,
  n: number,
  blocks: ReadonlyMap<string, BlockInfo>,
  out: Set<PredKey>,
): void {
  const termPred = (b: BlockInfo | undefined, t: ShorthandTerm): string | undefined =>
    t.kind === "var" ? headPredName : kindPred(b, t.value);
  for (const e of shorthandNodes(body)) {
    let p: string | undefined;
    let arity = n;
    switch (e.kind) {
      case "sh_term":
        p = termPred(info, e.term);
        if (p === "has_relation") arity = 3;
        break;
      case "sh_on": {
        out.add(predKey("has_relation", 3));
        const target = e.relation.kind === "string" ? info?.relations.get(e.relation.value) : undefined;
        p = termPred(target === undefined ? undefined : blocks.get(target), e.term);
        arity = 3;
        break;
      }
      case "sh_global":
        p = termPred(blocks.get("global"), e.term);
        arity = p === "has_relation" ? 3 : 2;
        break;
      case "sh_call":
        p = e.call.name.name;
        arity = e.call.args.length;
        break;
      default:
        break;
    }
    if (p !== undefined) out.add(predKey(p, arity));
  }
}

function predNames(keys: Iterable<PredKey>, arity?: number): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    const i = k.lastIndexOf("/");
    if (arity === undefined || k.slice(i + 1) === String(arity)) out.add(k.slice(0, i));
  }
  return [...out];
}

/** V14: a predicate used in a test, `iff` or inline query must be known. */
export function checkKnownPredicate(name: Name, arity: number, index: PredIndex, rep: Reporter): void {
  const key = predKey(name.name, arity);
  if (index.known.has(key)) return;
  const arities = [...index.known].filter((k) => k.slice(0, k.lastIndexOf("/")) === name.name).map((k) => k.slice(k.lastIndexOf("/") + 1));
  let help: string;
  if (arities.length > 0) {
    const list = arities.sort((a, b) => Number(a) - Number(b)).join(" or ");
    help = `\`${name.name}\` takes ${list} argument${list === "1" ? "" : "s"}, not ${arity}`;
  } else {
    const near = suggest(name.name, predNames(index.known, arity)) ?? suggest(name.name, predNames(index.known));
    help = near !== undefined ? `did you mean \`${near}\`?` : `define a rule for \`${name.name}\` or declare its facts with \`declare\``;
  }
  rep.error("E_UNKNOWN_PREDICATE", `unknown predicate \`${key}\``, help, name.span);
}

/** A rule-body call to a predicate with no rules and no `declare` is a fact type, unless it looks like a typo. */
export function checkCallTypo(name: Name, arity: number, index: PredIndex, rep: Reporter): void {
  if (index.defined.has(predKey(name.name, arity))) return;
  const near = suggest(name.name, predNames(index.defined, arity));
  if (near === undefined) return;
  rep.warn(
    "W_POSSIBLE_TYPO",
    `\`${name.name}/${arity}\` has no rules or declaration and looks like a typo of \`${near}/${arity}\``,
    `did you mean \`${near}\`, or is \`${name.name}\` a fact type that needs a \`declare\`?`,
    name.span,
  );
}
