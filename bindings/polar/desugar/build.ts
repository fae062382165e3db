/** Small constructors for AST nodes that desugaring synthesises (all carry a source span). */
import type { Span } from "../../api/span.js";
import type { AndExpr, CallExpr, Expr, MatchesExpr, Name, OrExpr, Param, Rule, StringTerm, Term, VarTerm } from "../ast.js";

export function name(text: string, span: Span): Name {
  return { name: text, span };
}

export function v(text: string, span: Span): VarTerm {
  return { kind: "var", name: text, span };
}

export function str(value: string, span: Span): StringTerm {
  return { kind: "string", value, span };
}

export function call(pred: string, args: readonly Term[], span: Span): CallExpr {
  return { kind: "call", name: name(pred, span), args, span };
}

export function matches(variable: string, type: string, span: Span): MatchesExpr {
  return { kind: "matches", term: v(variable, span), type: name(type, span), span };
}

/** `a and b and ...`, flattening nested ands; a single item stays itself. */
export function and(items: readonly Expr[], span: Span): Expr {
  const flat: Expr[] = [];
  for (const item of items) {
    if (item.kind === "and") flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 1) return flat[0]!;
  const node: AndExpr = { kind: "and", items: flat, span };
  return node;
}

export function or(items: readonly Expr[], span: Span): Expr {
  if (items.length === 1) return items[0]!;
  const node: OrExpr = { kind: "or", items, span };
  return node;
}

export function param(term: Term, type: string | undefined, span: Span): Param {
  return type === undefined ? { term, span } : { term, type: name(type, span), span };
}

export function rule(pred: string, params: readonly Param[], body: Expr | undefined, span: Span): Rule {
  const base = { kind: "rule" as const, flags: [], name: name(pred, span), params, span };
  return body === undefined ? base : { ...base, body };
}
