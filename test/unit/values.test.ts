import { describe, expect, it } from "vitest";
import { FactError } from "../../bindings/api/errors.js";
import { formatPattern, formatValue, parsePattern, parseValue, toOutputValue, toTypedFact, toTypedPattern, toTypedValue } from "../../bindings/api/values.js";

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof FactError ? e.code : `not a FactError: ${String(e)}`;
  }
  return undefined;
}

describe("values", () => {
  it("canonicalises public inputs", () => {
    expect(toTypedValue("read")).toEqual({ type: "String", id: "read" });
    expect(toTypedValue(true)).toEqual({ type: "Boolean", id: "true" });
    expect(toTypedValue(-0)).toEqual({ type: "Integer", id: "0" });
    expect(toTypedValue(2n ** 62n)).toEqual({ type: "Integer", id: "4611686018427387904" });
    expect(toTypedValue({ type: "Integer", id: "+007" })).toEqual({ type: "Integer", id: "7" });
    expect(toTypedValue({ type: "User", id: "bob" })).toEqual({ type: "User", id: "bob" });
  });
  it("rejects malformed values with stable codes", () => {
    expect(code(() => toTypedValue(1.5))).toBe("E_BAD_INTEGER");
    expect(code(() => toTypedValue(2 ** 60))).toBe("E_BAD_INTEGER");
    expect(code(() => toTypedValue(2n ** 63n))).toBe("E_INTEGER_RANGE");
    expect(code(() => toTypedValue({ type: "User", id: "" }))).toBe("E_EMPTY_ID");
    expect(code(() => toTypedValue({ type: "", id: "x" }))).toBe("E_EMPTY_TYPE");
    expect(code(() => toTypedValue({ type: "User", id: "x".repeat(385) }))).toBe("E_ID_TOO_LONG");
    expect(code(() => toTypedValue({ type: "User", id: "é".repeat(193) }))).toBe("E_ID_TOO_LONG");
    expect(code(() => toTypedValue({ type: "User", id: "é".repeat(192) }))).toBeUndefined();
    expect(code(() => toTypedValue({ type: "Boolean", id: "yes" }))).toBe("E_BAD_BOOLEAN");
    expect(code(() => toTypedValue(null as never))).toBe("E_BAD_VALUE");
    expect(code(() => toTypedValue({ type: "User", id: 3 } as never))).toBe("E_BAD_VALUE");
    expect(code(() => toTypedFact([] as never))).toBe("E_BAD_FACT");
  });
  it("maps outputs back to JS values", () => {
    expect(toOutputValue({ type: "String", id: "x" })).toBe("x");
    expect(toOutputValue({ type: "Integer", id: "10" })).toBe(10);
    expect(toOutputValue({ type: "Integer", id: "9223372036854775807" })).toBe(9223372036854775807n);
    expect(toOutputValue({ type: "Boolean", id: "false" })).toBe(false);
    expect(toOutputValue({ type: "Repo", id: "a" })).toEqual({ type: "Repo", id: "a" });
  });
  it("parses and formats the CLI syntax", () => {
    expect(parseValue("User:bob")).toEqual({ type: "User", id: "bob" });
    expect(parseValue("Url:http://x:1")).toEqual({ type: "Url", id: "http://x:1" });
    expect(parseValue("owner")).toEqual({ type: "String", id: "owner" });
    expect(parseValue("Integer:10")).toEqual({ type: "Integer", id: "10" });
    expect(parseValue("Boolean:false")).toEqual({ type: "Boolean", id: "false" });
    expect(parseValue("String:view")).toEqual({ type: "String", id: "view" });
    expect(code(() => parseValue(":x"))).toBe("E_BAD_VALUE");
    expect(code(() => parseValue("Integer:ten"))).toBe("E_BAD_INTEGER");
    expect(parsePattern("_")).toEqual({ type: null, id: null });
    expect(parsePattern("Repo:_")).toEqual({ type: "Repo", id: null });
    expect(formatValue({ type: "User", id: "bob" })).toBe("User:bob");
    expect(formatPattern({ type: "Repo", id: null })).toBe("Repo:_");
    expect(toTypedPattern(null)).toEqual({ type: null, id: null });
    expect(toTypedPattern({ type: "Repo" })).toEqual({ type: "Repo", id: null });
  });
});
