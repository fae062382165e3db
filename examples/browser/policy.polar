# A gitclub-like model: orgs own repos, repos hold issues.
actor User {}

resource Org {
  roles = ["member", "admin"];
  permissions = ["read"];
  "member" if "admin";
  "read" if "member";
}

resource Repo {
  roles = ["reader", "maintainer", "admin"];
  permissions = ["read"];
  relations = { parent: Org };
  "reader" if "member" on "parent";
  "admin" if "admin" on "parent";
  "maintainer" if "admin";
  "reader" if "maintainer";
  "read" if "reader";
}

resource Issue {
  permissions = ["read", "edit", "close", "delete"];
  relations = { parent: Repo, creator: User };
  "read" if "read" on "parent";
  "edit" if "creator";
  "edit" if "maintainer" on "parent";
  "close" if "edit";
  "delete" if "admin" on "parent";
}

test "an org admin may delete any issue of the org; a creator may edit and close their own" {
  setup {
    has_role(User{"alice"}, "admin", Org{"acme"});
    has_role(User{"bob"}, "member", Org{"acme"});
    has_relation(Repo{"acme/anvil"}, "parent", Org{"acme"});
    has_relation(Issue{"acme/anvil#1"}, "parent", Repo{"acme/anvil"});
    has_relation(Issue{"acme/anvil#1"}, "creator", User{"bob"});
  }
  assert allow(User{"alice"}, "delete", Issue{"acme/anvil#1"});
  assert allow(User{"bob"}, "close", Issue{"acme/anvil#1"});
  assert_not allow(User{"bob"}, "delete", Issue{"acme/anvil#1"});
}
