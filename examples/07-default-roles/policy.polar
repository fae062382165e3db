actor User {}

resource Org {
  roles = ["member", "admin"];
  permissions = ["read", "invite"];
  "member" if "admin";
  "read" if "member";
  "invite" if "admin";
}

resource Repo {
  roles = ["reader", "writer", "admin"];
  permissions = ["read", "write", "delete"];
  "writer" if "admin";
  "reader" if "writer";
  "read" if "reader";
  "write" if "writer";
  "delete" if "admin";
}

# Members of an org get the org's (dynamic) default role on the org's repos
has_role(actor: Actor, role: String, repo: Repo) if
  org matches Org and
  has_parent(repo, org) and
  has_default_role(org, role) and
  has_role(actor, "member", org);
