/**
 * Term-level checks over the whole policy: object literals (`Integer{"x"}`, `User{1}`,
 * `User{""}`), the 384-byte limit on string values, and ordering comparisons on values
 * that are statically not Integers.
 */
import type { Span } from "../../api/span.js";
import type { Expr, ObjectTerm, Policy, Term } from "../ast.js";
import { renderTerm, type Reporter } from "./context.js";
import { exprNodes, itemTerms } from "./walk.js";

/** Oso Cloud limits fact argument values to 384 bytes. */
export const MAX_VALUE_BYTES = 384;

const PRIMITIVE_PAYLOAD: Readonly<Record<string, Term["kind"]>> = { String: "string", Integer: "integer", Boolean: "boolean" };
const KIND_NAME: Readonly<Record<string, string>> = { string: "a String", integer: "an Integer", boolean: "a Boolean" };

const encoder = new TextEncoder();

function utf8Length(s: string): number {
  // Each UTF-16 code unit takes at most 3 UTF-8 bytes.
  return s.length * 3 <= MAX_VALUE_BYTES ? s.length : encoder.encode(s).length;
}

function checkStringLength(value: string, span: Span, rep: Reporter): void {
  if (value.length * 3 <= MAX_VALUE_BYTES) return;
  const n = utf8Length(value);
  if (n <= MAX_VALUE_BYTES) return;
  rep.error(
    "E_FACT_ARG_TOO_LONG",
    `string value of ${n} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit on fact values`,
    `shorten it to at most ${MAX_VALUE_BYTES} UTF-8 bytes`,
    span,
  );
}

function checkObject(t: ObjectTerm, rep: Reporter): void {
  const type = t.type.name;
  const v = t.value;
  const want = PRIMITIVE_PAYLOAD[type];
  if (want !== undefined) {
    if (v.kind !== want) {
      rep.error(
        "E_BAD_OBJECT_LITERAL",
        `\`${renderTerm(t)}\` wraps ${KIND_NAME[v.kind] ?? v.kind}, but \`${type}\` needs ${KIND_NAME[want] ?? want}`,
        `write ${KIND_NAME[want] ?? want} inside \`${type}{...}\`, or use the literal on its own`,
        t.span,
      );
    }
    return;
  }
  if (type === "Actor" || type === "Resource") {
    rep.error(
      "E_BAD_OBJECT_LITERAL",
      `\`${renderTerm(t)}\`: \`${type}\` is an abstract type and has no values`,
      `use a concrete ${type === "Actor" ? "actor" : "resource"} type, e.g. \`${type === "Actor" ? "User" : "Repo"}{${renderTerm(v)}}\``,
      t.span,
    );
    return;
  }
  if (v.kind !== "string") {
    rep.error(
      "E_BAD_OBJECT_LITERAL",
      `\`${renderTerm(t)}\` has a non-string id`,
      `quote the id: \`${type}{"${renderTerm(v)}"}\``,
      t.span,
    );
  } else if (v.value === "") {
    rep.error("E_EMPTY_ID", `\`${renderTerm(t)}\` has an empty id`, `give \`${type}\` a non-empty string id`, t.span);
  }
}

function checkTerm(t: Term, rep: Reporter): void {
  if (t.kind === "string") checkStringLength(t.value, t.span, rep);
  else if (t.kind === "object") {
    if (t.value.kind === "string") checkStringLength(t.value.value, t.value.span, rep);
    checkObject(t, rep);
  }
}

/** A term that is statically known not to be an Integer: a String or Boolean literal or a non-Integer object literal. */
function nonIntegerType(t: Term): string | undefined {
  if (t.kind === "string") return "String";
  if (t.kind === "boolean") return "Boolean";
  if (t.kind === "object" && t.type.name !== "Integer") return t.type.name;
  return undefined;
}

function checkComparisons(e: Expr, rep: Reporter): void {
  for (const n of exprNodes(e)) {
    if (n.kind !== "cmp" || n.op === "=" || n.op === "!=") continue;
    for (const side of [n.left, n.right]) {
      const type = nonIntegerType(side);
      if (type === undefined) continue;
      rep.error(
        "E_COMPARE_NON_INTEGER",
        `\`${n.op}\` compares Integers, but \`${renderTerm(side)}\` is of type \`${type}\``,
        "compare Integer values only, or use `=` / `!=` for other values",
        side.span,
      );
    }
  }
}

export function checkTerms(policy: Policy, rep: Reporter): void {
  for (const file of policy.files) {
    for (const item of file.items) {
      for (const t of itemTerms(item)) checkTerm(t, rep);
      switch (item.kind) {
        case "rule":
          if (item.body !== undefined) checkComparisons(item.body, rep);
          break;
        case "inline_query":
          checkComparisons(item.body, rep);
          break;
        case "test":
          for (const a of item.assertions) if (a.iff !== undefined) checkComparisons(a.iff, rep);
          break;
        case "block":
          for (const d of item.declarations) {
            if (d.value.kind === "list") for (const s of d.value.items) checkStringLength(s.value, s.span, rep);
          }
          break;
        default:
          break;
      }
    }
  }
}
