actor User {}

# Actor hierarchy: a Team is an actor; team membership is a role on the team
actor Team {
  roles = ["member"];
}

global {
  roles = ["admin"];
}

resource Org {
  roles = ["member", "owner"];
  permissions = ["read", "create_repo", "delete"];
  "member" if "owner";
  "owner" if global "admin";
  "read" if "member";
  "create_repo" if "owner";
  "delete" if "owner";
}

resource Repo {
  roles = ["reader", "maintainer", "admin"];
  permissions = ["read", "create_issue", "push", "delete"];
  relations = { parent: Org };
  "reader" if "member" on "parent";
  "admin" if "owner" on "parent";
  "maintainer" if "admin";
  "reader" if "maintainer";
  "read" if "reader";
  "read" if is_public(resource);
  "create_issue" if "reader";
  "delete" if "admin";
}

resource Issue {
  roles = ["reader", "maintainer", "admin"];
  permissions = ["read", "comment", "close"];
  relations = { parent: Repo, creator: User };
  role if role on "parent";
  "reader" if "creator";
  "read" if "reader";
  "read" if "read" on "parent";
  "comment" if "reader";
  "close" if "maintainer";
  "close" if "creator";
}

# Attribute on the actor: pushing requires a maintainer with MFA enabled
has_permission(user: User, "push", repo: Repo) if
  has_role(user, "maintainer", repo) and
  has_mfa(user, true);

# Actor hierarchy: team members inherit the team's roles
has_role(user: User, role: String, resource: Resource) if
  team matches Team and
  has_role(user, "member", team) and
  has_role(team, role, resource);
