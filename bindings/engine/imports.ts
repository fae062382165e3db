/** The host functions engine.wasm imports (docs/abi.md): `env.boreal_now`, a millisecond clock for time budgets. */
export function coreImports(): WebAssembly.Imports {
  return { env: { boreal_now: (): number => performance.now() } };
}
