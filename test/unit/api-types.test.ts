// Type-level tests of the public API: what compiles and what must not.
import { describe, expectTypeOf, it } from "vitest";
import type { AuthorizationEngine, Fact, FactPattern, OutputValue, QueryRow, TypedValue, Value, ValuePattern } from "../../bindings/api/types.js";
import { parseValue, toOutputValue, toTypedValue } from "../../bindings/api/values.js";
import type { Diagnostic } from "../../bindings/api/errors.js";
import { PolarError } from "../../bindings/api/errors.js";
import type { LoadOptions, SliceOptions, WasmEngine } from "../../bindings/index.js";

describe("public types", () => {
  it("values accept entities and primitives only", () => {
    expectTypeOf<{ type: "User"; id: "bob" }>().toExtend<Value>();
    expectTypeOf<"read">().toExtend<Value>();
    expectTypeOf<42>().toExtend<Value>();
    expectTypeOf<42n>().toExtend<Value>();
    expectTypeOf<true>().toExtend<Value>();
    expectTypeOf<null>().not.toExtend<Value>();
    expectTypeOf<{ type: "User" }>().not.toExtend<Value>();
    expectTypeOf<undefined>().not.toExtend<Value>();
  });
  it("patterns add null and type-only wildcards", () => {
    expectTypeOf<null>().toExtend<ValuePattern>();
    expectTypeOf<{ type: "Repo" }>().toExtend<ValuePattern>();
    expectTypeOf<{ id: "x" }>().not.toExtend<ValuePattern>();
  });
  it("facts start with a predicate name", () => {
    expectTypeOf<["has_role", { type: "User"; id: "bob" }, "owner", { type: "Repo"; id: "x" }]>().toExtend<Fact>();
    expectTypeOf<[{ type: "User"; id: "bob" }]>().not.toExtend<Fact>();
    expectTypeOf<["has_role", null]>().not.toExtend<Fact>();
    expectTypeOf<["has_role", null, { type: "Repo" }]>().toExtend<FactPattern>();
  });
  it("the engine contract has exact signatures", () => {
    expectTypeOf<AuthorizationEngine["authorize"]>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<AuthorizationEngine["list"]>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<AuthorizationEngine["actions"]>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<AuthorizationEngine["query"]>().returns.toEqualTypeOf<QueryRow[]>();
    expectTypeOf<AuthorizationEngine["delete"]>().returns.toEqualTypeOf<number>();
    expectTypeOf<AuthorizationEngine["authorize"]>().parameter(1).toEqualTypeOf<string>();
    expectTypeOf<QueryRow[number]>().toEqualTypeOf<QueryRow[number]>();
  });
  it("value helpers are typed", () => {
    expectTypeOf(parseValue).returns.toEqualTypeOf<TypedValue>();
    expectTypeOf(toTypedValue).parameter(0).toEqualTypeOf<Value>();
    expectTypeOf(toOutputValue).returns.toEqualTypeOf<OutputValue>();
  });
  it("errors carry diagnostics", () => {
    expectTypeOf<PolarError["diagnostics"]>().toEqualTypeOf<readonly Diagnostic[]>();
    expectTypeOf<PolarError["code"]>().toEqualTypeOf<string>();
    expectTypeOf<Diagnostic["severity"]>().toEqualTypeOf<"error" | "warning">();
  });
  it("slices: engine.slice(actor) on the server, loadSlice / loadEngine({ slice }) in the browser", () => {
    expectTypeOf<WasmEngine["slice"]>().parameter(0).toEqualTypeOf<Value>();
    expectTypeOf<WasmEngine["slice"]>().parameter(1).toEqualTypeOf<SliceOptions | undefined>();
    expectTypeOf<WasmEngine["slice"]>().returns.toEqualTypeOf<Uint8Array>();
    expectTypeOf<WasmEngine["loadSlice"]>().parameter(0).toEqualTypeOf<Uint8Array>();
    expectTypeOf<WasmEngine["loadSlice"]>().returns.toEqualTypeOf<void>();
    expectTypeOf<LoadOptions["slice"]>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<SliceOptions>().toEqualTypeOf<{ readonly includePolicy?: boolean }>();
    expectTypeOf<{ slice: "bytes" }>().not.toExtend<LoadOptions>();
  });
});
