/**
 * The on-disk format of a boreal store (`<data dir>/boreal.db`, SQLite).
 *
 * - `meta`: `format` = "boreal", `schema_version` (this file's SCHEMA_VERSION when written),
 *   `generation` (bumped by every committed write; a future load snapshot is valid only for the
 *   generation it was made from).
 * - `policy_files`: the saved policy, one row per file in load order.
 * - `vals`: every distinct value once (`type`, canonical `id`), numbered by `vid`.
 * - `facts`: one row per stored fact: the predicate and its argument vids joined by `,`
 *   (`""` for no arguments), unique together; `usable` is 0 for facts that the saved policy
 *   cannot use (kept after a policy change, never loaded into the engine).
 * - `snapshot` (created on first use; optional): at most one row (`id` = 1) holding an engine
 *   snapshot (`bytes`, docs/abi.md "Snapshots") and the `generation` it was taken at. Every
 *   write deletes it; questions restore the engine from it when its generation is current.
 *
 * The SQLite header's application_id marks the file as boreal's.
 */

export const DB_FILENAME = "boreal.db";

/** The schema this build writes; stores with a newer one are refused. */
export const SCHEMA_VERSION = 1;

/** "BORE": SQLite's application_id for boreal stores. */
export const APPLICATION_ID = 0x424f5245;

/** How long a command waits for another command's write lock (ms). */
export const BUSY_TIMEOUT_MS = 5000;

export const SCHEMA_SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE policy_files (
  pos      INTEGER PRIMARY KEY,
  filename TEXT NOT NULL,
  src      TEXT NOT NULL
);

CREATE TABLE vals (
  vid  INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id   TEXT NOT NULL,
  UNIQUE (type, id)
);

CREATE TABLE facts (
  seq    INTEGER PRIMARY KEY,
  pred   TEXT NOT NULL,
  args   TEXT NOT NULL,
  usable INTEGER NOT NULL DEFAULT 1,
  UNIQUE (pred, args)
);
`;
