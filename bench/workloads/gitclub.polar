actor User {}

resource Org {
  roles = ["member", "admin"];
}

resource Repo {
  roles = ["reader", "maintainer"];
  permissions = ["read", "delete"];
  relations = { parent: Org };

  "reader" if "member" on "parent";
  "maintainer" if "admin" on "parent";
  "reader" if "maintainer";

  "read" if "reader";
  "delete" if "maintainer";
}

resource Issue {
  permissions = ["read", "close"];
  relations = { parent: Repo, creator: User };

  "read" if "read" on "parent";
  "close" if "creator";
}
