/**
 * Plain AST rules → IR rules: variables numbered, specialisers as `isa`, bodies split into
 * DNF conjunctions (one IR rule each), and every negated sub-expression other than a single
 * call moved into an internal predicate `#notN(shared variables)`.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import type { Rule } from "../polar/ast.js";
import { param, rule as astRule, v } from "../polar/desugar/build.js";
import { toDnf, DnfTooLarge, exprVarNames, itemVarNames, type Conjunction, type DnfItem } from "./dnf.js";
import { predKey, type IRRule, type IRTerm, type Literal, type RuleOrigin } from "./ir.js";
import { orderBody } from "./safety.js";
import { VarScope } from "./terms.js";

export const INTERNAL_PREFIX = "#";
/** Names of the demand-only predicates behind `not (...)`. */
export const NEGATION_PREFIX = `${INTERNAL_PREFIX}not`;

export function isInternalPredicate(name: string): boolean {
  return name.startsWith(INTERNAL_PREFIX);
}

export class RuleCompiler {
  readonly rules: IRRule[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private negations = 0;

  /** Compile one plain rule (possibly into several IR rules, plus internal ones for `not`). */
  add(rule: Rule, origin: RuleOrigin): void {
    const scope = new VarScope();
    const head: IRTerm[] = rule.params.map((p) => scope.term(p.term));
    const headSpans = rule.params.map((p) => p.span);
    const headTypes: Literal[] = [];
    rule.params.forEach((p, i) => {
      if (p.type !== undefined) headTypes.push({ k: "isa", t: head[i]!, type: p.type.name, span: p.span });
    });
    const headNames = new Set(rule.params.flatMap((p) => (p.term.kind === "var" && p.term.name !== "_" ? [p.term.name] : [])));

    let conjunctions: Conjunction[];
    try {
      conjunctions = rule.body === undefined ? [[]] : toDnf(rule.body);
    } catch (e) {
      if (!(e instanceof DnfTooLarge)) throw e;
      this.diagnostics.push(diagnostic("E_BODY_TOO_COMPLEX", `the body of \`${rule.name.name}\` expands to too many alternatives`, "split the rule into several rules, or factor repeated `or` groups into helper rules", rule.span));
      return;
    }

    const bodies = conjunctions.map((conj) => [...headTypes, ...conj.map((item, i) => this.literal(item, conj, i, headNames, scope))]);
    const pred = predKey(rule.name.name, rule.params.length);
    for (const body of bodies) {
      const ordered = orderBody(head, body, scope.names, headSpans, origin === "negation");
      this.diagnostics.push(...ordered.diagnostics);
      if (ordered.diagnostics.some((d) => d.severity === "error")) continue;
      this.rules.push({ id: this.rules.length, pred, head, body: ordered.body, nvars: scope.names.length, varNames: [...scope.names], origin, span: rule.span });
    }
  }

  private literal(item: DnfItem, conj: Conjunction, index: number, headNames: ReadonlySet<string>, scope: VarScope): Literal {
    switch (item.k) {
      case "call":
        return { k: "atom", pred: predKey(item.pred, item.args.length), args: item.args.map((t) => scope.term(t)), span: item.span };
      case "cmp":
        return { k: "cmp", op: item.op, a: scope.term(item.a), b: scope.term(item.b), span: item.span };
      case "in":
        return { k: "in", t: scope.term(item.t), list: item.list.map((t) => scope.term(t)), span: item.span };
      case "isa":
        return { k: "isa", t: scope.term(item.t), type: item.type, span: item.span };
      case "not": {
        const body = item.body;
        if (body.kind === "call") {
          return { k: "not", pred: predKey(body.name.name, body.args.length), args: body.args.map((t) => scope.term(t)), span: item.span };
        }
        // Variables shared with the head or the rest of the conjunction are the inputs.
        const outside = new Set(headNames);
        conj.forEach((other, j) => {
          if (j !== index) itemVarNames(other, outside);
        });
        const shared = [...exprVarNames(body)].filter((n) => outside.has(n));
        const name = `${NEGATION_PREFIX}${++this.negations}`;
        const aux = astRule(name, shared.map((n) => param(v(n, item.span), undefined, item.span)), body, item.span);
        this.add(aux, "negation");
        return { k: "not", pred: predKey(name, shared.length), args: shared.map((n) => ({ k: "var", v: scope.variable(n) })), span: item.span };
      }
    }
  }
}
