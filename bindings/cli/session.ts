/**
 * Shared plumbing of the commands: where the store is, opening it, and loading the saved
 * policy and facts into an engine.
 */
import { diagnostic, FactError } from "../api/errors.js";
import type { AuthorizationEngine, Fact } from "../api/types.js";
import { Store } from "../store/index.js";
import { engineMaker, type SnapshotEngine } from "./engine.js";

export interface CommonOptions {
  readonly data?: string;
  readonly json?: boolean;
}

/** `--data DIR`, else `$BOREAL_DATA`, else `./.boreal`. */
export function dataDir(opts: CommonOptions): string {
  const env = process.env["BOREAL_DATA"];
  return opts.data ?? (env !== undefined && env !== "" ? env : ".boreal");
}

/**
 * Open the store in `dir` (see Store.open). `$BOREAL_BUSY_TIMEOUT` (ms) overrides how long a
 * command waits for another command's write lock.
 */
export function openStore(dir: string, create: boolean): Store | undefined {
  const env = Number(process.env["BOREAL_BUSY_TIMEOUT"]);
  return Store.open(dir, Number.isSafeInteger(env) && env >= 0 && process.env["BOREAL_BUSY_TIMEOUT"] !== "" ? { create, busyTimeoutMs: env } : { create });
}

export function noPolicy(dir: string): FactError {
  return new FactError(diagnostic("E_NO_POLICY", `no policy is saved in \`${dir}\``, "save one with `boreal policy FILE…` first (or point --data at the store that has it)"));
}

/** Facts per `batch` call when loading a store into the engine. */
export const LOAD_CHUNK = 1 << 17;

/**
 * Load the saved policy and every usable stored fact into `engine` (call inside a store
 * transaction). Facts stream from SQLite straight into `batch`, in chunks.
 */
export function loadStore(engine: AuthorizationEngine, store: Store, dir: string): void {
  const policy = store.policy();
  if (policy === undefined) throw noPolicy(dir);
  engine.policy(policy);
  let chunk: Fact[] = [];
  const flush = (): void => {
    const facts = chunk;
    chunk = [];
    engine.batch((tx) => {
      for (const f of facts) tx.insert(f);
    });
  };
  for (const fact of store.usableFacts()) {
    chunk.push(fact);
    if (chunk.length === LOAD_CHUNK) flush();
  }
  if (chunk.length > 0) flush();
}

/** `BOREAL_DEBUG_LOAD=1`: say on stderr how questions loaded the engine (docs/cli.md). */
function debugLoad(message: string): void {
  if (process.env["BOREAL_DEBUG_LOAD"] === "1") process.stderr.write(`boreal: ${message}\n`);
}

/**
 * An engine with the store's policy and facts, for questions; the store is closed again.
 * When the store holds a snapshot of the current generation, the engine is restored from it
 * (fast); otherwise the facts are loaded and a fresh snapshot is saved afterwards (best
 * effort: a busy store or any other failure just skips it).
 */
export async function engineForQuestions(dir: string): Promise<AuthorizationEngine> {
  const maker = await engineMaker();
  const store = openStore(dir, false);
  if (store === undefined) throw noPolicy(dir);
  try {
    let generation = 0;
    let restored: SnapshotEngine | undefined;
    let engine: SnapshotEngine | undefined;
    store.read(() => {
      generation = store.generation();
      const bytes = store.snapshot(generation);
      if (bytes !== undefined) {
        try {
          restored = maker.restore(bytes);
          return;
        } catch (e) {
          debugLoad(`the snapshot was not usable (${e instanceof Error ? e.message : String(e)}); loading the facts`);
        }
      }
      engine = maker.fresh();
      loadStore(engine, store, dir);
    });
    if (restored !== undefined) {
      debugLoad(`loaded from snapshot (generation ${generation})`);
      return restored;
    }
    const loaded = engine!;
    let saved = false;
    try {
      saved = store.saveSnapshot(generation, loaded.snapshot());
    } catch {
      saved = false;
    }
    debugLoad(`loaded from facts (generation ${generation}); snapshot ${saved ? "saved" : "not saved"}`);
    return loaded;
  } finally {
    store.close();
  }
}

/** An engine with only the saved policy (to validate new facts); throws when there is none. */
export function loadPolicyOnly(engine: AuthorizationEngine, store: Store, dir: string): void {
  const policy = store.policy();
  if (policy === undefined) throw noPolicy(dir);
  engine.policy(policy);
}

const ABANDON = Symbol("abandon batch");

/**
 * Validate facts against the engine's policy without keeping them: the inserts run in a
 * `batch` that is then abandoned. Returns the index of the first rejected fact and its error.
 */
export function checkFacts(engine: AuthorizationEngine, facts: readonly Fact[]): { readonly index: number; readonly error: unknown } | undefined {
  let index = -1;
  try {
    engine.batch((tx) => {
      for (index = 0; index < facts.length; index++) tx.insert(facts[index]!);
      throw ABANDON;
    });
  } catch (error) {
    if (error === ABANDON) return undefined;
    return { index, error };
  }
  return undefined;
}
