/**
 * The Polar (Oso Cloud dialect) abstract syntax tree. It is faithful to the source: nothing
 * is normalised here (object literals stay object literals, shorthand stays shorthand).
 * Every node carries the span of the text it came from.
 */
import type { Span } from "../api/span.js";

// ---------------------------------------------------------------- terms

export interface Name {
  readonly name: string;
  readonly span: Span;
}

/** A variable, including the anonymous `_` (each `_` is a distinct variable). */
export interface VarTerm { readonly kind: "var"; readonly name: string; readonly span: Span }
export interface StringTerm { readonly kind: "string"; readonly value: string; readonly span: Span }
/** i64 range is enforced by the lexer. */
export interface IntegerTerm { readonly kind: "integer"; readonly value: bigint; readonly span: Span }
export interface BooleanTerm { readonly kind: "boolean"; readonly value: boolean; readonly span: Span }
/** `User{"alice"}`, `Integer{1}`, `Boolean{true}`, `String{"x"}`: a type tag around one literal. */
export interface ObjectTerm {
  readonly kind: "object";
  readonly type: Name;
  readonly value: StringTerm | IntegerTerm | BooleanTerm;
  readonly span: Span;
}
/** `@current_unix_time`. */
export interface NowTerm { readonly kind: "now"; readonly span: Span }

export type LiteralTerm = StringTerm | IntegerTerm | BooleanTerm;
export type Term = VarTerm | LiteralTerm | ObjectTerm | NowTerm;

// ---------------------------------------------------------------- rule bodies

export type CmpOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface CallExpr { readonly kind: "call"; readonly name: Name; readonly args: readonly Term[]; readonly span: Span }
/** `a = b`, `a != b`, `a < b`, ... (operands are terms only). */
export interface CmpExpr { readonly kind: "cmp"; readonly op: CmpOp; readonly left: Term; readonly right: Term; readonly span: Span }
/** `x in [a, b, c]` (the right side is always a list literal). */
export interface InExpr { readonly kind: "in"; readonly term: Term; readonly list: readonly Term[]; readonly span: Span }
/** `x matches T`. */
export interface MatchesExpr { readonly kind: "matches"; readonly term: Term; readonly type: Name; readonly span: Span }
/** `true` / `false` used as a goal. */
export interface BoolExpr { readonly kind: "bool"; readonly value: boolean; readonly span: Span }
export interface NotExpr { readonly kind: "not"; readonly body: Expr; readonly span: Span }
/** n-ary; `items.length >= 2`. Parentheses leave no node of their own. */
export interface AndExpr { readonly kind: "and"; readonly items: readonly Expr[]; readonly span: Span }
export interface OrExpr { readonly kind: "or"; readonly items: readonly Expr[]; readonly span: Span }

export type Expr = CallExpr | CmpExpr | InExpr | MatchesExpr | BoolExpr | NotExpr | AndExpr | OrExpr;

// ---------------------------------------------------------------- rules

/** A head parameter: a term, optionally specialised (`x: User`, `_: Actor`). */
export interface Param {
  readonly term: Term;
  readonly type?: Name;
  readonly span: Span;
}

/** `@flag` markers before a rule ("for internal use only" in Oso's grammar); kept, not interpreted. */
export interface Rule {
  readonly kind: "rule";
  readonly flags: readonly Name[];
  readonly name: Name;
  readonly params: readonly Param[];
  /** Absent for a bodiless rule (`f(x: User);` or a policy fact). */
  readonly body?: Expr;
  readonly span: Span;
}

/** OSS rule type: `type f(x: Integer);`. */
export interface RuleType {
  readonly kind: "rule_type";
  readonly name: Name;
  readonly params: readonly Param[];
  readonly span: Span;
}

/** `declare has_tag(User, Tag);`. */
export interface Declare {
  readonly kind: "declare";
  readonly name: Name;
  readonly types: readonly Name[];
  readonly span: Span;
}

/** `?= body;`. */
export interface InlineQuery { readonly kind: "inline_query"; readonly body: Expr; readonly span: Span }

// ---------------------------------------------------------------- blocks

/** A string in `roles = [...]` / `permissions = [...]`. */
export interface StringItem { readonly value: string; readonly span: Span }
/** `name: Type` inside `relations = { ... }`. */
export interface RelationItem { readonly name: Name; readonly type: Name; readonly span: Span }

/**
 * `key = value;` inside a block. `key` is kept as written (checker rejects unknown keys);
 * `value` records which syntax was used, so the checker can say "expected a list".
 */
export interface Declaration {
  readonly kind: "declaration";
  readonly key: Name;
  readonly value:
    | { readonly kind: "list"; readonly items: readonly StringItem[]; readonly span: Span }
    | { readonly kind: "dict"; readonly items: readonly RelationItem[]; readonly span: Span };
  readonly span: Span;
}

/** A string or variable in shorthand position: `"reader"`, `role`. */
export type ShorthandTerm = StringTerm | VarTerm;

export type ShorthandExpr =
  /** `"reader"` or `role` alone. */
  | { readonly kind: "sh_term"; readonly term: ShorthandTerm; readonly span: Span }
  /** `"member" on "parent"`, `role on "parent"`. */
  | { readonly kind: "sh_on"; readonly term: ShorthandTerm; readonly relation: ShorthandTerm; readonly span: Span }
  /** `global "admin"`. */
  | { readonly kind: "sh_global"; readonly term: ShorthandTerm; readonly span: Span }
  /** `is_public(resource)`. */
  | { readonly kind: "sh_call"; readonly call: CallExpr; readonly span: Span }
  | { readonly kind: "sh_and"; readonly items: readonly ShorthandExpr[]; readonly span: Span }
  | { readonly kind: "sh_or"; readonly items: readonly ShorthandExpr[]; readonly span: Span };

export interface ShorthandRule {
  readonly kind: "shorthand";
  readonly flags: readonly Name[];
  readonly head: ShorthandTerm;
  readonly body: ShorthandExpr;
  readonly span: Span;
}

export type BlockKind = "actor" | "resource" | "global";

export interface Block {
  readonly kind: "block";
  readonly blockKind: BlockKind;
  /** Absent for `global`. */
  readonly name?: Name;
  readonly extends: readonly Name[];
  readonly declarations: readonly Declaration[];
  readonly shorthand: readonly ShorthandRule[];
  /** The span of the keyword (`actor`/`resource`/`global`) and name, for short diagnostics. */
  readonly headerSpan: Span;
  readonly span: Span;
}

// ---------------------------------------------------------------- tests

/** A ground fact in a fixture or a setup block. Arguments must be literals or object literals (the checker enforces it). */
export interface FactItem { readonly kind: "fact"; readonly name: Name; readonly args: readonly Term[]; readonly span: Span }
/** `fixture name;` inside `setup { ... }`. */
export interface FixtureRef { readonly kind: "fixture_ref"; readonly name: Name; readonly span: Span }

export interface TestFixture {
  readonly kind: "test_fixture";
  readonly name: Name;
  readonly facts: readonly FactItem[];
  readonly span: Span;
}

export interface Assertion {
  readonly kind: "assert" | "assert_not";
  readonly name: Name;
  /** Same syntax as rule-head parameters: literals, variables, `_`, typed variables `a: String`. */
  readonly params: readonly Param[];
  readonly iff?: Expr;
  readonly span: Span;
}

export interface TestBlock {
  readonly kind: "test";
  readonly name: StringTerm;
  readonly setup: readonly (FactItem | FixtureRef)[];
  /** Span of the `setup` block, when present. */
  readonly setupSpan?: Span;
  readonly assertions: readonly Assertion[];
  readonly span: Span;
}

// ---------------------------------------------------------------- files and policies

export type Item = Rule | RuleType | Declare | InlineQuery | Block | TestFixture | TestBlock;

export interface PolicyFile {
  readonly filename: string;
  readonly src: string;
  readonly items: readonly Item[];
}

/** A policy is one or more files loaded together. */
export interface Policy {
  readonly files: readonly PolicyFile[];
}

export interface SourceFile {
  readonly filename: string;
  readonly src: string;
}
