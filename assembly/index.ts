// Placeholder ABI: replaced by the evaluation core (issue 3).
/** The ABI version the TypeScript engine checks before use. */
export function abiVersion(): u32 {
  return 1;
}
