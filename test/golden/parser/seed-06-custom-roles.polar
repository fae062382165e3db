actor User {}

# Custom roles are values of type Role. The type is declared with an empty
# resource block so that `role matches Role` refers to a known type.
resource Role {}

resource Repo {
  roles = ["maintainer"];
  permissions = ["read", "write", "delete"];
  "read" if "maintainer";
  "write" if "maintainer";
}

resource Org {
  permissions = ["read"];
}

# A custom role is defined by the permissions it grants
has_permission(actor: Actor, action: String, resource: Resource) if
  role matches Role and
  has_role(actor, role, resource) and
  grants_permission(role, action);
