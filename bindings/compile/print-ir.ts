/** Human-readable dump of a compiled Program (the demo's output and the compiler's golden files). */
import type { TypedValue } from "../api/types.js";
import { quote } from "../polar/print-polar.js";
import type { IRRule, IRTerm, Literal, Program } from "./ir.js";

export function printValue(v: TypedValue): string {
  switch (v.type) {
    case "String":
      return quote(v.id);
    case "Integer":
    case "Boolean":
      return v.id;
    default:
      return `${v.type}{${quote(v.id)}}`;
  }
}

function term(t: IRTerm, names: readonly string[]): string {
  if (t.k === "var") return names[t.v] ?? `_v${t.v}`;
  if (t.k === "now") return "@current_unix_time";
  return printValue(t.value);
}

const OPS = { eq: "=", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" } as const;

function predName(key: string): string {
  return key.slice(0, key.lastIndexOf("/"));
}

export function printLiteral(l: Literal, names: readonly string[]): string {
  const args = (ts: readonly IRTerm[]): string => ts.map((t) => term(t, names)).join(", ");
  switch (l.k) {
    case "atom":
      return `${predName(l.pred)}(${args(l.args)})`;
    case "not":
      return `not ${predName(l.pred)}(${args(l.args)})`;
    case "cmp":
      return `${term(l.a, names)} ${OPS[l.op]} ${term(l.b, names)}`;
    case "isa":
      return `${term(l.t, names)} matches ${l.type}`;
    case "in":
      return `${term(l.t, names)} in [${args(l.list)}]`;
  }
}

export function printIRRule(r: IRRule): string {
  const head = `${predName(r.pred)}(${r.head.map((t) => term(t, r.varNames)).join(", ")})`;
  if (r.body.length === 0) return `${head};`;
  return `${head} if\n  ${r.body.map((l) => printLiteral(l, r.varNames)).join(" and\n  ")};`;
}

/** Every rule, grouped by stratum (dependencies first), with the predicate's signature lines. */
export function printProgram(p: Program, options: { includeInternal?: boolean } = {}): string {
  const out: string[] = [];
  p.strata.forEach((component, i) => {
    const preds = component.filter((k) => options.includeInternal === true || !p.preds.get(k)?.internal);
    const rules = preds.flatMap((k) => p.preds.get(k)?.rules ?? []).map((id) => p.rules[id]!);
    if (rules.length === 0) return;
    out.push(`# stratum ${i}: ${preds.join(", ")}`);
    for (const r of rules) out.push(`${printIRRule(r)}   # ${r.origin}`);
    out.push("");
  });
  const sigs = [...p.signatures].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sigs.length > 0) {
    out.push("# fact signatures");
    for (const [key, list] of sigs) for (const s of list) out.push(`#   ${predName(key)}(${s.map((t) => t ?? "_").join(", ")})`);
  }
  return out.join("\n");
}
