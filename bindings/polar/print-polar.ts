/** Print AST terms, expressions and rules back as Polar source (used for desugar dumps and messages). */
import type { Expr, Param, Rule, Term } from "./ast.js";

export function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t").replace(/\0/g, "\\0")}"`;
}

export function printTerm(t: Term): string {
  switch (t.kind) {
    case "var":
      return t.name;
    case "string":
      return quote(t.value);
    case "integer":
      return t.value.toString();
    case "boolean":
      return String(t.value);
    case "object":
      return `${t.type.name}{${printTerm(t.value)}}`;
    case "now":
      return "@current_unix_time";
  }
}

export function printParam(p: Param): string {
  return p.type === undefined ? printTerm(p.term) : `${printTerm(p.term)}: ${p.type.name}`;
}

/** `prec`: 0 = or, 1 = and, 2 = not/atom. Parenthesise when a lower-precedence node sits inside a higher one. */
export function printExpr(e: Expr, prec = 0): string {
  switch (e.kind) {
    case "call":
      return `${e.name.name}(${e.args.map(printTerm).join(", ")})`;
    case "cmp":
      return `${printTerm(e.left)} ${e.op} ${printTerm(e.right)}`;
    case "in":
      return `${printTerm(e.term)} in [${e.list.map(printTerm).join(", ")}]`;
    case "matches":
      return `${printTerm(e.term)} matches ${e.type.name}`;
    case "bool":
      return String(e.value);
    case "not":
      return `not ${printExpr(e.body, 2)}`;
    case "and": {
      const s = e.items.map((i) => printExpr(i, 1)).join(" and ");
      return prec > 1 ? `(${s})` : s;
    }
    case "or": {
      const s = e.items.map((i) => printExpr(i, 0)).join(" or ");
      return prec > 0 ? `(${s})` : s;
    }
  }
}

export function printRule(r: Rule): string {
  const head = `${r.name.name}(${r.params.map(printParam).join(", ")})`;
  return r.body === undefined ? `${head};` : `${head} if ${printExpr(r.body)};`;
}
