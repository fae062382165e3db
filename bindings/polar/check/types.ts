/**
 * Types: built-ins, one type per actor/resource block (with `extends`, checked for unknown
 * supertypes and cycles), and opaque types for names that are only mentioned (V16: allowed,
 * but a name close to a declared type gets a "did you mean" warning).
 */
import type { Span } from "../../api/span.js";
import type { TypeInfo } from "../../compile/ir.js";
import type { Policy } from "../ast.js";
import { BUILTIN_TYPES } from "../model.js";
import type { Reporter } from "./context.js";
import type { CollectedBlock } from "./model-builder.js";
import { didYouMean, suggest } from "./suggest.js";
import { itemTypeMentions } from "./walk.js";

export interface SuperEdge {
  readonly name: string;
  readonly span: Span;
}

export interface BuiltTypes {
  readonly types: Map<string, TypeInfo>;
  /** Valid, acyclic direct `extends` edges per block type. */
  readonly supers: Map<string, SuperEdge[]>;
}

export function buildTypes(policy: Policy, blocks: ReadonlyMap<string, CollectedBlock>, rep: Reporter): BuiltTypes {
  const blockTypes = [...blocks.values()].filter((b) => b.kind !== "global").map((b) => b.name);
  const isBlockType = (n: string): boolean => blocks.get(n)?.kind === "actor" || blocks.get(n)?.kind === "resource";

  // extends: only actor/resource blocks may be supertypes.
  const supers = new Map<string, SuperEdge[]>();
  for (const b of blocks.values()) {
    if (b.kind === "global") continue;
    const edges: SuperEdge[] = [];
    for (const n of b.extendsNames) {
      if (n.name === b.name) {
        rep.error("E_EXTENDS_CYCLE", `\`${b.name}\` extends itself`, "remove this `extends` clause", n.span);
      } else if (!isBlockType(n.name)) {
        rep.error(
          "E_UNKNOWN_SUPERTYPE",
          `\`${b.name}\` extends \`${n.name}\`, which is not an actor or resource block`,
          didYouMean(n.name, blockTypes, `declare it first, e.g. \`resource ${n.name} {}\``),
          n.span,
        );
      } else if (!edges.some((e) => e.name === n.name)) {
        edges.push({ name: n.name, span: n.span });
      }
    }
    supers.set(b.name, edges);
  }
  removeCycles(blockTypes, supers, rep);

  const types = new Map<string, TypeInfo>();
  for (const t of BUILTIN_TYPES) types.set(t.name, t);
  for (const b of blocks.values()) {
    if (b.kind === "global" || types.has(b.name)) continue;
    const root = b.kind === "actor" ? "Actor" : "Resource";
    types.set(b.name, { name: b.name, kind: b.kind, supertypes: [root, ...(supers.get(b.name) ?? []).map((e) => e.name)] });
  }

  // Opaque types: mentioned, not declared. Warn when the name looks like a typo of a declared one.
  const declared = [...types.keys()];
  for (const file of policy.files) {
    for (const item of file.items) {
      for (const n of itemTypeMentions(item)) {
        const known = types.get(n.name);
        if (known === undefined) types.set(n.name, { name: n.name, kind: "opaque", supertypes: [] });
        if (known === undefined || known.kind === "opaque") {
          const near = suggest(n.name, declared);
          if (near !== undefined) {
            rep.warn(
              "W_UNKNOWN_TYPE",
              `unknown type \`${n.name}\``,
              `did you mean \`${near}\`?`,
              n.span,
            );
          }
        }
      }
    }
  }
  return { types, supers };
}

/** Depth-first search in declaration order; an edge that closes a cycle is reported and dropped. */
function removeCycles(order: readonly string[], supers: Map<string, SuperEdge[]>, rep: Reporter): void {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, "active");
    stack.push(n);
    const edges = supers.get(n) ?? [];
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i];
      if (e === undefined) continue;
      const s = state.get(e.name);
      if (s === "active") {
        const cycle = [...stack.slice(stack.indexOf(e.name)), e.name];
        rep.error(
          "E_EXTENDS_CYCLE",
          `cyclic \`extends\`: ${cycle.map((c) => `\`${c}\``).join(" -> ")}`,
          "remove one of the `extends` clauses in the cycle",
          e.span,
        );
        edges.splice(i, 1);
        i--;
      } else if (s === undefined) {
        visit(e.name);
      }
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of order) if (!state.has(n)) visit(n);
}
