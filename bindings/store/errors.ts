/**
 * Store errors: every problem with the database file becomes a FactError with a stable code,
 * a message naming the file and a help line, never a stack trace.
 */
import { diagnostic, FactError } from "../api/errors.js";

export function storeError(code: string, message: string, help: string): FactError {
  return new FactError(diagnostic(code, message, help));
}

/** Map an exception thrown by better-sqlite3 to a FactError; anything else is returned as is. */
export function fromSqliteError(e: unknown, file: string): unknown {
  if (!(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return e;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return storeError(
      "E_STORE_CORRUPT",
      `\`${file}\` is not a usable boreal store: ${e.message.toLowerCase()}`,
      "point --data at another directory, or move the damaged file away (boreal never repairs it in place)",
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return storeError(
      "E_STORE_BUSY",
      `the store \`${file}\` stayed locked by another command for too long`,
      "retry when the other boreal command (for example a large import) has finished",
    );
  }
  return storeError("E_STORE_IO", `cannot use the store \`${file}\`: ${e.message.toLowerCase()}`, "check that the --data directory is writable and the disk is not full");
}
