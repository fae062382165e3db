/** The embedded SQLite store behind the `boreal` CLI. */
export { Store, splitArgs, type FactRow, type PolicyFile, type StoredFact } from "./store.js";
export { atLine, formatFactLine, jsonValue, parseFactLine, type TypedFact } from "./jsonl.js";
export { fromSqliteError, storeError } from "./errors.js";
export { APPLICATION_ID, BUSY_TIMEOUT_MS, DB_FILENAME, SCHEMA_VERSION } from "./schema.js";
