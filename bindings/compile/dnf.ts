/**
 * Rule bodies → disjunctive normal form. Each conjunction is a list of items: IR-ready
 * pieces, or a negated sub-expression that normalize.ts turns into a `not` literal.
 */
import type { Span } from "../api/span.js";
import type { Expr, Term } from "../polar/ast.js";
import type { CmpKind } from "./ir.js";

/** Every item remembers the expression it came from (`source`), for variable-name queries. */
export type DnfItem = { readonly source: Expr; readonly span: Span } & (
  | { readonly k: "call"; readonly pred: string; readonly args: readonly Term[] }
  | { readonly k: "cmp"; readonly op: CmpKind; readonly a: Term; readonly b: Term }
  | { readonly k: "in"; readonly t: Term; readonly list: readonly Term[] }
  | { readonly k: "isa"; readonly t: Term; readonly type: string }
  | { readonly k: "not"; readonly body: Expr }
);

export type Conjunction = readonly DnfItem[];

/** Above this many conjunctions a body is rejected rather than expanded. */
export const MAX_CONJUNCTIONS = 4096;

export class DnfTooLarge extends Error {}

const CMP: Record<string, CmpKind> = { "=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

export function toDnf(e: Expr): Conjunction[] {
  switch (e.kind) {
    case "call":
      return [[{ k: "call", pred: e.name.name, args: e.args, source: e, span: e.span }]];
    case "cmp":
      return [[{ k: "cmp", op: CMP[e.op]!, a: e.left, b: e.right, source: e, span: e.span }]];
    case "in":
      return [[{ k: "in", t: e.term, list: e.list, source: e, span: e.span }]];
    case "matches":
      return [[{ k: "isa", t: e.term, type: e.type.name, source: e, span: e.span }]];
    case "bool":
      return e.value ? [[]] : [];
    case "not":
      return [[{ k: "not", body: e.body, source: e, span: e.span }]];
    case "or":
      return e.items.flatMap(toDnf);
    case "and": {
      let acc: Conjunction[] = [[]];
      for (const item of e.items) {
        const next: Conjunction[] = [];
        for (const right of toDnf(item)) for (const left of acc) next.push([...left, ...right]);
        if (next.length > MAX_CONJUNCTIONS) throw new DnfTooLarge();
        acc = next;
      }
      return acc;
    }
  }
}

/** Names of the variables (other than `_`) in an expression. */
export function exprVarNames(e: Expr, out: Set<string> = new Set()): Set<string> {
  const term = (t: Term): void => {
    if (t.kind === "var" && t.name !== "_") out.add(t.name);
  };
  switch (e.kind) {
    case "call":
      e.args.forEach(term);
      break;
    case "cmp":
      term(e.left);
      term(e.right);
      break;
    case "in":
      term(e.term);
      e.list.forEach(term);
      break;
    case "matches":
      term(e.term);
      break;
    case "bool":
      break;
    case "not":
      exprVarNames(e.body, out);
      break;
    case "and":
    case "or":
      for (const i of e.items) exprVarNames(i, out);
      break;
  }
  return out;
}

export function itemVarNames(item: DnfItem, out: Set<string> = new Set()): Set<string> {
  return exprVarNames(item.source, out);
}
