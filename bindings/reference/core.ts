/**
 * The reference engine over an already compiled Program. `ReferenceEngine` (engine.ts) adds
 * the policy compiler; this class takes Programs directly (`loadProgram`), so that the
 * evaluator can be tested on hand-built programs.
 *
 * Each question evaluates the whole model over stored ∪ context facts. The model without
 * context facts is cached until the next write or policy change (and, for policies that use
 * `@current_unix_time`, only within the same second).
 */
import { stageBatch } from "../engine/shared/batch.js";
import { diagnostic, FactError } from "../api/errors.js";
import type {
  AuthorizationEngine, Fact, FactPattern, OutputFact, PolicyResult, PolicySource, QueryRow,
  TestReport, Transaction, TypedValue, Value, ValuePattern,
} from "../api/types.js";
import { toOutputValue, toTypedFact, toTypedFactPattern, toTypedPattern, toTypedValue } from "../api/values.js";
import { predKey, type PredKey, type Program } from "../compile/ir.js";
import { Lattice, type Tuple } from "../engine/shared/answers.js";
import { actionsFrom, authorizeFrom, listFrom, programConstants, queryFrom } from "../engine/shared/entry.js";
import { FactValidator, noPolicyError } from "../engine/shared/validate.js";
import { evaluate, type Model, usesNow } from "./evaluate.js";
import { FactStore } from "./facts.js";
import { runTests } from "./tests.js";

export interface ReferenceOptions {
  /** The value of `@current_unix_time` (default: the wall clock, in whole seconds). */
  readonly now?: () => bigint;
  /** Policy text → Program; without it, `policy()` is unavailable (use `loadProgram`). */
  readonly compile?: (source: PolicySource) => Program;
}

interface Loaded {
  readonly program: Program;
  readonly lat: Lattice;
  readonly validator: FactValidator;
  readonly constants: readonly TypedValue[];
  readonly usesNow: boolean;
}

const ALLOW: PredKey = "allow/3";

export class ReferenceCore implements AuthorizationEngine {
  private loaded: Loaded | undefined;
  private facts = new FactStore();
  private cache: { readonly now: bigint; readonly model: Model } | undefined;
  private readonly clock: () => bigint;
  private readonly compile: ((source: PolicySource) => Program) | undefined;

  constructor(options: ReferenceOptions = {}) {
    this.clock = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
    this.compile = options.compile;
  }

  /** The loaded Program, if any. */
  get program(): Program | undefined {
    return this.loaded?.program;
  }

  policy(source: PolicySource): PolicyResult {
    if (this.compile === undefined) throw new Error("this engine has no policy compiler; use loadProgram");
    return this.loadProgram(this.compile(source));
  }

  /** Load a compiled Program; stored facts it cannot use are kept and reported as warnings. */
  loadProgram(program: Program): PolicyResult {
    const lat = new Lattice(program.types);
    const validator = new FactValidator(program, lat);
    this.loaded = { program, lat, validator, constants: programConstants(program), usesNow: usesNow(program) };
    this.cache = undefined;
    return { warnings: [...program.warnings, ...validator.unusableFacts(this.facts.all())] };
  }

  insert(fact: Fact): void {
    const [pred, ...args] = toTypedFact(fact);
    this.state().validator.check(pred, args);
    if (this.facts.insert(pred, args)) this.cache = undefined;
  }

  delete(pattern: FactPattern): number {
    const [pred, ...pats] = toTypedFactPattern(pattern);
    const n = this.facts.delete(pred, pats);
    if (n > 0) this.cache = undefined;
    return n;
  }

  batch(body: (tx: Transaction) => void): void {
    const copy = this.facts.clone();
    // Every change is applied to a copy, which replaces the store only if all succeeded.
    stageBatch(body, {
      insert: (fact) => {
        const [pred, ...args] = toTypedFact(fact);
        this.state().validator.check(pred, args);
        copy.insert(pred, args);
      },
      delete: (pattern) => {
        const [pred, ...pats] = toTypedFactPattern(pattern);
        copy.delete(pred, pats);
      },
    });
    this.facts = copy;
    this.cache = undefined;
  }

  get(pattern: FactPattern): OutputFact[] {
    const [pred, ...pats] = toTypedFactPattern(pattern);
    return this.facts.match(pred, pats).map((f) => [f.pred, ...f.args.map(toOutputValue)] as const);
  }

  authorize(actor: Value, action: string, resource: Value, contextFacts?: readonly Fact[]): boolean {
    const s = this.state();
    const a = toTypedValue(actor);
    const act = actionValue(action);
    const r = toTypedValue(resource);
    const { model } = this.model(s, ALLOW, contextFacts);
    return authorizeFrom(s.lat, candidates(model, ALLOW, 0, a), a, act, r);
  }

  list(actor: Value, action: string, resourceType: string, contextFacts?: readonly Fact[]): string[] {
    const s = this.state();
    const a = toTypedValue(actor);
    const act = actionValue(action);
    if (typeof resourceType !== "string" || resourceType.length === 0) {
      throw new FactError(diagnostic("E_BAD_VALUE", "the resource type must be a non-empty string", "pass a type name such as \"Repo\""));
    }
    const { model, context } = this.model(s, ALLOW, contextFacts);
    const known = (): Iterable<TypedValue> => [
      ...[...this.facts.all(), ...context.all()].flatMap((f) => f.args),
      ...s.constants,
      a,
      act,
    ];
    return listFrom(s.lat, candidates(model, ALLOW, 0, a), a, act, resourceType, known);
  }

  actions(actor: Value, resource: Value, contextFacts?: readonly Fact[]): string[] {
    const s = this.state();
    const a = toTypedValue(actor);
    const r = toTypedValue(resource);
    const { model } = this.model(s, ALLOW, contextFacts);
    return actionsFrom(s.lat, s.program, candidates(model, ALLOW, 0, a), a, r);
  }

  query(predicate: string, args: readonly ValuePattern[], contextFacts?: readonly Fact[]): QueryRow[] {
    const s = this.state();
    if (typeof predicate !== "string" || !Array.isArray(args)) {
      throw new FactError(diagnostic("E_BAD_QUERY", "a query needs a predicate name and an array of arguments", "call query(\"has_role\", [user, null, repo])"));
    }
    const patterns = args.map(toTypedPattern);
    s.validator.checkQuery(predicate, patterns.length);
    const key = predKey(predicate, patterns.length);
    const { model } = this.model(s, key, contextFacts);
    return queryFrom(s.lat, predicate, model.rel(key).tuples, patterns);
  }

  test(): TestReport {
    const s = this.loaded;
    if (s === undefined) return { passed: true, tests: [] };
    return runTests(s.program, s.lat, this.clock());
  }

  private state(): Loaded {
    if (this.loaded === undefined) throw noPolicyError();
    return this.loaded;
  }

  /** The model for one question: cached without context facts, else evaluated for `root` only. */
  private model(s: Loaded, root: PredKey, contextFacts: readonly Fact[] | undefined): { model: Model; context: FactStore } {
    const context = new FactStore();
    for (const fact of contextFacts ?? []) {
      const [pred, ...args] = toTypedFact(fact);
      s.validator.check(pred, args);
      context.insert(pred, args);
    }
    const now = this.clock();
    if (context.size > 0) return { model: evaluate(s.program, s.lat, [this.facts, context], now, [root]), context };
    if (this.cache === undefined || (s.usesNow && this.cache.now !== now)) {
      this.cache = { now, model: evaluate(s.program, s.lat, [this.facts], now) };
    }
    return { model: this.cache.model, context };
  }
}

function actionValue(action: string): TypedValue {
  if (typeof action !== "string") {
    throw new FactError(diagnostic("E_BAD_VALUE", "the action must be a string", "pass an action such as \"read\""));
  }
  return toTypedValue(action);
}

/** The answers of `key` that may unify with `v` at `pos` (an index lookup). */
function* candidates(model: Model, key: PredKey, pos: number, v: TypedValue): Iterable<Tuple> {
  for (const chunk of model.rel(key).candidates(pos, v)) yield* chunk;
}
