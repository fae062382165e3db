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

# Every browser receives this file inside its slice: keep real ids out of tests and comments.
test "an org admin may delete any issue of the org; a creator may edit and close their own" {
  setup {
    has_role(User{"an-admin"}, "admin", Org{"some-org"});
    has_role(User{"a-member"}, "member", Org{"some-org"});
    has_relation(Repo{"some-repo"}, "parent", Org{"some-org"});
    has_relation(Issue{"some-issue"}, "parent", Repo{"some-repo"});
    has_relation(Issue{"some-issue"}, "creator", User{"a-member"});
  }
  assert allow(User{"an-admin"}, "delete", Issue{"some-issue"});
  assert allow(User{"a-member"}, "close", Issue{"some-issue"});
  assert_not allow(User{"a-member"}, "delete", Issue{"some-issue"});
}
