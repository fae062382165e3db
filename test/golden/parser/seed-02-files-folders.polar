actor User {}

resource Org {
  roles = ["reader", "writer"];
  permissions = ["read", "write"];
  "reader" if "writer";
  "read" if "reader";
  "write" if "writer";
}

resource Folder {
  roles = ["reader", "writer"];
  permissions = ["read", "write"];
  "reader" if "writer";
  "read" if "reader";
  "write" if "writer";
}

resource File {
  permissions = ["read", "write"];
}

# If you can act on the container, you can act on the contents
# (seed fix: has_relation(inner, "container", outer) = "inner's container is outer")
has_permission(actor: Actor, action: String, inner: Resource) if
  has_relation(inner, "container", outer) and
  has_permission(actor, action, outer);
