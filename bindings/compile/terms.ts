/** AST terms → canonical values / IR terms, and variable numbering within one rule. */
import type { TypedValue } from "../api/types.js";
import type { Term } from "../polar/ast.js";
import type { IRTerm } from "./ir.js";

/** The canonical value of a literal or object literal term (undefined for variables and `now`). */
export function literalValue(t: Term): TypedValue | undefined {
  switch (t.kind) {
    case "string":
      return { type: "String", id: t.value };
    case "integer":
      return { type: "Integer", id: t.value.toString() };
    case "boolean":
      return { type: "Boolean", id: String(t.value) };
    case "object": {
      const inner = t.value;
      const id = inner.kind === "string" ? inner.value : inner.kind === "integer" ? inner.value.toString() : String(inner.value);
      return { type: t.type.name, id };
    }
    default:
      return undefined;
  }
}

/** Numbers the variables of one rule by name; every `_` is a fresh variable. */
export class VarScope {
  private readonly byName = new Map<string, number>();
  readonly names: string[] = [];
  private anon = 0;

  variable(name: string): number {
    if (name === "_") {
      const id = this.names.length;
      this.names.push(`_${this.anon++}`);
      return id;
    }
    let id = this.byName.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.byName.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  lookup(name: string): number | undefined {
    return this.byName.get(name);
  }

  term(t: Term): IRTerm {
    if (t.kind === "var") return { k: "var", v: this.variable(t.name) };
    if (t.kind === "now") return { k: "now" };
    return { k: "const", value: literalValue(t)! };
  }
}

export function termVars(terms: readonly IRTerm[], out: Set<number> = new Set()): Set<number> {
  for (const t of terms) if (t.k === "var") out.add(t.v);
  return out;
}
