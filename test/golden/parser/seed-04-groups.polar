actor User {}

# A group is an actor and membership is a role on the group
actor Group {
  roles = ["member"];
}

resource Org {
  roles = ["reader", "admin"];
  permissions = ["read", "delete"];
  "reader" if "admin";
  "read" if "reader";
  "delete" if "admin";
}

resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  "read" if "reader";
}

# Actors inherit permissions from groups
has_permission(actor: Actor, action: String, resource: Resource) if
  has_role(actor, "member", group) and
  has_permission(group, action, resource);
