/**
 * Generic traversals of the AST: every expression node, every term, every type name an
 * item mentions. The checks themselves live in the other files.
 */
import type { Block, CallExpr, Expr, Item, Name, Param, ShorthandExpr, Term } from "../ast.js";

/** Every expression node, pre-order. */
export function* exprNodes(e: Expr): Generator<Expr> {
  yield e;
  switch (e.kind) {
    case "not":
      yield* exprNodes(e.body);
      break;
    case "and":
    case "or":
      for (const i of e.items) yield* exprNodes(i);
      break;
    default:
      break;
  }
}

/** Every term directly in an expression tree, in source order. */
export function* exprTerms(e: Expr): Generator<Term> {
  for (const n of exprNodes(e)) {
    switch (n.kind) {
      case "call":
        yield* n.args;
        break;
      case "cmp":
        yield n.left;
        yield n.right;
        break;
      case "in":
        yield n.term;
        yield* n.list;
        break;
      case "matches":
        yield n.term;
        break;
      default:
        break;
    }
  }
}

export function* exprCalls(e: Expr): Generator<CallExpr> {
  for (const n of exprNodes(e)) if (n.kind === "call") yield n;
}

/** Every shorthand expression node, pre-order. */
export function* shorthandNodes(e: ShorthandExpr): Generator<ShorthandExpr> {
  yield e;
  if (e.kind === "sh_and" || e.kind === "sh_or") for (const i of e.items) yield* shorthandNodes(i);
}

export function* shorthandCalls(e: ShorthandExpr): Generator<CallExpr> {
  for (const n of shorthandNodes(e)) if (n.kind === "sh_call") yield n.call;
}

/** Every term of a block's shorthand rules: heads, string/variable operands and call arguments. */
export function* blockTerms(b: Block): Generator<Term> {
  for (const r of b.shorthand) {
    yield r.head;
    for (const n of shorthandNodes(r.body)) {
      switch (n.kind) {
        case "sh_term":
        case "sh_global":
          yield n.term;
          break;
        case "sh_on":
          yield n.term;
          yield n.relation;
          break;
        case "sh_call":
          yield* n.call.args;
          break;
        default:
          break;
      }
    }
  }
}

function* paramTerms(params: readonly Param[]): Generator<Term> {
  for (const p of params) yield p.term;
}

/** Every term in an item (rule heads and bodies, facts, assertions, shorthand operands). */
export function* itemTerms(item: Item): Generator<Term> {
  switch (item.kind) {
    case "rule":
      yield* paramTerms(item.params);
      if (item.body !== undefined) yield* exprTerms(item.body);
      break;
    case "rule_type":
      yield* paramTerms(item.params);
      break;
    case "inline_query":
      yield* exprTerms(item.body);
      break;
    case "block":
      yield* blockTerms(item);
      break;
    case "test_fixture":
      for (const f of item.facts) yield* f.args;
      break;
    case "test":
      for (const s of item.setup) if (s.kind === "fact") yield* s.args;
      for (const a of item.assertions) {
        yield* paramTerms(a.params);
        if (a.iff !== undefined) yield* exprTerms(a.iff);
      }
      break;
    case "declare":
      break;
  }
}

function* exprTypeNames(e: Expr): Generator<Name> {
  for (const n of exprNodes(e)) if (n.kind === "matches") yield n.type;
}

function* paramTypeNames(params: readonly Param[]): Generator<Name> {
  for (const p of params) if (p.type !== undefined) yield p.type;
}

/**
 * Every type name an item mentions as a type: specializers, `matches`, object-literal tags,
 * `declare` argument types and relation targets (not `extends`, which must name a block).
 * In source order within the item.
 */
export function* itemTypeMentions(item: Item): Generator<Name> {
  switch (item.kind) {
    case "rule":
    case "rule_type":
      yield* paramTypeNames(item.params);
      if (item.kind === "rule" && item.body !== undefined) yield* exprTypeNames(item.body);
      break;
    case "inline_query":
      yield* exprTypeNames(item.body);
      break;
    case "declare":
      yield* item.types;
      break;
    case "block":
      for (const d of item.declarations) if (d.value.kind === "dict") for (const r of d.value.items) yield r.type;
      break;
    case "test":
      for (const a of item.assertions) {
        yield* paramTypeNames(a.params);
        if (a.iff !== undefined) yield* exprTypeNames(a.iff);
      }
      break;
    case "test_fixture":
      break;
  }
  for (const t of itemTerms(item)) if (t.kind === "object") yield t.type;
}
