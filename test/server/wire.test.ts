// Wire-format validation of request bodies (bindings/server/state.ts): malformed input is a
// FactError with code E_BAD_REQUEST (the server answers 400 with its message).
import { describe, expect, it } from "vitest";
import { FactError } from "../../bindings/api/errors.js";
import { wireFact, wirePattern } from "../../bindings/server/state.js";

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof FactError ? `${e.code}: ${e.message}` : String(e);
  }
  return undefined;
}

describe("server wire format", () => {
  it("converts facts and patterns", () => {
    expect(wireFact({ predicate: "has_role", args: [{ type: "User", id: "bob" }, { type: "String", id: "owner" }] })).toEqual(["has_role", { type: "User", id: "bob" }, { type: "String", id: "owner" }]);
    expect(wirePattern({ predicate: "has_role", args: [{ type: null, id: null }, { type: "Repo", id: null }] })).toEqual(["has_role", { type: null, id: null }, { type: "Repo", id: null }]);
  });
  it("rejects malformed bodies with E_BAD_REQUEST", () => {
    expect(code(() => wireFact({}))).toBe("E_BAD_REQUEST: a fact must be `{predicate, args}`");
    expect(code(() => wireFact({ predicate: "p", args: [{ type: "User" }] }))).toBe("E_BAD_REQUEST: every argument of a `p` fact needs a type and an id");
  });
});
