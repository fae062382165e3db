/**
 * A seeded generator of random Polar programs for differential testing: a policy that uses the
 * dialect's features, facts that the policy accepts, and checks (authorize / list / actions /
 * query, some with context facts). Every program is a pure function of one integer seed:
 *
 *   const p = generateProgram(1234);   // { seed, policy, facts, checks, now, domain }
 *
 * The policy is built from templates whose call sites are known, so facts are generated from
 * the policy's fact signatures (each template registers the argument shapes its calls accept;
 * a shape is never broader than the signature the compiler infers). Negation is kept
 * stratified by dropping a negating rule whose negated predicates reach its head predicate.
 * differential.test.ts checks that every policy compiles and that every fact is
 * accepted.
 */
import type { Fact, FactPattern, TypedValue, Value, ValuePattern } from "../../bindings/api/types.js";

// ------------------------------------------------------------------------------------ PRNG

/** mulberry32 with a splitmix-style seed scramble: small, fast, deterministic. */
export class Rng {
  private state: number;

  /** Any safe integer seed (the high 32 bits are mixed in too). */
  constructor(seed: number) {
    const n = Math.trunc(seed);
    const hi = Math.floor(n / 2 ** 32);
    let s = (n ^ 0x9e3779b9 ^ Math.imul(hi, 0x27d4eb2d)) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("pick from an empty list");
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Up to n distinct elements, in their original order. */
  sample<T>(xs: readonly T[], n: number): T[] {
    const idx = xs.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx.slice(0, Math.min(n, xs.length)).sort((a, b) => a - b).map((i) => xs[i]!);
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [x, w] of items) {
      r -= w;
      if (r < 0) return x;
    }
    return items[items.length - 1]![0];
  }
}

// ------------------------------------------------------------------------------ the output

interface CheckBase {
  /** Context facts for this request (absent when none). */
  readonly context?: readonly Fact[];
}

export type Check = CheckBase & (
  | { readonly op: "authorize"; readonly actor: Value; readonly action: string; readonly resource: Value }
  | { readonly op: "list"; readonly actor: Value; readonly action: string; readonly resourceType: string }
  | { readonly op: "actions"; readonly actor: Value; readonly resource: Value }
  | { readonly op: "query"; readonly predicate: string; readonly args: readonly ValuePattern[] }
  // Store steps (only with `storeOps`, the default): writes change the store for later checks.
  | { readonly op: "insert"; readonly fact: Fact }
  | { readonly op: "delete"; readonly pattern: FactPattern }
  | { readonly op: "batch"; readonly facts: readonly Fact[] }
  | { readonly op: "get"; readonly pattern: FactPattern }
  /** Load the same policy again (stored facts stay; caches must be invalidated). */
  | { readonly op: "reload" }
);

/** The question kinds: the checks that every engine answers from the same store. */
export const QUESTION_OPS: ReadonlySet<Check["op"]> = new Set(["authorize", "list", "actions", "query"]);

export interface Domain {
  /** Types declared with `actor` blocks. */
  readonly actorTypes: readonly string[];
  /** Types declared with `resource` blocks (including `extends` subtypes). */
  readonly resourceTypes: readonly string[];
  /** The entities facts and checks draw from, by type. */
  readonly entities: Readonly<Record<string, readonly TypedValue[]>>;
  /** Every predicate name/arity a query may name (rule heads and fact predicates). */
  readonly predicates: readonly (readonly [name: string, arity: number])[];
}

export interface GeneratedProgram {
  readonly seed: number;
  readonly policy: string;
  readonly facts: readonly Fact[];
  readonly checks: readonly Check[];
  /** The pinned `@current_unix_time` (seconds); engines must be created with it. */
  readonly now: number;
  readonly domain: Domain;
  /** Which generator features this program uses (for coverage statistics). */
  readonly features: readonly string[];
}

export interface GeneratorOptions {
  /** Checks per program (default: 12–28, chosen by the seed). */
  readonly checks?: number;
  /** Stored facts per program, before deduplication (default: 10–60; a few "big" programs get 150–400). */
  readonly facts?: number;
  /**
   * Interleave store steps (insert / delete / batch / get / reload, about 10% of the checks)
   * with the questions (default true). Turn off to get questions only (authorize, list,
   * actions, query), all against the initial facts.
   */
  readonly storeOps?: boolean;
}

// ----------------------------------------------------------------------------- internals

/** An argument position of a fact shape. Every shape is at most as broad as a signature. */
type Arg =
  | { readonly k: "ent"; readonly type: string }
  | { readonly k: "str"; readonly values: readonly string[] }
  | { readonly k: "int"; readonly values: readonly (number | bigint)[] }
  | { readonly k: "bool" }
  /** The signature position is untyped (`null`): anything is accepted. */
  | { readonly k: "any" };

interface Shape {
  readonly pred: string;
  readonly args: readonly Arg[];
  readonly weight: number;
}

interface RuleDef {
  readonly text: string;
  /** `name/arity` of the head. */
  readonly head: string;
  readonly pos: readonly string[];
  readonly neg: readonly string[];
  readonly shapes: readonly Shape[];
  /** Shorthand rules: the block they belong to ("global" or a type name). */
  readonly block?: string;
  readonly feature: string;
}

interface BlockDef {
  readonly kind: "actor" | "resource";
  readonly name: string;
  readonly supers: string[];
  readonly roles: string[];
  readonly permissions: string[];
  readonly relations: Map<string, string>;
}

const ROLE_POOL = ["reader", "writer", "admin", "member", "owner", "viewer", "editor"];
const PERM_POOL = ["read", "write", "delete", "push", "comment", "close", "share", "archive"];
const RESOURCE_POOL = ["Org", "Repo", "Folder", "Doc", "Issue"];
const ID_PREFIX: Record<string, string> = { User: "u", Team: "t", Org: "o", Repo: "r", Folder: "f", Doc: "d", Issue: "i", Group: "g" };
/** Ids that stress escaping, interning and UTF-8/UTF-16 handling (valid in facts and in policy text). */
const ODD_IDS = ["a:b", "with space", "ünï", "😀", "x\"y", "0", "UPPER", "a\\b", "x".repeat(384), "é".repeat(192), "Z", "_"];
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const SHARED_IDS = ["a", "b", "c", "d", "e", "f", "g", "h"];
const UNKNOWN_ACTIONS = ["nonexistent", "READ", ""];

const atomKey = (name: string, arity: number): string => `${name}/${arity}`;

function ent(type: string, id: string): TypedValue {
  return { type, id };
}

/** A value as Polar source text. */
function polarLit(v: TypedValue | string | number | boolean): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `${v.type}{${JSON.stringify(v.id)}}`;
}

const q = (s: string): string => JSON.stringify(s);

class Gen {
  readonly rng: Rng;
  readonly blocks = new Map<string, BlockDef>();
  global: { roles: string[]; permissions: string[] } | undefined;
  readonly rules: RuleDef[] = [];
  readonly declares: { text: string; shape: Shape }[] = [];
  readonly features = new Set<string>();
  /** Types with entities but possibly no block (opaque types such as Group). */
  readonly entityTypes: string[] = [];
  readonly entities = new Map<string, TypedValue[]>();
  /** The entities policy literals (policy facts, `in` lists) draw from. */
  readonly plain = new Map<string, TypedValue[]>();
  readonly opaque = new Set<string>();
  readonly now: number;
  /** Integer values facts may use, by purpose. */
  readonly levels: readonly (number | bigint)[] = [0, 1, 2, 3, 4, 5, 6, -1, 1_000_000_000_000, 9_007_199_254_740_993n, I64_MIN, I64_MAX, -9_007_199_254_740_993n];
  readonly times: readonly number[];
  /** A larger program: bigger domains and many more facts. */
  big = false;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.now = 1_700_000_000 + this.rng.int(0, 1000);
    this.times = [this.now - 100, this.now - 1, this.now, this.now + 1, this.now + 100, 0];
  }

  // --------------------------------------------------------------------------- type lattice

  isSub(a: string, b: string): boolean {
    if (a === b) return true;
    const block = this.blocks.get(a);
    if (block === undefined) return false;
    if (b === "Resource") return true;
    if (b === "Actor" && block.kind === "actor") return true;
    return block.supers.some((s) => this.isSub(s, b));
  }

  /** The types with entities that are subtypes of `type`. */
  concreteTypes(type: string): string[] {
    return this.entityTypes.filter((t) => this.isSub(t, type));
  }

  /** Roles, permissions and relations of a block, own and inherited. */
  decls(type: string): { roles: string[]; permissions: string[]; relations: Map<string, string> } {
    const b = this.blocks.get(type);
    if (b === undefined) return { roles: [], permissions: [], relations: new Map() };
    const roles = [...b.roles];
    const permissions = [...b.permissions];
    const relations = new Map(b.relations);
    for (const s of b.supers) {
      const d = this.decls(s);
      for (const r of d.roles) if (!roles.includes(r)) roles.push(r);
      for (const p of d.permissions) if (!permissions.includes(p)) permissions.push(p);
      for (const [k, v] of d.relations) if (!relations.has(k)) relations.set(k, v);
    }
    return { roles, permissions, relations };
  }

  resourceNames(): string[] {
    return [...this.blocks.values()].filter((b) => b.kind === "resource").map((b) => b.name);
  }

  actorNames(): string[] {
    return [...this.blocks.values()].filter((b) => b.kind === "actor").map((b) => b.name);
  }

  /** Every name declared anywhere: a pool of plausible Strings. */
  allNames(): string[] {
    const out = new Set<string>();
    for (const b of this.blocks.values()) {
      for (const x of [...b.roles, ...b.permissions, ...b.relations.keys()]) out.add(x);
    }
    for (const x of [...(this.global?.roles ?? []), ...(this.global?.permissions ?? [])]) out.add(x);
    return [...out];
  }

  addRule(r: RuleDef): void {
    this.rules.push(r);
    this.features.add(r.feature);
  }

  pickPlain(type: string): TypedValue {
    return this.rng.pick(this.plain.get(type) ?? [ent(type, "x")]);
  }

  // ---------------------------------------------------------------------------- structure

  buildTypes(): void {
    const rng = this.rng;
    const user: BlockDef = { kind: "actor", name: "User", supers: [], roles: [], permissions: [], relations: new Map() };
    this.blocks.set("User", user);
    if (rng.chance(0.3)) {
      this.blocks.set("Team", { kind: "actor", name: "Team", supers: [], roles: ["member", "lead"], permissions: [], relations: new Map() });
      this.features.add("actor-team");
    }
    // Rarely, the User block declares its own roles and permissions (roles on actors).
    if (rng.chance(0.1)) {
      user.roles.push("friend");
      user.permissions.push("view_profile");
      this.features.add("actor-roles");
    }
    const chosen = rng.sample(RESOURCE_POOL, rng.int(1, 4));
    for (const [i, name] of chosen.entries()) {
      const roles = rng.sample(ROLE_POOL, rng.weighted([[0, 1], [1, 3], [2, 4], [3, 3]]));
      const permissions = rng.sample(PERM_POOL, rng.int(1, 3));
      const relations = new Map<string, string>();
      const earlier = chosen.slice(0, i);
      if (earlier.length > 0 && rng.chance(0.75)) relations.set("parent", rng.pick(earlier));
      if (rng.chance(0.3)) relations.set("inside", name);
      if (rng.chance(0.35)) relations.set(rng.pick(["creator", "assignee"]), "User");
      if (this.blocks.has("Team") && rng.chance(0.4)) relations.set("team", "Team");
      this.blocks.set(name, { kind: "resource", name, supers: [], roles, permissions, relations });
    }
    if (rng.chance(0.18)) {
      const base = rng.pick(chosen);
      const name = `Secret${base}`;
      const own = PERM_POOL.filter((p) => !this.decls(base).permissions.includes(p));
      this.blocks.set(name, { kind: "resource", name, supers: [base], roles: [], permissions: rng.sample(own, rng.int(0, 1)), relations: new Map() });
      this.features.add("extends");
    }
    if (rng.chance(0.4)) {
      const roles = rng.sample(["admin", "support", "member"], rng.int(1, 2));
      const permissions = rng.sample(["create_org", "audit"], rng.int(0, 2));
      this.global = { roles, permissions };
      this.features.add("global");
    }
  }

  buildDomain(): void {
    const rng = this.rng;
    const shared = rng.chance(0.25);
    const types = [...this.blocks.keys()];
    if (this.opaque.size > 0) types.push(...this.opaque);
    for (const type of types) {
      if (this.entityTypes.includes(type)) continue;
      this.entityTypes.push(type);
      const n = rng.int(3, 8);
      const prefix = ID_PREFIX[type] ?? type.toLowerCase().slice(0, 2);
      const plain = Array.from({ length: n }, (_, i) => ent(type, shared ? SHARED_IDS[i]! : `${prefix}${i}`));
      const all = [...plain];
      if (rng.chance(this.big ? 0.5 : 0.12)) all.push(ent(type, rng.pick(ODD_IDS)));
      const extra = this.big ? rng.int(10, 25) : 0;
      for (let i = n; i < n + extra; i++) all.push(ent(type, `${prefix}${i}`));
      this.entities.set(type, all);
      // Policy literals may use any entity (odd ids are written with escapes).
      this.plain.set(type, rng.chance(0.8) ? plain : all);
    }
  }

  // ------------------------------------------------------------------------ shorthand rules

  /** An atom of a shorthand body in block `type`, avoiding the bare head `head`. */
  shAtom(type: string, head: string): { text: string; pos: string[]; shapes: Shape[]; feature: string } | undefined {
    const rng = this.rng;
    const d = this.decls(type);
    const actorRels = [...d.relations].filter(([, t]) => this.blocks.get(t)?.kind === "actor");
    const onRels = [...d.relations].filter(([, t]) => {
      const td = this.decls(t);
      return td.roles.length + td.permissions.length + td.relations.size > 0;
    });
    const options: [string, number][] = [];
    if (d.roles.some((r) => r !== head)) options.push(["role", 4]);
    if (d.permissions.some((p) => p !== head)) options.push(["perm", 2]);
    if (actorRels.length > 0) options.push(["rel", 2]);
    if (onRels.length > 0) options.push(["on", 4]);
    if (this.global !== undefined) options.push(["global", 1.5]);
    options.push(["call", 1.5]);
    const kind = rng.weighted(options);
    const hasRole = (x: string, t: string, actorArg: Arg = { k: "ent", type: "Actor" }): Shape => ({ pred: "has_role", args: [actorArg, { k: "str", values: [x] }, { k: "ent", type: t }], weight: 3 });
    const hasPerm = (x: string, t: string): Shape => ({ pred: "has_permission", args: [{ k: "ent", type: "Actor" }, { k: "str", values: [x] }, { k: "ent", type: t }], weight: 0.4 });
    const hasRel = (t: string, rel: string, target: string): Shape => ({ pred: "has_relation", args: [{ k: "ent", type: t }, { k: "str", values: [rel] }, { k: "ent", type: target }], weight: 3 });
    switch (kind) {
      case "role": {
        const x = rng.pick(d.roles.filter((r) => r !== head));
        return { text: q(x), pos: ["has_role/3"], shapes: [hasRole(x, type)], feature: "sh-role" };
      }
      case "perm": {
        const x = rng.pick(d.permissions.filter((p) => p !== head));
        return { text: q(x), pos: ["has_permission/3"], shapes: [hasPerm(x, type)], feature: "sh-permission" };
      }
      case "rel": {
        const [rel] = rng.pick(actorRels);
        return { text: q(rel), pos: ["has_relation/3"], shapes: [hasRel(type, rel, "Actor")], feature: "sh-relation" };
      }
      case "on": {
        const [rel, target] = rng.pick(onRels);
        const td = this.decls(target);
        const choices: [string, number][] = [];
        for (const r of td.roles) choices.push([`role:${r}`, 3]);
        for (const p of td.permissions) choices.push([`perm:${p}`, 2]);
        for (const [r2, t2] of td.relations) if (this.blocks.get(t2)?.kind === "actor" || rng.chance(0.3)) choices.push([`rel:${r2}`, 1]);
        if (choices.length === 0) return undefined;
        const [k, x] = rng.weighted(choices).split(":") as [string, string];
        const link = hasRel(type, rel, target);
        if (k === "role") return { text: `${q(x)} on ${q(rel)}`, pos: ["has_relation/3", "has_role/3"], shapes: [link, hasRole(x, target)], feature: "sh-on-role" };
        if (k === "perm") return { text: `${q(x)} on ${q(rel)}`, pos: ["has_relation/3", "has_permission/3"], shapes: [link, hasPerm(x, target)], feature: "sh-on-permission" };
        return { text: `${q(x)} on ${q(rel)}`, pos: ["has_relation/3"], shapes: [link, hasRel(target, x, "Actor")], feature: "sh-on-relation" };
      }
      case "global": {
        const g = this.global!;
        const isRole = g.permissions.length === 0 || rng.chance(0.7);
        const x = isRole ? rng.pick(g.roles) : rng.pick(g.permissions);
        const pred = isRole ? "has_role" : "has_permission";
        return { text: `global ${q(x)}`, pos: [`${pred}/2`], shapes: [{ pred, args: [{ k: "ent", type: "Actor" }, { k: "str", values: [x] }], weight: isRole ? 2 : 0.5 }], feature: "sh-global" };
      }
      default: {
        const which = rng.int(0, 2);
        if (which === 0) return { text: "is_public(resource)", pos: ["is_public/1"], shapes: [{ pred: "is_public", args: [{ k: "ent", type }], weight: 1.5 }], feature: "sh-call" };
        if (which === 1) return { text: "is_active(actor)", pos: ["is_active/1"], shapes: [{ pred: "is_active", args: [{ k: "ent", type: "Actor" }], weight: 1.5 }], feature: "sh-call" };
        const flags = ["beta", "alpha", "bêta \"x\" \\ 😀"];
        const flag = rng.pick(flags);
        return { text: `has_flag(resource, ${q(flag)})`, pos: ["has_flag/2"], shapes: [{ pred: "has_flag", args: [{ k: "ent", type }, { k: "str", values: flags }], weight: 1 }], feature: "sh-call" };
      }
    }
  }

  /** A shorthand body: an atom, or an `and`/`or` of two (nested with parentheses). */
  shBody(type: string, head: string, depth: number): { text: string; pos: string[]; shapes: Shape[]; features: string[]; or: boolean; and: boolean } | undefined {
    if (depth < 2 && this.rng.chance(depth === 0 ? 0.3 : 0.15)) {
      const op = this.rng.chance(0.5) ? "or" : "and";
      const a = this.shBody(type, head, depth + 1);
      const b = this.shBody(type, head, depth + 1);
      if (a === undefined || b === undefined) return a ?? b;
      const wrap = (x: { text: string; or: boolean; and: boolean }): string => ((op === "and" && x.or) || (op === "or" && x.and) || this.rng.chance(0.15) ? `(${x.text})` : x.text);
      return {
        text: `${wrap(a)} ${op} ${wrap(b)}`,
        pos: [...a.pos, ...b.pos],
        shapes: [...a.shapes, ...b.shapes],
        features: [...a.features, ...b.features, `sh-${op}`],
        or: op === "or",
        and: op === "and",
      };
    }
    const atom = this.shAtom(type, head);
    if (atom === undefined) return undefined;
    return { text: atom.text, pos: atom.pos, shapes: atom.shapes, features: [atom.feature], or: false, and: false };
  }

  buildShorthand(): void {
    const rng = this.rng;
    for (const b of this.blocks.values()) {
      const d = this.decls(b.name);
      const heads: [string, "role" | "permission"][] = [];
      for (const p of b.permissions) {
        heads.push([p, "permission"]);
        if (rng.chance(0.3)) heads.push([p, "permission"]);
      }
      for (const r of b.roles) if (rng.chance(0.55)) heads.push([r, "role"]);
      for (const [h, kind] of heads) {
        const body = this.shBody(b.name, h, 0);
        if (body === undefined) continue;
        const pred = kind === "role" ? "has_role/3" : "has_permission/3";
        for (const f of body.features) this.features.add(f);
        this.addRule({ text: `${q(h)} if ${body.text};`, head: pred, pos: body.pos, neg: [], shapes: body.shapes, block: b.name, feature: "shorthand" });
      }
      // `role if role on "rel"` / `permission if permission on "rel"`
      for (const [rel, target] of d.relations) {
        if (!b.relations.has(rel)) continue;
        const td = this.decls(target);
        if (td.roles.length > 0 && rng.chance(0.3)) {
          this.addRule({
            text: `role if role on ${q(rel)};`, head: "has_role/3", pos: ["has_relation/3", "has_role/3"], neg: [], block: b.name, feature: "sh-role-on-rel",
            shapes: [
              { pred: "has_relation", args: [{ k: "ent", type: b.name }, { k: "str", values: [rel] }, { k: "ent", type: target }], weight: 3 },
              { pred: "has_role", args: [{ k: "ent", type: "Actor" }, { k: "str", values: [...td.roles, ...d.roles] }, { k: "ent", type: target }], weight: 3 },
            ],
          });
        }
        if (td.permissions.length > 0 && rng.chance(0.15)) {
          this.addRule({
            text: `permission if permission on ${q(rel)};`, head: "has_permission/3", pos: ["has_relation/3", "has_permission/3"], neg: [], block: b.name, feature: "sh-permission-on-rel",
            shapes: [{ pred: "has_relation", args: [{ k: "ent", type: b.name }, { k: "str", values: [rel] }, { k: "ent", type: target }], weight: 3 }],
          });
        }
      }
    }
    const g = this.global;
    if (g !== undefined) {
      const names = [...g.roles, ...g.permissions];
      for (const p of g.permissions) {
        const text = g.roles.length > 0 && rng.chance(0.8) ? q(rng.pick(g.roles)) : "is_staff(actor)";
        const call = text === "is_staff(actor)";
        this.addRule({
          text: `${q(p)} if ${text};`, head: "has_permission/2", pos: [call ? "is_staff/1" : "has_role/2"], neg: [], block: "global", feature: "global-shorthand",
          shapes: call ? [{ pred: "is_staff", args: [{ k: "ent", type: "Actor" }], weight: 1 }] : [{ pred: "has_role", args: [{ k: "ent", type: "Actor" }, { k: "str", values: g.roles }], weight: 2 }],
        });
      }
      if (g.roles.length === 2 && rng.chance(0.5)) {
        const [a, b] = rng.chance(0.5) ? [g.roles[0]!, g.roles[1]!] : [g.roles[1]!, g.roles[0]!];
        this.addRule({ text: `${q(a)} if ${q(b)};`, head: "has_role/2", pos: ["has_role/2"], neg: [], block: "global", feature: "global-shorthand", shapes: [{ pred: "has_role", args: [{ k: "ent", type: "Actor" }, { k: "str", values: names }], weight: 2 }] });
      }
    }
  }

  // ------------------------------------------------------------------------- longhand rules

  /** A random resource type (with a block) and one of its role/permission names. */
  resource(): string {
    return this.rng.pick(this.resourceNames());
  }

  roleOf(type: string): string | undefined {
    const d = this.decls(type);
    return d.roles.length > 0 ? this.rng.pick(d.roles) : undefined;
  }

  permOf(type: string): string {
    const d = this.decls(type);
    return d.permissions.length > 0 ? this.rng.pick(d.permissions) : this.rng.pick(PERM_POOL);
  }

  /**
   * A positive "gate" on (user: User, r: T): a role, membership or public flag. With
   * `bindUser`, the gate binds the user too (needed before a `not` or a comparison on it).
   */
  gate(user: string, r: string, type: string, bindUser = false): { text: string; pos: string[]; shapes: Shape[] } {
    const role = this.roleOf(type);
    if (role !== undefined && this.rng.chance(0.6)) {
      return { text: `has_role(${user}, ${q(role)}, ${r})`, pos: ["has_role/3"], shapes: [{ pred: "has_role", args: [{ k: "ent", type: "User" }, { k: "str", values: [role] }, { k: "ent", type }], weight: 3 }] };
    }
    if (bindUser || this.rng.chance(0.5)) return { text: `is_member(${user}, ${r})`, pos: ["is_member/2"], shapes: [{ pred: "is_member", args: [{ k: "ent", type: "User" }, { k: "ent", type }], weight: 2 }] };
    return { text: `is_public(${r})`, pos: ["is_public/1"], shapes: [{ pred: "is_public", args: [{ k: "ent", type }], weight: 1.5 }] };
  }

  buildLonghand(): void {
    const rng = this.rng;
    const templates: [() => void, number][] = [
      [() => this.containerRecursion(), 0.25],
      [() => this.selfRecursion(), 0.6],
      [() => this.comparison(), 0.35],
      [() => this.nowComparison(), 0.12],
      [() => this.inList(), 0.3],
      [() => this.negationSingle(), 0.35],
      [() => this.negationConj(), 0.25],
      [() => this.wildcards(), 0.3],
      [() => this.booleanAttr(), 0.15],
      [() => this.notEqual(), 0.2],
      [() => this.teamRoles(), 0.8],
      [() => this.matchesNarrow(), 0.15],
      [() => this.policyFacts(), 0.25],
      [() => this.declares_(), 0.15],
    ];
    for (const [t, p] of templates) if (rng.chance(p)) t();
    if (rng.chance(0.25)) this.customAllow();
  }

  containerRecursion(): void {
    const inner = this.rng.chance(0.5) ? "Resource" : this.resource();
    this.addRule({
      text: `has_permission(actor: Actor, action: String, inner: ${inner}) if\n  has_relation(inner, "container", outer) and\n  has_permission(actor, action, outer);`,
      head: "has_permission/3", pos: ["has_relation/3", "has_permission/3"], neg: [], feature: "recursion-container",
      shapes: [{ pred: "has_relation", args: [{ k: "ent", type: inner }, { k: "str", values: ["container"] }, { k: "any" }], weight: 3 }],
    });
  }

  selfRecursion(): void {
    const types = this.resourceNames().filter((t) => this.blocks.get(t)!.relations.get("inside") === t);
    if (types.length === 0) return;
    const t = this.rng.pick(types);
    const h = `within_${t.toLowerCase()}`;
    const edge: Shape = { pred: "has_relation", args: [{ k: "ent", type: t }, { k: "str", values: ["inside"] }, { k: "ent", type: t }], weight: 4 };
    this.addRule({ text: `${h}(x: ${t}, y: ${t}) if has_relation(x, "inside", y);`, head: `${h}/2`, pos: ["has_relation/3"], neg: [], shapes: [edge], feature: "recursion-self" });
    const rightRec = this.rng.chance(0.5);
    this.addRule({
      text: rightRec
        ? `${h}(x: ${t}, z: ${t}) if has_relation(x, "inside", y) and ${h}(y, z);`
        : `${h}(x: ${t}, z: ${t}) if ${h}(x, y) and ${h}(y, z);`,
      head: `${h}/2`, pos: rightRec ? ["has_relation/3", `${h}/2`] : [`${h}/2`], neg: [], shapes: rightRec ? [{ pred: "has_relation", args: [{ k: "ent", type: t }, { k: "str", values: ["inside"] }, { k: "any" }], weight: 1 }] : [], feature: "recursion-self",
    });
    if (this.rng.chance(0.7)) {
      this.addRule({
        text: `has_role(actor: Actor, role: String, x: ${t}) if\n  ${h}(x, y) and\n  has_role(actor, role, y);`,
        head: "has_role/3", pos: [`${h}/2`, "has_role/3"], neg: [], feature: "recursion-self",
        shapes: [{ pred: "has_role", args: [{ k: "ent", type: "Actor" }, { k: "str", values: this.decls(t).roles.length > 0 ? this.decls(t).roles : ROLE_POOL }, { k: "any" }], weight: 2 }],
      });
    }
  }

  groups(): void {
    const withBlock = this.rng.chance(0.5);
    if (withBlock) this.blocks.set("Group", { kind: "resource", name: "Group", supers: [], roles: [], permissions: [], relations: new Map() });
    else this.opaque.add("Group");
    const t = this.resource();
    const roles = this.decls(t).roles;
    this.addRule({ text: `in_group(user: User, group: Group) if member_of(user, group);`, head: "in_group/2", pos: ["member_of/2"], neg: [], feature: "recursion-groups", shapes: [{ pred: "member_of", args: [{ k: "ent", type: "User" }, { k: "ent", type: "Group" }], weight: 3 }] });
    this.addRule({
      text: `in_group(user: User, group: Group) if\n  child matches Group and\n  in_group(user, child) and\n  subgroup(child, group);`,
      head: "in_group/2", pos: ["in_group/2", "subgroup/2"], neg: [], feature: "recursion-groups",
      shapes: [{ pred: "subgroup", args: [{ k: "ent", type: "Group" }, { k: "ent", type: "Group" }], weight: 3 }],
    });
    this.addRule({
      text: `has_role(user: User, role: String, resource: ${t}) if\n  group matches Group and\n  in_group(user, group) and\n  group_role(group, role, resource);`,
      head: "has_role/3", pos: ["in_group/2", "group_role/3"], neg: [], feature: "recursion-groups",
      shapes: [{ pred: "group_role", args: [{ k: "ent", type: "Group" }, { k: "str", values: roles.length > 0 ? roles : ROLE_POOL }, { k: "ent", type: t }], weight: 3 }],
    });
  }

  comparison(): void {
    const t = this.resource();
    const p = this.permOf(t);
    const g = this.gate("user", "r", t);
    const op = this.rng.pick([">", ">=", "<", "<=", "!=", "="]);
    const clearance: Shape = { pred: "clearance", args: [{ k: "ent", type: "User" }, { k: "int", values: this.levels }], weight: 2 };
    if (this.rng.chance(0.5)) {
      const k = this.rng.chance(0.85) ? String(this.rng.int(0, 5)) : String(this.rng.pick([-1n, I64_MIN, I64_MAX, 9_007_199_254_740_993n]));
      const [a, b] = this.rng.chance(0.8) ? ["level", k] : [k, "level"];
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  ${g.text} and\n  clearance(user, level) and\n  ${a} ${op} ${b};`,
        head: "has_permission/3", pos: [...g.pos, "clearance/2"], neg: [], shapes: [...g.shapes, clearance], feature: "comparison-const",
      });
    } else {
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  clearance(user, have) and\n  required_level(r, need) and\n  have ${op} need;`,
        head: "has_permission/3", pos: ["clearance/2", "required_level/2"], neg: [], feature: "comparison-vars",
        shapes: [clearance, { pred: "required_level", args: [{ k: "ent", type: t }, { k: "int", values: this.levels }], weight: 2 }],
      });
    }
  }

  nowComparison(): void {
    const t = this.resource();
    const p = this.permOf(t);
    this.addRule({
      text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  expiry matches Integer and\n  temp_access(user, r, expiry) and\n  expiry > @current_unix_time;`,
      head: "has_permission/3", pos: ["temp_access/3"], neg: [], feature: "comparison-now",
      shapes: [{ pred: "temp_access", args: [{ k: "ent", type: "User" }, { k: "ent", type: t }, { k: "int", values: this.times }], weight: 2 }],
    });
  }

  inList(): void {
    const t = this.resource();
    if (this.rng.chance(0.5)) {
      const d = this.decls(t);
      const acts = this.rng.sample([...new Set([...d.permissions, ...PERM_POOL])], this.rng.int(1, 3));
      const g = this.gate("user", "r", t);
      this.addRule({
        text: `has_permission(user: User, action: String, r: ${t}) if\n  action in [${acts.map(q).join(", ")}] and\n  ${g.text};`,
        head: "has_permission/3", pos: g.pos, neg: [], shapes: g.shapes, feature: "in-list-strings",
      });
    } else {
      const users = this.rng.sample(this.plain.get("User") ?? [], this.rng.int(1, 3));
      const others = this.rng.chance(0.3) ? [this.pickPlain(this.rng.pick(this.entityTypes))] : [];
      const role = this.roleOf(t);
      const list = [...users, ...others].map(polarLit).join(", ");
      if (role !== undefined) {
        this.addRule({
          text: `has_role(user: User, ${q(role)}, r: ${t}) if\n  user in [${list}] and\n  is_public(r);`,
          head: "has_role/3", pos: ["is_public/1"], neg: [], feature: "in-list-entities",
          shapes: [{ pred: "is_public", args: [{ k: "ent", type: t }], weight: 1.5 }],
        });
      } else {
        this.addRule({ text: `has_permission(user: User, ${q(this.permOf(t))}, _: ${t}) if user in [${list}];`, head: "has_permission/3", pos: [], neg: [], shapes: [], feature: "in-list-entities" });
      }
    }
  }

  negationSingle(): void {
    const t = this.resource();
    const p = this.permOf(t);
    const g = this.gate("user", "r", t, true);
    const which = this.rng.int(0, 2);
    if (which === 0) {
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  ${g.text} and\n  not is_archived(r);`,
        head: "has_permission/3", pos: g.pos, neg: ["is_archived/1"], feature: "not-call",
        shapes: [...g.shapes, { pred: "is_archived", args: [{ k: "ent", type: t }], weight: 1.5 }],
      });
    } else if (which === 1) {
      const role = this.roleOf(t);
      if (role === undefined) return;
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  is_member(user, r) and\n  not has_role(user, ${q(role)}, r);`,
        head: "has_permission/3", pos: ["is_member/2"], neg: ["has_role/3"], feature: "not-derived",
        shapes: [{ pred: "is_member", args: [{ k: "ent", type: "User" }, { k: "ent", type: t }], weight: 2 }],
      });
    } else {
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  ${g.text} and\n  not is_banned(user);`,
        head: "has_permission/3", pos: g.pos, neg: ["is_banned/1"], feature: "not-call",
        shapes: [...g.shapes, { pred: "is_banned", args: [{ k: "ent", type: "User" }], weight: 1.5 }],
      });
    }
  }

  negationConj(): void {
    const t = this.resource();
    const p = this.permOf(t);
    const roles = this.decls(t).roles;
    if (this.rng.chance(0.5) || roles.length === 0) {
      const g = this.gate("user", "r", t, true);
      const inner = roles.length > 0 && this.rng.chance(0.6) ? `not has_role(user, ${q(this.rng.pick(roles))}, r)` : "is_locked(r)";
      const innerNeg = inner.startsWith("not") ? ["has_role/3"] : ["is_locked/1"];
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  ${g.text} and\n  not (is_private(r) and ${inner});`,
        head: "has_permission/3", pos: g.pos, neg: ["is_private/1", ...innerNeg], feature: "not-conjunction",
        // Inside `#not(r, user)` the variables carry no type: the signatures there are untyped.
        shapes: [...g.shapes, { pred: "is_private", args: [{ k: "ent", type: t }], weight: 1.5 }, ...(innerNeg[0] === "is_locked/1" ? [{ pred: "is_locked", args: [{ k: "ent", type: t }], weight: 1 } as Shape] : [])],
      });
    } else {
      // the "forall" idiom: every role the resource requires is held
      this.addRule({
        text: `has_permission(user: User, ${q(p)}, r: ${t}) if\n  is_member(user, r) and\n  not (role matches String and requires_role(r, role) and not has_role(user, role, r));`,
        head: "has_permission/3", pos: ["is_member/2"], neg: ["requires_role/2", "has_role/3"], feature: "not-forall",
        shapes: [
          { pred: "is_member", args: [{ k: "ent", type: "User" }, { k: "ent", type: t }], weight: 2 },
          { pred: "requires_role", args: [{ k: "ent", type: t }, { k: "str", values: roles }], weight: 2 },
        ],
      });
    }
  }

  wildcards(): void {
    const t = this.resource();
    const which = this.rng.int(0, 3);
    if (which === 0) {
      this.addRule({ text: `has_permission(_: User, ${q(this.permOf(t))}, _: ${t});`, head: "has_permission/3", pos: [], neg: [], shapes: [], feature: "wildcard-bodiless" });
    } else if (which === 1) {
      const role = this.roleOf(t);
      if (role === undefined) return;
      this.addRule({
        text: `has_role(_: User, ${q(role)}, r: ${t}) if is_public(r);`, head: "has_role/3", pos: ["is_public/1"], neg: [], feature: "wildcard-actor",
        shapes: [{ pred: "is_public", args: [{ k: "ent", type: t }], weight: 1.5 }],
      });
    } else if (which === 2 && this.global !== undefined) {
      this.addRule({ text: `has_role(_: User, ${q(this.rng.pick(this.global.roles))});`, head: "has_role/2", pos: [], neg: [], shapes: [], feature: "wildcard-global-role" });
    } else {
      const actorType = this.rng.pick(["Actor", "User", ...this.actorNames()]);
      this.addRule({
        text: `has_permission(user: ${actorType}, action: String, r: ${t}) if has_role(user, "superuser", r);`, head: "has_permission/3", pos: ["has_role/3"], neg: [], feature: "wildcard-action",
        shapes: [{ pred: "has_role", args: [{ k: "ent", type: actorType }, { k: "str", values: ["superuser"] }, { k: "ent", type: t }], weight: 1 }],
      });
    }
  }

  booleanAttr(): void {
    const t = this.resource();
    const g = this.gate("user", "r", t);
    const want = this.rng.chance(0.7);
    this.addRule({
      text: `has_permission(user: User, ${q(this.permOf(t))}, r: ${t}) if\n  ${g.text} and\n  has_mfa(user, ${want});`,
      head: "has_permission/3", pos: [...g.pos, "has_mfa/2"], neg: [], feature: "boolean-attr",
      shapes: [...g.shapes, { pred: "has_mfa", args: [{ k: "ent", type: "User" }, { k: "bool" }], weight: 2 }],
    });
  }

  notEqual(): void {
    const t = this.resource();
    const g = this.gate("user", "r", t, true);
    this.addRule({
      text: `has_permission(user: User, ${q(this.permOf(t))}, r: ${t}) if\n  ${g.text} and\n  has_relation(r, "author", author) and\n  author != user;`,
      head: "has_permission/3", pos: [...g.pos, "has_relation/3"], neg: [], feature: "not-equal-entities",
      shapes: [...g.shapes, { pred: "has_relation", args: [{ k: "ent", type: t }, { k: "str", values: ["author"] }, { k: "any" }], weight: 2 }],
    });
  }

  teamRoles(): void {
    if (!this.blocks.has("Team")) return;
    this.addRule({
      text: `has_role(user: User, role: String, resource: Resource) if\n  team matches Team and\n  has_role(user, "member", team) and\n  has_role(team, role, resource);`,
      head: "has_role/3", pos: ["has_role/3"], neg: [], feature: "team-roles",
      shapes: [
        { pred: "has_role", args: [{ k: "ent", type: "User" }, { k: "str", values: ["member", "lead"] }, { k: "ent", type: "Team" }], weight: 3 },
        { pred: "has_role", args: [{ k: "ent", type: "Team" }, { k: "str", values: this.allNames() }, { k: "ent", type: "Resource" }], weight: 2 },
      ],
    });
    // Team's own block: "member" if "lead".
    this.addRule({ text: `"member" if "lead";`, head: "has_role/3", pos: ["has_role/3"], neg: [], block: "Team", feature: "shorthand", shapes: [{ pred: "has_role", args: [{ k: "ent", type: "Actor" }, { k: "str", values: ["lead"] }, { k: "ent", type: "Team" }], weight: 2 }] });
  }

  matchesNarrow(): void {
    const t = this.resource();
    const narrow = this.rng.pick(this.actorNames());
    this.addRule({
      text: `has_permission(actor: Actor, ${q(this.permOf(t))}, r: ${t}) if\n  actor matches ${narrow} and\n  is_public(r);`,
      head: "has_permission/3", pos: ["is_public/1"], neg: [], feature: "matches-narrow",
      shapes: [{ pred: "is_public", args: [{ k: "ent", type: t }], weight: 1.5 }],
    });
  }

  policyFacts(): void {
    const n = this.rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const t = this.resource();
      const role = this.roleOf(t);
      if (role !== undefined && this.rng.chance(0.6)) {
        this.addRule({ text: `has_role(${polarLit(this.pickPlain("User"))}, ${q(role)}, ${polarLit(this.pickPlain(t))});`, head: "has_role/3", pos: [], neg: [], shapes: [], feature: "policy-fact" });
      } else {
        this.addRule({ text: `is_public(${polarLit(this.pickPlain(t))});`, head: "is_public/1", pos: [], neg: [], shapes: [], feature: "policy-fact" });
      }
    }
  }

  declares_(): void {
    this.features.add("declare");
    this.declares.push({ text: "declare audit_note(User, String);", shape: { pred: "audit_note", args: [{ k: "ent", type: "User" }, { k: "str", values: ["ok", "flagged"] }], weight: 1 } });
    if (this.rng.chance(0.5)) {
      const t = this.resource();
      this.declares.push({ text: `declare is_public(${t});`, shape: { pred: "is_public", args: [{ k: "ent", type: t }], weight: 1 } });
    }
  }

  customAllow(): void {
    const which = this.rng.int(0, 3);
    const hp = "has_permission/3";
    if (which === 0) {
      this.addRule({
        text: `allow(actor, action, resource) if\n  has_permission(actor, action, resource) and\n  not is_banned(actor);`,
        head: "allow/3", pos: [hp], neg: ["is_banned/1"], feature: "custom-allow-banned",
        shapes: [{ pred: "is_banned", args: [{ k: "any" }], weight: 1.5 }],
      });
    } else if (which === 1) {
      this.addRule({
        text: `allow(actor: Actor, action: String, resource: Resource) if\n  is_active(actor) and\n  has_permission(actor, action, resource);`,
        head: "allow/3", pos: ["is_active/1", hp], neg: [], feature: "custom-allow-active",
        shapes: [{ pred: "is_active", args: [{ k: "ent", type: "Actor" }], weight: 2 }],
      });
    } else if (which === 2) {
      this.addRule({ text: `allow(actor, action, resource) if has_permission(actor, action, resource);`, head: "allow/3", pos: [hp], neg: [], shapes: [], feature: "custom-allow-default" });
      this.addRule({ text: `allow(_: User, "ping", _: ${this.resource()});`, head: "allow/3", pos: [], neg: [], shapes: [], feature: "custom-allow-wildcard" });
    } else {
      const t = this.resource();
      this.addRule({
        text: `allow(actor: User, action: String, resource: ${t}) if\n  has_role(actor, ${q(this.roleOf(t) ?? "owner")}, resource);`,
        head: "allow/3", pos: ["has_role/3"], neg: [], feature: "custom-allow-wildcard-action",
        shapes: [{ pred: "has_role", args: [{ k: "ent", type: "User" }, { k: "str", values: [this.roleOf(t) ?? "owner"] }, { k: "ent", type: t }], weight: 1 }],
      });
    }
  }

  // ------------------------------------------------------------------------- stratification

  /** Drop negating rules until no negated predicate reaches its rule's head. */
  stratify(): void {
    for (;;) {
      const edges = new Map<string, Set<string>>();
      for (const r of this.rules) {
        let out = edges.get(r.head);
        if (out === undefined) edges.set(r.head, (out = new Set()));
        for (const p of [...r.pos, ...r.neg]) out.add(p);
      }
      const reaches = (from: string, to: string): boolean => {
        const seen = new Set<string>();
        const todo = [from];
        while (todo.length > 0) {
          const x = todo.pop()!;
          if (x === to) return true;
          if (seen.has(x)) continue;
          seen.add(x);
          for (const y of edges.get(x) ?? []) todo.push(y);
        }
        return false;
      };
      const bad = this.rules.findIndex((r) => r.neg.some((n) => reaches(n, r.head)));
      if (bad < 0) return;
      this.rules.splice(bad, 1);
      this.features.add("dropped-unstratified");
    }
  }

  // ------------------------------------------------------------------------------- rendering

  render(): string {
    const out: string[] = [];
    const blockLines = (name: string): string[] => this.rules.filter((r) => r.block === name).map((r) => `  ${r.text}`);
    const list = (xs: readonly string[]): string => `[${xs.map(q).join(", ")}]`;
    for (const b of this.blocks.values()) {
      const decl: string[] = [];
      if (b.roles.length > 0 || (b.kind === "resource" && this.rng.chance(0.1))) decl.push(`  roles = ${list(b.roles)};`);
      if (b.permissions.length > 0) decl.push(`  permissions = ${list(b.permissions)};`);
      if (b.relations.size > 0) decl.push(`  relations = { ${[...b.relations].map(([k, v]) => `${k}: ${v}`).join(", ")} };`);
      const body = [...decl, ...blockLines(b.name)];
      const ext = b.supers.length > 0 ? ` extends ${b.supers.join(", ")}` : "";
      out.push(body.length === 0 ? `${b.kind} ${b.name}${ext} {}` : `${b.kind} ${b.name}${ext} {\n${body.join("\n")}\n}`);
    }
    if (this.global !== undefined) {
      const g = this.global;
      const decl = [`  roles = ${list(g.roles)};`, ...(g.permissions.length > 0 ? [`  permissions = ${list(g.permissions)};`] : [])];
      out.push(`global {\n${[...decl, ...blockLines("global")].join("\n")}\n}`);
    }
    for (const r of this.rules) if (r.block === undefined) out.push(r.text);
    for (const d of this.declares) out.push(d.text);
    return `${out.join("\n\n")}\n`;
  }

  // ---------------------------------------------------------------------------------- facts

  shapes(): Shape[] {
    return [...this.rules.flatMap((r) => r.shapes), ...this.declares.map((d) => d.shape)];
  }

  anyValue(): Value {
    const r = this.rng.next();
    if (r < 0.8) return this.rng.pick(this.entities.get(this.rng.pick(this.entityTypes))!);
    if (r < 0.9) return this.rng.pick(this.allNames().length > 0 ? this.allNames() : ["x"]);
    return this.rng.pick(this.levels);
  }

  argValue(a: Arg): Value {
    const rng = this.rng;
    switch (a.k) {
      case "ent": {
        const types = this.concreteTypes(a.type);
        if (types.length === 0) return ent(a.type, "x0");
        const own = types.includes(a.type) && rng.chance(0.6) ? a.type : rng.pick(types);
        return rng.pick(this.entities.get(own)!);
      }
      case "str":
        if (a.values.length > 0 && rng.chance(0.9)) return rng.pick(a.values);
        return rng.pick([...this.allNames(), "", "unknown"]);
      case "int":
        return rng.pick(a.values);
      case "bool":
        return rng.chance(0.5);
      case "any":
        return this.anyValue();
    }
  }

  fact(shape: Shape): Fact {
    return [shape.pred, ...shape.args.map((a) => this.argValue(a))];
  }

  facts(count: number): Fact[] {
    const shapes = this.shapes();
    if (shapes.length === 0) return [];
    const weighted = shapes.map((s) => [s, s.weight] as const);
    const out = new Map<string, Fact>();
    const add = (f: Fact): void => {
      out.set(factKey(f), f);
    };
    for (let i = 0; i < count; i++) add(this.fact(this.rng.weighted(weighted)));
    // Cycles: for shapes that link two entities of one type, close a loop.
    for (const s of shapes) {
      const ents = s.args.flatMap((a, i) => (a.k === "ent" ? [[i, a.type] as const] : []));
      if (ents.length < 2 || ents[0]![1] !== ents[1]![1] || !this.rng.chance(0.5)) continue;
      const [i, type] = ents[0]!;
      const j = ents[1]![0];
      const pool = this.entities.get(this.concreteTypes(type)[0] ?? type) ?? [];
      if (pool.length === 0) continue;
      const loop = this.rng.sample(pool, this.rng.int(1, 3));
      for (const [k, from] of loop.entries()) {
        const base = this.fact(s);
        const args = [...base.slice(1)] as Value[];
        args[i] = from;
        args[j] = loop[(k + 1) % loop.length]!;
        add([s.pred, ...args]);
      }
      this.features.add("data-cycle");
    }
    return [...out.values()];
  }

  // --------------------------------------------------------------------------------- checks

  /** Entities mentioned by the stored facts, by type (checks favour them so that joins hit). */
  mentioned = new Map<string, TypedValue[]>();
  /** (actor, resource) pairs that occur together in a stored fact. */
  pairs: [TypedValue, TypedValue][] = [];

  noteFacts(facts: readonly Fact[]): void {
    const seen = new Set<string>();
    for (const f of facts) {
      const ents = f.slice(1).filter((a): a is TypedValue => typeof a === "object" && a !== null && typeof a !== "bigint");
      for (const e of ents) {
        const k = `${e.type}\u0000${e.id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        let list = this.mentioned.get(e.type);
        if (list === undefined) this.mentioned.set(e.type, (list = []));
        list.push(e);
      }
      for (const a of ents) {
        if (this.blocks.get(a.type)?.kind !== "actor") continue;
        for (const r of ents) if (r !== a && this.blocks.has(r.type)) this.pairs.push([a, r]);
      }
    }
  }

  actorValue(): Value {
    const r = this.rng.next();
    const users = this.mentioned.get("User") ?? [];
    if (r < 0.45 && users.length > 0) return this.rng.pick(users);
    if (r < 0.75) return this.rng.pick(this.entities.get("User")!);
    if (r < 0.85 && this.entities.has("Team")) return this.rng.pick(this.entities.get("Team")!);
    if (r < 0.92) return ent("User", "ghost");
    if (r < 0.97) return this.rng.pick(this.entities.get(this.rng.pick(this.entityTypes))!);
    return this.rng.pick<Value>(["u0", 3, true]);
  }

  resourceValue(): Value {
    const r = this.rng.next();
    const types = this.resourceNames().filter((t) => (this.mentioned.get(t) ?? []).length > 0);
    if (r < 0.45 && types.length > 0) return this.rng.pick(this.mentioned.get(this.rng.pick(types))!);
    if (r < 0.7) return this.rng.pick(this.entities.get(this.rng.pick(this.resourceNames()))!);
    if (r < 0.85) return this.rng.pick(this.entities.get(this.rng.pick(this.entityTypes))!);
    if (r < 0.92) return ent(this.rng.pick(this.resourceNames()), "missing");
    if (r < 0.97) return ent("Widget", "w0");
    return this.rng.pick<Value>(["r0", 7]);
  }

  /** An action, usually a permission of `resourceType`'s block when given. */
  actionValue(resourceType?: string): string {
    const own = resourceType === undefined ? [] : this.decls(resourceType).permissions;
    const perms = [...new Set([...this.blocks.values()].flatMap((b) => b.permissions).concat(this.global?.permissions ?? []))];
    const r = this.rng.next();
    if (r < 0.6 && own.length > 0) return this.rng.pick(own);
    if (r < 0.85 && perms.length > 0) return this.rng.pick(perms);
    if (r < 0.93) return this.rng.pick([...ROLE_POOL, "ping"]);
    return this.rng.pick(UNKNOWN_ACTIONS);
  }

  /** An (actor, resource) pair, often one that occurs in a stored fact. */
  pair(): [Value, Value] {
    if (this.pairs.length > 0 && this.rng.chance(0.4)) return this.rng.pick(this.pairs);
    return [this.actorValue(), this.resourceValue()];
  }

  predicates(): [string, number][] {
    const keys = new Set<string>();
    for (const r of this.rules) keys.add(r.head);
    for (const s of this.shapes()) keys.add(atomKey(s.pred, s.args.length));
    for (const k of ["has_permission/3", "allow/3"]) keys.add(k);
    return [...keys].sort().map((k) => {
      const slash = k.lastIndexOf("/");
      return [k.slice(0, slash), Number(k.slice(slash + 1))];
    });
  }

  queryArg(shape: Shape | undefined, i: number): ValuePattern {
    const r = this.rng.next();
    if (r < 0.3) return null;
    if (r < 0.55) {
      const types = [...this.entityTypes, "String", "Integer", "Boolean", "Resource", "Actor", "Nope"];
      const a = shape?.args[i];
      if (a?.k === "ent" && this.rng.chance(0.6)) return { type: this.rng.pick(this.concreteTypes(a.type).length > 0 ? this.concreteTypes(a.type) : [a.type]) };
      if (a?.k === "str" && this.rng.chance(0.6)) return { type: "String" };
      return { type: this.rng.pick(types) };
    }
    const a = shape?.args[i];
    return a !== undefined ? this.argValue(a) : this.anyValue();
  }

  context(): Fact[] | undefined {
    if (!this.rng.chance(0.2)) return undefined;
    const shapes = this.shapes();
    if (shapes.length === 0) return undefined;
    const weighted = shapes.map((s) => [s, s.weight] as const);
    this.features.add("context-facts");
    const ghosts = this.rng.chance(0.35);
    if (ghosts) this.features.add("context-new-entities");
    return Array.from({ length: this.rng.int(1, 3) }, () => {
      const f = this.fact(this.rng.weighted(weighted));
      if (!ghosts) return f;
      // Entities that only the context mentions (the "ghost" actor of checks among them).
      return [f[0], ...f.slice(1).map((a) => (typeof a === "object" && this.rng.chance(0.5) ? ent(a.type, this.rng.pick(["ghost", "ctx0"])) : a))];
    });
  }

  /** A store step: insert, delete (by pattern), a batch (sometimes with an invalid fact), get, reload. */
  storeOp(): Check {
    const rng = this.rng;
    const shapes = this.shapes();
    this.features.add("store-ops");
    const known = [...this.stored.values()];
    const kind = rng.weighted([["insert", 3], ["delete", 3], ["batch", 1.5], ["get", 1.5], ["reload", 0.7]] as const);
    const patternOf = (f: Fact): FactPattern => [f[0], ...f.slice(1).map((a): ValuePattern => {
      const r = rng.next();
      if (r < 0.6) return a;
      if (r < 0.8) return null;
      return typeof a === "object" ? { type: a.type } : null;
    })];
    if (kind === "reload") {
      this.features.add("reload");
      return { op: "reload" };
    }
    if (kind === "get") {
      if (known.length === 0 || rng.chance(0.1)) return { op: "get", pattern: ["has_role", null, null, null] };
      return { op: "get", pattern: patternOf(rng.pick(known)) };
    }
    if (kind === "delete" && known.length > 0) {
      const pattern = patternOf(rng.pick(known));
      for (const k of [...this.stored.keys()]) if (matchesPattern(this.stored.get(k)!, pattern)) this.stored.delete(k);
      return { op: "delete", pattern };
    }
    if (shapes.length === 0) return { op: "delete", pattern: ["no_such_predicate", null] };
    const weighted = shapes.map((x) => [x, x.weight] as const);
    if (kind === "batch") {
      const facts = Array.from({ length: rng.int(1, 4) }, () => this.fact(rng.weighted(weighted)));
      if (rng.chance(0.4)) {
        // All or nothing: the batch must fail as a whole and leave the store unchanged.
        facts.splice(rng.int(0, facts.length), 0, ["no_such_fact", "x"]);
        this.features.add("failing-batch");
      } else {
        for (const f of facts) this.stored.set(factKey(f), f);
      }
      return { op: "batch", facts };
    }
    const fact = this.fact(rng.weighted(weighted));
    this.stored.set(factKey(fact), fact);
    return { op: "insert", fact };
  }

  /** The facts stored after the initial load and the writes so far (approximately: a pool for patterns). */
  stored = new Map<string, Fact>();

  check(storeOps: boolean): Check {
    const rng = this.rng;
    if (storeOps && rng.chance(0.1)) return this.storeOp();
    const ctx = this.context();
    const withCtx = <C extends Check>(c: C): C => (ctx === undefined ? c : { ...c, context: ctx });
    const kind = rng.weighted([["authorize", 4], ["list", 2], ["actions", 2], ["query", 3], ["error", 0.3]] as const);
    switch (kind) {
      case "authorize": {
        const [actor, resource] = this.pair();
        return withCtx({ op: "authorize", actor, action: this.actionValue(typeOf(resource)), resource });
      }
      case "list": {
        const types = [...this.resourceNames(), ...this.actorNames()];
        const type = rng.chance(0.9) ? rng.pick(types) : rng.pick(["Resource", "Actor", "Widget", "String", ...this.opaque]);
        return withCtx({ op: "list", actor: this.actorValue(), action: this.actionValue(type), resourceType: type });
      }
      case "actions": {
        const [actor, resource] = this.pair();
        return withCtx({ op: "actions", actor, resource });
      }
      case "query": {
        const preds = this.predicates();
        const [name, arity] = rng.pick(preds);
        const shapes = this.shapes().filter((s) => s.pred === name && s.args.length === arity);
        const shape = shapes.length > 0 && rng.chance(0.8) ? rng.pick(shapes) : undefined;
        return withCtx({ op: "query", predicate: name, args: Array.from({ length: arity }, (_, i) => this.queryArg(shape, i)) });
      }
      default: {
        this.features.add("error-checks");
        // Requests both engines must reject with the same error code.
        const which = rng.int(0, 3);
        if (which === 0) return { op: "query", predicate: "no_such_predicate", args: [null] };
        if (which === 1) return { op: "query", predicate: "allow", args: [null, null] };
        if (which === 2) return { op: "list", actor: this.actorValue(), action: "read", resourceType: "" };
        return { op: "authorize", actor: this.actorValue(), action: this.actionValue(), resource: this.resourceValue(), context: [["no_such_fact", "x"]] };
      }
    }
  }
}

/** Does a stored fact match a delete pattern (`null` = any, `{ type }` = any of exactly that type)? */
function matchesPattern(f: Fact, pattern: FactPattern): boolean {
  if (f[0] !== pattern[0] || f.length !== pattern.length) return false;
  return f.slice(1).every((a, i) => {
    const p = pattern[i + 1];
    if (p === null || p === undefined) return true;
    if (typeof p === "object" && (p.id === null || p.id === undefined)) return typeof a === "object" && a.type === p.type;
    return factKey(["", a]) === factKey(["", p as Value]);
  });
}

function typeOf(v: Value): string | undefined {
  return typeof v === "object" ? v.type : undefined;
}

export function factKey(f: Fact): string {
  return JSON.stringify(f, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Generate one program; the same seed always gives the same program. */
export function generateProgram(seed: number, options: GeneratorOptions = {}): GeneratedProgram {
  const g = new Gen(seed);
  g.big = g.rng.chance(0.04);
  if (g.big) g.features.add("big");
  g.buildTypes();
  g.buildShorthand();
  const rng = g.rng;
  // Groups add a type, so they come before the domain; the other longhand templates may
  // write entity literals, so they come after it.
  if (rng.chance(0.25)) g.groups();
  g.buildDomain();
  g.buildLonghand();
  g.stratify();
  const policy = g.render();
  const facts = g.facts(options.facts ?? (g.big ? rng.int(150, 400) : rng.int(10, 60)));
  g.noteFacts(facts);
  for (const f of facts) g.stored.set(factKey(f), f);
  const storeOps = options.storeOps ?? true;
  const checks = Array.from({ length: options.checks ?? rng.int(12, 28) }, () => g.check(storeOps));
  const entities: Record<string, TypedValue[]> = {};
  for (const [k, v] of g.entities) entities[k] = v;
  return {
    seed,
    policy,
    facts,
    checks,
    now: g.now,
    domain: {
      actorTypes: g.actorNames(),
      resourceTypes: g.resourceNames(),
      entities,
      predicates: g.predicates(),
    },
    features: [...g.features].sort(),
  };
}

// ------------------------------------------------------------------------------ formatting

/** A value in the CLI's `Type:id` form (Strings quoted). */
export function formatValue(v: Value | ValuePattern): string {
  if (v === null) return "_";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v.id === null || v.id === undefined) return `${v.type}:_`;
  return `${v.type}:${v.id}`;
}

export function formatFact(f: Fact): string {
  const [pred, ...args] = f;
  return `${pred}(${args.map(formatValue).join(", ")})`;
}

export function formatCheck(c: Check): string {
  const ctx = c.context !== undefined && c.context.length > 0 ? ` with context [${c.context.map(formatFact).join(", ")}]` : "";
  switch (c.op) {
    case "authorize":
      return `authorize(${formatValue(c.actor)}, ${JSON.stringify(c.action)}, ${formatValue(c.resource)})${ctx}`;
    case "list":
      return `list(${formatValue(c.actor)}, ${JSON.stringify(c.action)}, ${JSON.stringify(c.resourceType)})${ctx}`;
    case "actions":
      return `actions(${formatValue(c.actor)}, ${formatValue(c.resource)})${ctx}`;
    case "query":
      return `query ${c.predicate}(${c.args.map(formatValue).join(", ")})${ctx}`;
    case "insert":
      return `insert ${formatFact(c.fact)}`;
    case "delete":
      return `delete ${c.pattern[0]}(${c.pattern.slice(1).map((a) => formatValue(a as ValuePattern)).join(", ")})`;
    case "batch":
      return `batch [${c.facts.map(formatFact).join(", ")}]`;
    case "get":
      return `get ${c.pattern[0]}(${c.pattern.slice(1).map((a) => formatValue(a as ValuePattern)).join(", ")})`;
    case "reload":
      return "policy (reload the same policy)";
  }
}

/** The whole program as readable text (policy, facts, checks). */
export function describeProgram(p: GeneratedProgram): string {
  return [
    `# seed ${p.seed}, now = ${p.now}, features: ${p.features.join(" ")}`,
    p.policy.trimEnd(),
    `# facts (${p.facts.length})`,
    ...p.facts.map((f) => `#   ${formatFact(f)}`),
    `# checks (${p.checks.length})`,
    ...p.checks.map((c, i) => `#   ${i}: ${formatCheck(c)}`),
  ].join("\n");
}
