/**
 * Fact validation against a compiled policy (DESIGN §4.9, polar-spec §10.2), shared by both
 * engines. A fact `p(v1..vn)` is accepted iff `p/n` has a signature whose every position
 * accepts `vi` (`type(vi) ⊑ T`, or the position is `null`). Internal predicates never accept
 * facts.
 */
import { type Diagnostic, diagnostic, FactError } from "../../api/errors.js";
import type { TypedValue } from "../../api/types.js";
import { predKey, type PredKey, type Program, type Signature } from "../../compile/ir.js";
import type { Lattice } from "./answers.js";
import { didYouMean, formatFact, formatPolarValue, formatSignature, orList } from "./format.js";

/** At most this many W_UNUSABLE_FACT warnings are listed one by one; the rest are summarised. */
export const MAX_FACT_WARNINGS = 100;

export function noPolicyError(): FactError {
  return new FactError(diagnostic("E_NO_POLICY", "no policy is loaded", "load a policy before inserting facts or asking questions"));
}

export class FactValidator {
  /** predicate name -> [arity, signatures] for every storable predicate */
  private readonly byName = new Map<string, [number, readonly Signature[]][]>();

  constructor(
    private readonly program: Program,
    private readonly lat: Lattice,
  ) {
    for (const [key, sigs] of program.signatures) {
      const info = program.preds.get(key);
      if (info?.internal === true || sigs.length === 0) continue;
      const slash = key.lastIndexOf("/");
      const name = key.slice(0, slash);
      const arity = Number(key.slice(slash + 1));
      let list = this.byName.get(name);
      if (list === undefined) this.byName.set(name, (list = []));
      list.push([arity, sigs]);
    }
    for (const list of this.byName.values()) list.sort((a, b) => a[0] - b[0]);
  }

  /** Throws a FactError when the policy does not accept the fact. */
  check(pred: string, args: readonly TypedValue[]): void {
    const d = this.problem(pred, args);
    if (d !== undefined) throw new FactError(d);
  }

  /** Why the policy does not accept the fact, or undefined when it does. */
  problem(pred: string, args: readonly TypedValue[]): Diagnostic | undefined {
    const shapes = this.byName.get(pred);
    if (shapes === undefined) return unknownPredicate(pred, this.byName.keys());
    const sigs = shapes.find(([n]) => n === args.length)?.[1];
    const expected = (list: readonly Signature[]): string => `expected ${orList(list.map((s) => `\`${formatSignature(pred, s)}\``))}`;
    if (sigs === undefined) {
      const arities = orList(shapes.map(([n]) => String(n)));
      const plural = shapes.length === 1 && shapes[0]![0] === 1 ? "argument" : "arguments";
      return diagnostic("E_FACT_ARITY", `\`${pred}\` takes ${arities} ${plural}, not ${args.length}`, expected(shapes.flatMap(([, ss]) => ss)));
    }
    if (sigs.some((sig) => this.accepts(sig, args))) return undefined;
    const only = sigs.length === 1 ? sigs[0]! : undefined;
    if (only !== undefined) {
      const i = only.findIndex((t, j) => t !== null && !this.lat.sub(args[j]!.type, t));
      return diagnostic(
        "E_FACT_TYPE",
        `argument ${i + 1} of \`${pred}\` must be of type \`${only[i]!}\`, got \`${formatPolarValue(args[i]!)}\``,
        expected(sigs),
      );
    }
    return diagnostic("E_FACT_TYPE", `\`${formatFact(pred, args)}\` matches no signature of \`${pred}\``, expected(sigs));
  }

  private accepts(sig: Signature, args: readonly TypedValue[]): boolean {
    return sig.every((t, i) => t === null || this.lat.sub(args[i]!.type, t));
  }

  /** W_UNUSABLE_FACT warnings for the stored facts this policy does not accept. */
  unusableFacts(facts: Iterable<{ readonly pred: string; readonly args: readonly TypedValue[] }>): Diagnostic[] {
    const out: Diagnostic[] = [];
    let more = 0;
    for (const f of facts) {
      const d = this.problem(f.pred, f.args);
      if (d === undefined) continue;
      if (out.length >= MAX_FACT_WARNINGS) {
        more++;
        continue;
      }
      out.push(diagnostic(
        "W_UNUSABLE_FACT",
        `the stored fact \`${formatFact(f.pred, f.args)}\` cannot be used by this policy: ${d.message}`,
        "the fact is kept; delete it or change the policy to use it",
        undefined,
        "warning",
      ));
    }
    if (more > 0) {
      out.push(diagnostic(
        "W_UNUSABLE_FACT",
        `${more} more stored facts cannot be used by this policy`,
        "the facts are kept; delete them or change the policy to use them",
        undefined,
        "warning",
      ));
    }
    return out;
  }

  /**
   * Queries may name any non-internal predicate that has rules or signatures. Throws
   * E_UNKNOWN_PREDICATE (with a suggestion) or E_QUERY_ARITY otherwise.
   */
  checkQuery(pred: string, arity: number): void {
    const known = (key: PredKey): boolean => {
      const info = this.program.preds.get(key);
      return info !== undefined ? !info.internal : this.program.signatures.has(key);
    };
    if (known(predKey(pred, arity))) return;
    const arities = new Set<number>();
    const names = new Set<string>();
    for (const key of [...this.program.preds.keys(), ...this.program.signatures.keys()]) {
      if (!known(key)) continue;
      const slash = key.lastIndexOf("/");
      const name = key.slice(0, slash);
      names.add(name);
      if (name === pred) arities.add(Number(key.slice(slash + 1)));
    }
    if (arities.size === 0) throw new FactError(unknownPredicate(pred, names));
    const list = [...arities].sort((a, b) => a - b);
    throw new FactError(diagnostic(
      "E_QUERY_ARITY",
      `\`${pred}\` takes ${orList(list.map(String))} ${list.length === 1 && list[0] === 1 ? "argument" : "arguments"}, not ${arity}`,
      `query \`${pred}\` with ${orList(list.map(String))} arguments`,
    ));
  }
}

function unknownPredicate(pred: string, known: Iterable<string>): Diagnostic {
  const guess = didYouMean(pred, known);
  return diagnostic(
    "E_UNKNOWN_PREDICATE",
    `unknown predicate \`${pred}\``,
    guess !== undefined
      ? `did you mean \`${guess}\`?`
      : "use a predicate that the policy calls in a rule body, or declare it with `declare`",
  );
}
