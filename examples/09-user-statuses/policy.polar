actor User {}

resource Repo {
  roles = ["reader", "admin"];
  permissions = ["read", "delete"];
  "reader" if "admin";
  "read" if "reader";
  "delete" if "admin";
}

resource Org {
  permissions = ["delete"];
}

# Only active users may do anything. Because this policy defines its own
# allow rule, the built-in default allow(a, x, r) if has_permission(a, x, r)
# is NOT added.
allow(actor: Actor, action: String, resource: Resource) if
  is_active(actor) and
  has_permission(actor, action, resource);
