/**
 * The embedded store: policy and facts in SQLite (better-sqlite3), WAL mode, a busy timeout so
 * that concurrent commands wait instead of failing, and one transaction per command.
 *
 * Values are canonical (`toTypedValue`): the store never re-validates them, it only keeps what
 * the engine accepted.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Fact, TypedValue } from "../api/types.js";
import type { TypedPattern } from "../api/values.js";
import { fromSqliteError, storeError } from "./errors.js";
import { APPLICATION_ID, BUSY_TIMEOUT_MS, DB_FILENAME, SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";

export interface PolicyFile {
  readonly filename: string;
  readonly src: string;
}

export interface StoredFact {
  readonly seq: number;
  readonly pred: string;
  readonly args: readonly TypedValue[];
  readonly usable: boolean;
}

/** A raw fact row: seq, predicate, argument vids (`"3,17,4"`), usable (0/1). */
export type FactRow = readonly [seq: number, pred: string, args: string, usable: number];

type Stmt = Database.Statement<unknown[], unknown>;

/** The vids of an args string. */
export function splitArgs(args: string): number[] {
  return args === "" ? [] : args.split(",").map(Number);
}

export class Store {
  private readonly vidCache = new Map<string, number>();
  private readonly stmts = new Map<string, Stmt>();

  private constructor(
    readonly db: Database.Database,
    /** The database file, for messages. */
    readonly file: string,
  ) {}

  /**
   * Open the store in `dir`. With `create`, the directory and database are created when missing;
   * without it, a missing database gives `undefined` (nothing is written).
   * Throws a FactError (E_STORE_*) for a foreign, corrupt or newer-version file.
   */
  static open(dir: string, options: { readonly create: boolean; readonly busyTimeoutMs?: number }): Store | undefined {
    const file = join(dir, DB_FILENAME);
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw storeError("E_STORE_IO", `the data directory \`${dir}\` is not a directory`, "point --data (or BOREAL_DATA) at a directory; boreal keeps its database in DIR/boreal.db");
    }
    if (!existsSync(file)) {
      if (!options.create) return undefined;
      mkdirSync(dir, { recursive: true });
    }
    let db: Database.Database | undefined;
    try {
      const timeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
      db = new Database(file, { timeout });
      const store = new Store(db, file);
      store.init(timeout);
      return store;
    } catch (e) {
      db?.close();
      throw fromSqliteError(e, file);
    }
  }

  private init(timeout: number): void {
    const db = this.db;
    db.pragma(`busy_timeout = ${timeout}`);
    // The first read of the header: a file that is not SQLite fails here (SQLITE_NOTADB).
    const appId = db.pragma("application_id", { simple: true }) as number;
    const tables = (): string[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (tables().length === 0 && appId === 0) {
      db.pragma("journal_mode = WAL");
      // Two commands may create the same store at once: the second one waits, then sees the tables.
      db.transaction(() => {
        if (tables().length > 0) return;
        db.exec(SCHEMA_SQL);
        const meta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
        meta.run("format", "boreal");
        meta.run("schema_version", String(SCHEMA_VERSION));
        meta.run("generation", "0");
        db.pragma(`application_id = ${APPLICATION_ID}`);
      }).immediate();
    }
    const id = db.pragma("application_id", { simple: true }) as number;
    if (id !== APPLICATION_ID || !tables().includes("meta")) {
      throw storeError(
        "E_STORE_FOREIGN",
        `\`${this.file}\` is a SQLite database, but not a boreal store`,
        "point --data (or BOREAL_DATA) at another directory; boreal does not touch databases it did not create",
      );
    }
    const version = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? Number.NaN);
    if (!Number.isSafeInteger(version) || version < 1) {
      throw storeError("E_STORE_CORRUPT", `\`${this.file}\` has no valid schema version`, "point --data at another directory, or move the damaged file away");
    }
    if (version > SCHEMA_VERSION) {
      throw storeError(
        "E_STORE_NEWER",
        `the store \`${this.file}\` has schema version ${version}, but this boreal reads version ${SCHEMA_VERSION} at most`,
        "use the newer boreal that wrote this store, or point --data at another directory",
      );
    }
    // (Migrations from older schema versions go here once there is more than one.)
    if (String(db.pragma("journal_mode", { simple: true })) !== "wal") db.pragma("journal_mode = WAL");
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private stmt(sql: string): Stmt {
    let s = this.stmts.get(sql);
    if (s === undefined) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  // ---------------------------------------------------------------- transactions

  /** Run `body` in one write transaction (taken up front, so concurrent writers queue). */
  write<T>(body: () => T): T {
    return this.guard(() => this.db.transaction(() => {
      const out = body();
      this.bump();
      return out;
    }).immediate());
  }

  /** Run `body` in one read transaction: a consistent snapshot of policy and facts. */
  read<T>(body: () => T): T {
    return this.guard(() => this.db.transaction(body).deferred());
  }

  /** For writes that must await between steps (import): begin, then commit or roll back. */
  begin(): void {
    this.guard(() => this.db.exec("BEGIN IMMEDIATE"));
  }

  commit(): void {
    this.guard(() => {
      this.bump();
      this.db.exec("COMMIT");
    });
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  /** Run `body`, turning SQLite errors into store FactErrors. */
  guard<T>(body: () => T): T {
    try {
      return body();
    } catch (e) {
      throw fromSqliteError(e, this.file);
    }
  }

  private bump(): void {
    this.stmt("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'").run();
    // the snapshot is of an older generation now: drop it (it can be large)
    if (this.hasSnapshotTable()) this.stmt("DELETE FROM snapshot").run();
  }

  // ---------------------------------------------------------------- engine snapshot

  private hasSnapshotTable(): boolean {
    return this.stmt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'snapshot'").pluck().get() === 1;
  }

  /** The saved engine snapshot if it was taken at `generation` (call inside a transaction). */
  snapshot(generation: number): Uint8Array | undefined {
    if (!this.hasSnapshotTable()) return undefined;
    const bytes = this.stmt("SELECT bytes FROM snapshot WHERE id = 1 AND generation = ?").pluck().get(generation) as Uint8Array | undefined;
    return bytes ?? undefined;
  }

  /**
   * Save an engine snapshot taken at `generation`, in its own short write transaction that does
   * not bump the generation and does not wait for a busy store. Returns false (nothing saved)
   * when the store changed since, or is locked by another command.
   */
  saveSnapshot(generation: number, bytes: Uint8Array): boolean {
    const db = this.db;
    const timeout = db.pragma("busy_timeout", { simple: true }) as number;
    db.pragma("busy_timeout = 0");
    try {
      return db.transaction(() => {
        if (this.generation() !== generation) return false;
        db.exec("CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, bytes BLOB NOT NULL)");
        db.prepare("INSERT OR REPLACE INTO snapshot (id, generation, bytes) VALUES (1, ?, ?)").run(generation, bytes);
        return true;
      }).immediate();
    } catch {
      return false;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** Bumped by every committed write (for snapshot invalidation). */
  generation(): number {
    return Number(this.stmt("SELECT value FROM meta WHERE key = 'generation'").pluck().get());
  }

  // ---------------------------------------------------------------- policy

  /** The saved policy's files, or undefined when no policy was saved yet. */
  policy(): PolicyFile[] | undefined {
    const rows = this.stmt("SELECT filename, src FROM policy_files ORDER BY pos").all() as PolicyFile[];
    return rows.length === 0 ? undefined : rows.map((r) => ({ filename: r.filename, src: r.src }));
  }

  savePolicy(files: readonly PolicyFile[]): void {
    this.stmt("DELETE FROM policy_files").run();
    const ins = this.stmt("INSERT INTO policy_files (pos, filename, src) VALUES (?, ?, ?)");
    files.forEach((f, i) => ins.run(i, f.filename, f.src));
  }

  // ---------------------------------------------------------------- values

  /** The vid of a value, inserting it when new. */
  private vid(v: TypedValue): number {
    const key = `${v.type}\u0000${v.id}`;
    let vid = this.vidCache.get(key);
    if (vid === undefined) {
      vid = this.stmt("SELECT vid FROM vals WHERE type = ? AND id = ?").pluck().get(v.type, v.id) as number | undefined;
      if (vid === undefined) vid = Number(this.stmt("INSERT INTO vals (type, id) VALUES (?, ?)").run(v.type, v.id).lastInsertRowid);
      this.vidCache.set(key, vid);
    }
    return vid;
  }

  /** The vid of a value if it is stored, else undefined (no insert). */
  private findVid(v: TypedValue): number | undefined {
    return this.vidCache.get(`${v.type}\u0000${v.id}`) ?? (this.stmt("SELECT vid FROM vals WHERE type = ? AND id = ?").pluck().get(v.type, v.id) as number | undefined);
  }

  /** Every stored value, indexed by vid (one shared object per value). */
  valueTable(): TypedValue[] {
    const out: TypedValue[] = [];
    for (const row of this.stmt("SELECT vid, type, id FROM vals").raw().iterate()) {
      const [vid, type, id] = row as [number, string, string];
      out[vid] = { type, id };
    }
    return out;
  }

  // ---------------------------------------------------------------- facts

  /** Store a canonical fact; false if it was already stored. */
  insertFact(pred: string, args: readonly TypedValue[]): boolean {
    let key = "";
    for (let i = 0; i < args.length; i++) key += i === 0 ? String(this.vid(args[i]!)) : `,${this.vid(args[i]!)}`;
    return this.stmt("INSERT OR IGNORE INTO facts (pred, args) VALUES (?, ?)").run(pred, key).changes > 0;
  }

  factCount(): number {
    return this.stmt("SELECT count(*) FROM facts").pluck().get() as number;
  }

  /** Raw rows of every stored fact, in insertion order. Run no other statement while iterating. */
  rows(): IterableIterator<FactRow> {
    return this.stmt("SELECT seq, pred, args, usable FROM facts ORDER BY seq").raw().iterate() as IterableIterator<FactRow>;
  }

  /**
   * Every usable stored fact as engine input, streamed (the load path of every question).
   * Values are shared objects from one read of `vals`. Run no other statement while iterating.
   */
  *usableFacts(): Generator<Fact, void, undefined> {
    // (Questions restore the engine from `snapshot()` instead when it is current.)
    const values = this.valueTable();
    for (const row of this.stmt("SELECT pred, args FROM facts WHERE usable = 1").raw().iterate()) {
      const [pred, args] = row as [string, string];
      if (args === "") {
        yield [pred];
        continue;
      }
      const ids = args.split(",");
      const fact: unknown[] = new Array(ids.length + 1);
      fact[0] = pred;
      for (let i = 0; i < ids.length; i++) fact[i + 1] = values[Number(ids[i])];
      yield fact as unknown as Fact;
    }
  }

  /** Set the `usable` flag of facts by seq. */
  setUsable(seqs: readonly number[], usable: boolean): void {
    const upd = this.stmt("UPDATE facts SET usable = ? WHERE seq = ?");
    for (const seq of seqs) upd.run(usable ? 1 : 0, seq);
  }

  /**
   * Stored facts matching `pred` (null: any predicate) and `patterns` (null: any number of
   * arguments), in insertion order.
   */
  match(pred: string | null, patterns: readonly TypedPattern[] | null): StoredFact[] {
    const test = this.matcher(patterns);
    if (test === undefined) return [];
    const hits: FactRow[] = [];
    const iter = pred === null
      ? this.stmt("SELECT seq, pred, args, usable FROM facts ORDER BY seq").raw().iterate()
      : this.stmt("SELECT seq, pred, args, usable FROM facts WHERE pred = ? ORDER BY seq").raw().iterate(pred);
    for (const row of iter) {
      const r = row as FactRow;
      if (test(r[2])) hits.push(r);
    }
    if (hits.length === 0) return [];
    const values = this.valueTable();
    return hits.map(([seq, p, args, usable]) => ({ seq, pred: p, args: splitArgs(args).map((v) => values[v]!), usable: usable === 1 }));
  }

  /** Delete the stored facts matching the pattern (see `match`); returns how many. */
  delete(pred: string, patterns: readonly TypedPattern[] | null): number {
    const test = this.matcher(patterns);
    if (test === undefined) return 0;
    const seqs: number[] = [];
    for (const row of this.stmt("SELECT seq, args FROM facts WHERE pred = ?").raw().iterate(pred)) {
      const [seq, args] = row as [number, string];
      if (test(args)) seqs.push(seq);
    }
    const del = this.stmt("DELETE FROM facts WHERE seq = ?");
    for (const seq of seqs) del.run(seq);
    return seqs.length;
  }

  /** Delete every fact (the policy stays); returns how many. */
  clearFacts(): number {
    const n = this.stmt("DELETE FROM facts").run().changes;
    this.stmt("DELETE FROM vals").run();
    this.vidCache.clear();
    return n;
  }

  /**
   * A test on a row's args string for the patterns, or undefined when nothing can match (a
   * value that is not stored at all).
   */
  private matcher(patterns: readonly TypedPattern[] | null): ((args: string) => boolean) | undefined {
    if (patterns === null) return () => true;
    const tests: ((vid: number) => boolean)[] = [];
    let exact = true;
    const vids: number[] = [];
    for (const p of patterns) {
      exact &&= p.id !== null;
      if (p.id === null) {
        if (p.type === null) {
          tests.push(() => true);
        } else {
          const ofType = new Set(this.stmt("SELECT vid FROM vals WHERE type = ?").pluck().all(p.type) as number[]);
          tests.push((vid) => ofType.has(vid));
        }
      } else {
        const vid = this.findVid(p);
        if (vid === undefined) return undefined;
        vids.push(vid);
        tests.push((v) => v === vid);
      }
    }
    if (exact) {
      const key = vids.join(",");
      return (args) => args === key;
    }
    return (args) => {
      const ids = splitArgs(args);
      return ids.length === tests.length && tests.every((t, i) => t(ids[i]!));
    };
  }
}
