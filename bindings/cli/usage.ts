/** A usage error found after argument parsing (exit 2, with the command's help). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
