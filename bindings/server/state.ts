/**
 * The server's state: the SQLite store (kept open; the same store and the same
 * one-transaction-per-write discipline as the CLI) and an engine held in memory, kept in sync
 * with the store. Every handler here is synchronous, so requests never interleave inside it.
 */
import { type Diagnostic, diagnostic, FactError } from "../api/errors.js";
import type { Fact, FactPattern, TypedValue, Value, ValuePattern } from "../api/types.js";
import { toTypedFact, toTypedFactPattern, toTypedValue } from "../api/values.js";
import { analyzePolicy } from "../compile/index.js";
import { type EngineMaker, type SnapshotEngine } from "../cli/engine.js";
import { testsFailedError } from "../cli/policy-source.js";
import { checkFacts, loadStore, noPolicy } from "../cli/session.js";
import { checkIdBytes, DEFAULT_LIMITS, type Limits } from "./limits.js";
import { reclassifyFacts } from "../cli/reclassify.js";
import { type PolicyFile, type Store } from "../store/index.js";

/** A fact on the wire: `{predicate, args: [{type, id}]}` (ids may be null in patterns). */
export interface WireFact {
  readonly predicate: string;
  readonly args: readonly { readonly type: string | null; readonly id: string | null }[];
}

export type BlockMetadata = { roles: string[]; permissions: string[]; relations: Record<string, string> };

export type Change = { readonly kind: "insert"; readonly fact: Fact } | { readonly kind: "delete"; readonly pattern: FactPattern };

export function badRequest(message: string): FactError {
  return new FactError(diagnostic("E_BAD_REQUEST", message, "see the Oso Cloud HTTP API (docs/server.md)"));
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A wire fact as an engine fact (concrete: every arg has a type and an id). */
export function wireFact(x: unknown, limits: Limits = DEFAULT_LIMITS): Fact {
  if (!isObject(x) || typeof x["predicate"] !== "string" || !Array.isArray(x["args"])) throw badRequest("a fact must be `{predicate, args}`");
  const args = (x["args"] as unknown[]).map((a): Value => {
    if (!isObject(a) || typeof a["type"] !== "string" || typeof a["id"] !== "string") throw badRequest(`every argument of a \`${x["predicate"] as string}\` fact needs a type and an id`);
    checkIdBytes(a["type"], a["id"], limits);
    return { type: a["type"], id: a["id"] };
  });
  return toTypedFact([x["predicate"], ...args]) as Fact;
}

/** A wire fact pattern (null type/id = wildcard). */
export function wirePattern(x: unknown, limits: Limits = DEFAULT_LIMITS): FactPattern {
  if (!isObject(x) || typeof x["predicate"] !== "string" || !Array.isArray(x["args"])) throw badRequest("a fact pattern must be `{predicate, args}`");
  const args = (x["args"] as unknown[]).map((a): ValuePattern => {
    if (a === null) return null;
    if (!isObject(a)) throw badRequest("a pattern argument must be `{type, id}`");
    const type = a["type"] ?? null;
    const id = a["id"] ?? null;
    if (type !== null && typeof type !== "string") throw badRequest("a pattern argument's type must be a string or null");
    if (id !== null && typeof id !== "string") throw badRequest("a pattern argument's id must be a string or null");
    if (id === null) return type === null ? null : { type };
    if (type === null) throw badRequest("a pattern argument with an id must also have a type");
    checkIdBytes(type, id, limits);
    return { type, id };
  });
  return toTypedFactPattern([x["predicate"], ...args]) as FactPattern;
}

export function wireValue(type: unknown, id: unknown, what: string, limits: Limits = DEFAULT_LIMITS): TypedValue {
  if (typeof type !== "string" || typeof id !== "string") throw badRequest(`\`${what}_type\` and \`${what}_id\` must be strings`);
  checkIdBytes(type, id, limits);
  return toTypedValue({ type, id });
}

export function toWire(pred: string, args: readonly TypedValue[]): WireFact {
  return { predicate: pred, args: args.map((a) => ({ type: a.type, id: a.id })) };
}

export class ServerState {
  engine: SnapshotEngine;
  generation = -1;
  policyFiles: PolicyFile[] | undefined;
  metadata: Record<string, BlockMetadata> = {};

  constructor(
    readonly store: Store,
    readonly dir: string,
    private readonly maker: EngineMaker,
  ) {
    this.engine = maker.fresh();
    this.syncIfMoved();
  }

  /** Reload the engine when the store's generation moved (a CLI write, or first start). */
  syncIfMoved(): void {
    const now = this.store.read(() => this.store.generation());
    if (now !== this.generation) this.reload();
  }

  /** Load policy and facts from the store: from the snapshot when it is current. */
  reload(): void {
    const store = this.store;
    store.read(() => {
      const generation = store.generation();
      const policy = store.policy();
      let engine: SnapshotEngine | undefined;
      if (policy !== undefined) {
        const bytes = store.snapshot(generation);
        if (bytes !== undefined) {
          try {
            engine = this.maker.restore(bytes);
          } catch {
            engine = undefined;
          }
        }
        if (engine === undefined) {
          engine = this.maker.fresh();
          loadStore(engine, store, this.dir);
        }
      }
      this.engine = engine ?? this.maker.fresh();
      this.generation = generation;
      this.setPolicy(policy);
    });
  }

  private setPolicy(policy: PolicyFile[] | undefined): void {
    this.policyFiles = policy;
    this.metadata = {};
    if (policy === undefined) return;
    const model = analyzePolicy(policy).model;
    if (model === undefined) return;
    for (const [name, b] of model.blocks) {
      this.metadata[name] = { roles: [...b.roles], permissions: [...b.permissions], relations: Object.fromEntries(b.relations) };
    }
  }

  requirePolicy(): void {
    if (this.policyFiles === undefined) throw noPolicy(this.dir);
  }

  /** Validate, run the tests, save (one transaction), then swap the engine in. */
  savePolicy(files: PolicyFile[]): Diagnostic[] {
    const analysis = analyzePolicy(files);
    if (analysis.program === undefined) {
      // let the engine raise the library's own PolarError
      this.maker.fresh().policy(files);
    }
    const candidate = this.maker.fresh();
    candidate.policy(files);
    const report = candidate.test();
    if (!report.passed) throw testsFailedError(report, "fix the policy or its tests; the policy was not saved and the previous one stays");
    const store = this.store;
    const checker = this.maker.fresh();
    checker.policy(files);
    const unusable = store.write(() => {
      store.savePolicy(files);
      return reclassifyFacts(store, checker);
    });
    this.reload();
    return [...analysis.diagnostics.filter((d) => d.severity === "warning"), ...unusable];
  }

  /** Apply changes in order in one store transaction; the engine follows after the commit. */
  batch(changes: readonly Change[]): void {
    this.requirePolicy();
    const inserts = changes.flatMap((c) => (c.kind === "insert" ? [c.fact] : []));
    const failed = checkFacts(this.engine, inserts);
    if (failed !== undefined) throw failed.error;
    const store = this.store;
    store.write(() => {
      this.checkPolicyUnchanged();
      for (const c of changes) {
        if (c.kind === "insert") {
          const [pred, ...args] = c.fact;
          store.insertFact(pred, args as TypedValue[]);
        } else {
          const [pred, ...args] = c.pattern;
          store.delete(pred, args as never);
        }
      }
    });
    this.afterWrite(() => {
      this.engine.batch((tx) => {
        for (const c of changes) {
          if (c.kind === "insert") tx.insert(c.fact);
          else tx.delete(c.pattern);
        }
      });
    });
  }

  /**
   * Inside a write transaction: the facts were validated against the engine's policy; if a CLI
   * command saved another policy since, give up (503, retried by the client after a reload).
   */
  private checkPolicyUnchanged(): void {
    if (this.store.generation() === this.generation) return;
    const now = this.store.policy();
    const same = now !== undefined && this.policyFiles !== undefined && now.length === this.policyFiles.length
      && now.every((f, i) => f.filename === this.policyFiles![i]!.filename && f.src === this.policyFiles![i]!.src);
    if (!same) {
      throw new FactError(diagnostic("E_STORE_BUSY", "the policy changed while the request was checked", "retry the request"));
    }
  }

  /**
   * Best effort, at shutdown: save the engine as the store's snapshot (only if the store is
   * still at the engine's generation), so that the next start and the CLI's questions restore
   * it instead of loading every fact.
   */
  saveSnapshot(): boolean {
    if (this.policyFiles === undefined) return false;
    try {
      return this.store.saveSnapshot(this.generation, this.engine.snapshot());
    } catch {
      return false;
    }
  }

  clearData(): void {
    this.store.write(() => this.store.clearFacts());
    this.afterWrite(() => {
      const engine = this.maker.fresh();
      if (this.policyFiles !== undefined) engine.policy(this.policyFiles);
      this.engine = engine;
    });
  }

  /** After a commit: bring the engine along; if that fails, reload it from the store. */
  private afterWrite(apply: () => void): void {
    const now = this.store.read(() => this.store.generation());
    if (now !== this.generation + 1) {
      // someone else (the CLI) wrote in between: the store is the truth
      this.reload();
      return;
    }
    try {
      apply();
      this.generation = now;
    } catch {
      this.reload();
    }
  }
}

