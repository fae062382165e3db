import { describe, expect, it } from "vitest";
import { PolarError } from "../../bindings/api/errors.js";
import { ENGINE_KINDS } from "./engine-kinds.js";

describe.each(ENGINE_KINDS)("$name engine", ({ newEngine }) => {
  const user = (id: string) => ({ type: "User", id });
  const org = (id: string) => ({ type: "Org", id });
  const doc = (id: string) => ({ type: "Doc", id });

  const POLICY = `
actor User {}
resource Org {
  roles = ["member", "admin"];
  permissions = ["read", "delete"];
  "member" if "admin";
  "read" if "member";
  "delete" if "admin";
}
resource Doc {
  permissions = ["read"];
}
has_permission(user: User, "read", d: Doc) if
  is_published(d) and
  is_reader(user) and
  not (role matches String and requires_role(d, role) and not has_role(user, role));

has_permission(user: User, "read", d: Doc) if
  expires(d, t) and t > @current_unix_time and owner(d, user);

test fixture people {
  has_role(User{"alice"}, "admin", Org{"acme"});
}
test "org roles" {
  setup {
    fixture people;
    has_role(User{"bob"}, "member", Org{"acme"});
  }
  assert allow(User{"alice"}, "delete", Org{"acme"});
  assert_not allow(User{"bob"}, "delete", Org{"acme"});
  assert has_permission(User{"bob"}, action: String, Org{"acme"}) iff action in ["read"];
  assert has_permission(User{"alice"}, action: String, Org{"acme"}) iff action in ["read"];
}
`;

  describe("reference engine with the compiler", () => {
    it("keeps the previous policy when a new one does not compile", () => {
      const e = newEngine();
      e.policy(POLICY);
      e.insert(["has_role", user("a"), "admin", org("o")]);
      expect(() => e.policy("allow(x, y, z) if ;")).toThrow(PolarError);
      expect(e.authorize(user("a"), "delete", org("o"))).toBe(true);
    });

    it("reports stored facts that a new policy cannot use, and keeps them", () => {
      const e = newEngine();
      e.policy(POLICY);
      e.insert(["has_role", user("a"), "admin", org("o")]);
      e.insert(["is_published", doc("d")]);
      const { warnings } = e.policy(`actor User {}\nresource Org { roles = ["admin"]; permissions = ["x"]; "x" if "admin"; }`);
      expect(warnings.map((w) => [w.code, w.message])).toEqual([
        ["W_UNUSABLE_FACT", "the stored fact `is_published(Doc{\"d\"})` cannot be used by this policy: unknown predicate `is_published`"],
      ]);
      expect(e.get(["is_published", null])).toHaveLength(1);
      expect(e.actions(user("a"), org("o"))).toEqual(["x"]);
      e.policy(POLICY);
      expect(e.authorize(user("a"), "delete", org("o"))).toBe(true);
    });

    it("evaluates the negated-conjunction (forall) idiom", () => {
      const e = newEngine();
      e.policy(POLICY);
      e.batch((tx) => {
        tx.insert(["is_published", doc("open")]);
        tx.insert(["is_published", doc("secret")]);
        tx.insert(["requires_role", doc("secret"), "x"]);
        tx.insert(["requires_role", doc("secret"), "y"]);
        tx.insert(["has_role", user("both"), "x"]);
        tx.insert(["has_role", user("both"), "y"]);
        tx.insert(["has_role", user("one"), "x"]);
        for (const u of ["both", "one", "nobody"]) tx.insert(["is_reader", user(u)]);
      });
      expect(e.list(user("both"), "read", "Doc")).toEqual(["open", "secret"]);
      expect(e.list(user("one"), "read", "Doc")).toEqual(["open"]);
      expect(e.authorize(user("nobody"), "read", doc("secret"))).toBe(false);
    });

    it("compares with @current_unix_time per query", () => {
      let now = 100n;
      const e = newEngine({ now: () => now });
      e.policy(POLICY);
      e.insert(["expires", doc("d"), 150]);
      e.insert(["owner", doc("d"), user("u")]);
      expect(e.authorize(user("u"), "read", doc("d"))).toBe(true);
      now = 150n;
      expect(e.authorize(user("u"), "read", doc("d"))).toBe(false);
    });

    it("runs test blocks on their own setup facts", () => {
      const e = newEngine();
      e.policy(POLICY);
      e.insert(["has_role", user("bob"), "admin", org("acme")]);
      const report = e.test();
      expect(report.passed).toBe(false);
      expect(report.tests).toHaveLength(1);
      const t = report.tests[0]!;
      expect([t.name, t.passed, t.total]).toEqual(["org roles", 3, 4]);
      expect(t.failures).toHaveLength(1);
      expect(t.failures[0]!.message).toBe("the solutions differ from the `iff` side: unexpected action = \"delete\"");
      expect(t.failures[0]!.line).toBe(POLICY.split("\n").findIndex((l) => l.includes("assert has_permission(User{\"alice\"}")) + 1);
      expect(t.failures[0]!.column).toBe(3);
    });
  });
});
