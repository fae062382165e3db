actor User {
  relations = { manager: User };
}

resource Repo {
  roles = ["reader", "writer"];
  permissions = ["read", "write"];
  "reader" if "writer";
  "read" if "reader";
  "write" if "writer";
}

resource Org {
  roles = ["reader"];
  permissions = ["read"];
  "read" if "reader";
}

# A manager has permission to do anything their workers can.
# (seed fix: has_relation(worker, "manager", manager) = "worker's manager is manager")
has_permission(manager: Actor, action: String, resource: Resource) if
  has_relation(worker, "manager", manager) and
  has_permission(worker, action, resource);
