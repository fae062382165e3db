// The `boreal` package entry (package.json "exports"), imported by name as a user would.
import { describe, expect, it } from "vitest";

describe("import from \"boreal\"", () => {
  it("loads the engine from the built package entry, without arguments", async () => {
    const boreal = await import("boreal");
    const oso = await boreal.loadEngine();
    oso.policy(`actor User {}\nresource Issue { roles = ["owner"]; permissions = ["read"]; "read" if "owner"; }`);
    oso.insert(["has_role", { type: "User", id: "bob" }, "owner", { type: "Issue", id: "bug" }]);
    expect(oso.authorize({ type: "User", id: "bob" }, "read", { type: "Issue", id: "bug" })).toBe(true);
    expect(oso.list({ type: "User", id: "bob" }, "read", "Issue")).toEqual(["bug"]);
    expect(boreal.parseValue("User:bob")).toEqual({ type: "User", id: "bob" });
    expect(() => oso.policy("resource {")).toThrow(boreal.PolarError);
  });
});
