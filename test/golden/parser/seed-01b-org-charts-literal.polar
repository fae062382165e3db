actor User {}

resource Repo {
  roles = ["reader", "writer"];
  permissions = ["read", "write"];
  "reader" if "writer";
  "read" if "reader";
  "write" if "writer";
}

# Seed snippet, verbatim (argument order NOT corrected):
# A manager has permission to do anything their workers can.
has_permission(manager: Actor, action: String, resource: Resource) if
  has_relation(manager, "manager", worker) and
  has_permission(worker, action, resource);
