# Tests, fixtures, setup blocks and assertions.
test fixture basics {
  has_role(User{"alice"}, "admin", Org{"acme"});
  is_public(Repo{"anvil"});
  has_count(Org{"acme"}, 3, true);
}

test fixture empty {}

test "roles work" {
  setup {
    fixture basics;
    has_role(User{"carol"}, "member", Org{"acme"});
  }
  assert allow(User{"alice"}, "read", Org{"acme"});
  assert_not allow(User{"bob"}, "delete", Org{"acme"});
  assert has_permission(User{"alice"}, action: String, Org{"acme"}) iff action in ["read", "delete"];
  assert has_role(_, _: String, org: Org) iff org = Org{"acme"} and not org = Org{"x"};
}

test "no setup" {
  assert f();
}

test "empty setup" {
  setup {}
  assert_not g(1, -1, false);
}
