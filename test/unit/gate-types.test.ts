// Type-level tests of gate(): what it returns for which engine, and what must not compile.
import { describe, expectTypeOf, it } from "vitest";
import type { Value } from "../../bindings/api/types.js";
import type { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { gate, type Gate, type GateEngine, type GateFor, type SliceGate } from "../../bindings/gate/index.js";
import { gate as fromEntry, type Gate as EntryGate } from "../../bindings/index.js";

declare const wasm: WasmEngine;
declare const withSlices: GateEngine & { loadSlice(bytes: Uint8Array): void };

describe("gate types", () => {
  it("is exported from the package entry", () => {
    expectTypeOf(fromEntry).toEqualTypeOf(gate);
    expectTypeOf<EntryGate>().toEqualTypeOf<Gate>();
  });
  it("has exact member signatures", () => {
    expectTypeOf<Gate["can"]>().toEqualTypeOf<(action: string, resource: Value) => boolean>();
    expectTypeOf<Gate["cannot"]>().toEqualTypeOf<(action: string, resource: Value) => boolean>();
    expectTypeOf<Gate["actions"]>().toEqualTypeOf<(resource: Value) => ReadonlySet<string>>();
    expectTypeOf<Gate["refresh"]>().toEqualTypeOf<() => void>();
    expectTypeOf<Gate["actor"]>().toEqualTypeOf<Value>();
    expectTypeOf<SliceGate["loadSlice"]>().toEqualTypeOf<(bytes: Uint8Array) => void>();
  });
  it("accepts the Wasm engine, and adds loadSlice exactly when the engine has it", () => {
    expectTypeOf<WasmEngine>().toExtend<GateEngine>();
    expectTypeOf<GateFor<typeof withSlices>>().toEqualTypeOf<SliceGate>();
    expectTypeOf<ReturnType<typeof gate<typeof withSlices>>>().toEqualTypeOf<SliceGate>();
    expectTypeOf<GateFor<GateEngine>>().toEqualTypeOf<Gate>();
    expectTypeOf<GateFor<GateEngine>>().not.toHaveProperty("loadSlice");
    expectTypeOf<ReturnType<typeof gate<WasmEngine>>>().toEqualTypeOf<SliceGate>();
  });
  it("the answer set is read-only", () => {
    expectTypeOf<ReturnType<Gate["actions"]>>().not.toHaveProperty("add");
    expectTypeOf<ReturnType<Gate["actions"]>>().not.toHaveProperty("delete");
    expectTypeOf<ReturnType<Gate["actions"]>>().toHaveProperty("has");
  });
  it("rejects what is not an engine, an actor or a resource", () => {
    // Compiled, never run: each @ts-expect-error fails the typecheck if its line compiles.
    const never = (): void => {
      // @ts-expect-error a gate needs authorize and actions
      gate({ authorize: () => true }, "x");
      // @ts-expect-error null is a pattern, not an actor
      gate(wasm, null);
      const g = gate(wasm, "x");
      // @ts-expect-error a type-only pattern is not a resource
      g.can("read", { type: "Issue" });
      // @ts-expect-error the action is a string
      g.can(1, { type: "Issue", id: "1" });
      // @ts-expect-error no loadSlice on a gate over an engine without it
      gate({ authorize: () => true, actions: () => [] }, "x").loadSlice(new Uint8Array());
    };
    expectTypeOf(never).toBeFunction();
  });
});
