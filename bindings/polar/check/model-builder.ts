/**
 * Blocks: collects every `actor`/`resource`/`global` block (merging re-opened ones), validates
 * their declarations (V5–V9, global-block rules) and builds BlockInfo with the declarations
 * inherited through `extends` (DESIGN 4.10).
 */
import type { Span } from "../../api/span.js";
import type { BlockInfo } from "../../compile/ir.js";
import type { Block, Declaration, Name, Policy } from "../ast.js";
import { blockLabel, type Reporter } from "./context.js";
import { didYouMean } from "./suggest.js";

export type DeclKind = "role" | "permission" | "relation";

export interface Decl {
  readonly kind: DeclKind;
  readonly name: string;
  readonly span: Span;
  /** Relation target type. */
  readonly target?: string;
}

export interface CollectedBlock {
  readonly kind: "actor" | "resource" | "global";
  readonly name: string;
  /** Own declarations by name, first declaration wins. */
  readonly decls: Map<string, Decl>;
  /** Every occurrence of the block (re-opened blocks), in source order. */
  readonly occurrences: Block[];
  /** `extends` names over all occurrences, in source order. */
  readonly extendsNames: Name[];
}

const KIND_OF_KEY: Readonly<Record<string, DeclKind>> = { roles: "role", permissions: "permission", relations: "relation" };

const ARTICLE: Readonly<Record<DeclKind, string>> = { role: "a role", permission: "a permission", relation: "a relation" };

export function describeKind(kind: DeclKind): string {
  return ARTICLE[kind];
}

/** Collects and merges blocks; block names are keyed by type name, the global block by "global". */
export function collectBlocks(policy: Policy, rep: Reporter): Map<string, CollectedBlock> {
  const blocks = new Map<string, CollectedBlock>();
  for (const file of policy.files) {
    for (const item of file.items) {
      if (item.kind !== "block") continue;
      const name = item.blockKind === "global" ? "global" : (item.name?.name ?? "");
      if (name === "") continue;
      let cb = blocks.get(name);
      if (cb === undefined) {
        cb = { kind: item.blockKind, name, decls: new Map(), occurrences: [], extendsNames: [] };
        blocks.set(name, cb);
      } else if (item.blockKind === "global") {
        rep.error(
          "E_DUPLICATE_GLOBAL_BLOCK",
          "a policy may have only one `global` block",
          "merge this block into the first `global` block",
          item.headerSpan,
        );
      } else if (cb.kind !== item.blockKind && item.name !== undefined) {
        rep.error(
          "E_CONFLICTING_DECLARATION",
          `\`${name}\` is declared both as ${cb.kind === "actor" ? "an actor" : "a resource"} and as ${item.blockKind === "actor" ? "an actor" : "a resource"}`,
          `declare \`${name}\` with one kind of block only`,
          item.name.span,
        );
      }
      cb.occurrences.push(item);
      cb.extendsNames.push(...item.extends);
      collectDeclarations(cb, item, rep);
    }
  }
  return blocks;
}

function collectDeclarations(cb: CollectedBlock, block: Block, rep: Reporter): void {
  const where = blockLabel(cb.name);
  const seenKeys = new Set<string>();
  for (const d of block.declarations) {
    const key = d.key.name;
    const kind = KIND_OF_KEY[key];
    if (kind === undefined) {
      const keys = cb.kind === "global" ? ["roles", "permissions"] : ["roles", "permissions", "relations"];
      rep.error(
        "E_UNKNOWN_DECLARATION",
        `unknown declaration \`${key}\` in ${where}`,
        didYouMean(key, keys, `a block may declare only ${keys.map((k) => `\`${k}\``).join(", ")}`),
        d.key.span,
      );
      continue;
    }
    if (seenKeys.has(key)) {
      rep.error(
        "E_DUPLICATE_DECLARATION",
        `multiple \`${key}\` declarations in ${where}`,
        `merge them into one \`${key}\` declaration`,
        d.key.span,
      );
    }
    seenKeys.add(key);
    if (kind === "relation" && cb.kind === "global") {
      rep.error(
        "E_GLOBAL_RELATIONS",
        "`relations` cannot be declared in the global block",
        "declare relations in an actor or resource block",
        d.key.span,
      );
      continue;
    }
    if (!checkShape(d, kind, where, rep)) continue;
    addDecls(cb, d, kind, rep);
  }
}

/** V6/V7: roles and permissions are lists, relations a dictionary. */
function checkShape(d: Declaration, kind: DeclKind, where: string, rep: Reporter): boolean {
  if (kind === "relation" && d.value.kind === "list") {
    rep.error(
      "E_RELATIONS_NOT_DICT",
      `\`relations\` in ${where} must be a dictionary, found a list`,
      "write relations as a dictionary of names and types, e.g. `relations = { parent: Org };`",
      d.value.span,
    );
    return false;
  }
  if (kind !== "relation" && d.value.kind === "dict") {
    rep.error(
      "E_NOT_A_LIST",
      `\`${d.key.name}\` in ${where} must be a list of strings, found a dictionary`,
      `write it as a list of strings, e.g. \`${d.key.name} = ["reader", "writer"];\``,
      d.value.span,
    );
    return false;
  }
  return true;
}

function addDecls(cb: CollectedBlock, d: Declaration, kind: DeclKind, rep: Reporter): void {
  const where = blockLabel(cb.name);
  const items: Decl[] =
    d.value.kind === "list"
      ? d.value.items.map((i) => ({ kind, name: i.value, span: i.span }))
      : d.value.items.map((i) => ({ kind, name: i.name.name, span: i.name.span, target: i.type.name }));
  for (const item of items) {
    const prev = cb.decls.get(item.name);
    if (prev === undefined) {
      cb.decls.set(item.name, item);
    } else if (prev.kind !== item.kind) {
      rep.error(
        "E_CONFLICTING_DECLARATION",
        `\`${item.name}\` is declared as both ${ARTICLE[prev.kind]} and ${ARTICLE[item.kind]} in ${where}`,
        `give the ${item.kind} a different name`,
        item.span,
      );
    } else if (prev.target !== item.target) {
      rep.error(
        "E_CONFLICTING_DECLARATION",
        `relation \`${item.name}\` in ${where} is declared with two types, \`${prev.target ?? ""}\` and \`${item.target ?? ""}\``,
        "declare each relation with one type only",
        item.span,
      );
    } else {
      rep.warn(
        "W_DUPLICATE_NAME",
        `\`${item.name}\` is declared twice as ${ARTICLE[item.kind]} in ${where}`,
        "remove the duplicate",
        item.span,
      );
    }
  }
}

interface Merged {
  readonly decls: Map<string, { decl: Decl; own: boolean }>;
}

/**
 * BlockInfo for every block, with declarations inherited from the (acyclic) `supers` graph:
 * own declarations first, then each supertype's in `extends` order.
 */
export function buildBlocks(
  collected: ReadonlyMap<string, CollectedBlock>,
  supers: ReadonlyMap<string, readonly { name: string; span: Span }[]>,
  rep: Reporter,
): Map<string, BlockInfo> {
  const merged = new Map<string, Merged>();
  const visiting = new Set<string>();

  const merge = (name: string): Merged => {
    const done = merged.get(name);
    if (done !== undefined) return done;
    const cb = collected.get(name);
    const m: Merged = { decls: new Map() };
    if (cb === undefined || visiting.has(name)) return m; // defensive: cycles were removed by the caller
    visiting.add(name);
    for (const d of cb.decls.values()) m.decls.set(d.name, { decl: d, own: true });
    for (const sup of supers.get(name) ?? []) {
      for (const { decl } of merge(sup.name).decls.values()) {
        const mine = m.decls.get(decl.name);
        if (mine === undefined) {
          m.decls.set(decl.name, { decl, own: false });
        } else if (mine.decl.kind !== decl.kind || mine.decl.target !== decl.target) {
          const what =
            mine.decl.kind !== decl.kind ? `${ARTICLE[decl.kind]}` : `a relation to \`${decl.target ?? ""}\``;
          rep.error(
            "E_CONFLICTING_DECLARATION",
            `\`${decl.name}\` in \`${name}\` conflicts with \`${decl.name}\`, ${what} inherited from \`${sup.name}\``,
            "rename one of the two declarations",
            mine.own ? mine.decl.span : sup.span,
          );
        }
      }
    }
    visiting.delete(name);
    merged.set(name, m);
    return m;
  };

  const out = new Map<string, BlockInfo>();
  for (const cb of collected.values()) {
    const m = merge(cb.name);
    const all = [...m.decls.values()].map((e) => e.decl);
    out.set(cb.name, {
      kind: cb.kind,
      name: cb.name,
      roles: all.filter((d) => d.kind === "role").map((d) => d.name),
      permissions: all.filter((d) => d.kind === "permission").map((d) => d.name),
      relations: new Map(all.filter((d) => d.kind === "relation").map((d) => [d.name, d.target ?? ""] as const)),
      extends: (supers.get(cb.name) ?? []).map((s) => s.name),
    });
  }
  return out;
}
