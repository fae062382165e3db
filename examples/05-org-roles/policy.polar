actor User {}

resource Org {
  roles = ["reader", "admin"];
  permissions = ["read", "manage"];
  "reader" if "admin";
  "read" if "reader";
  "manage" if "admin";
}

resource Repo {
  roles = ["reader", "admin"];
  permissions = ["read", "delete"];
  relations = { container: Org };
  "reader" if "admin";
  "read" if "reader";
  "delete" if "admin";
}

resource Issue {
  roles = ["reader"];
  permissions = ["read"];
  relations = { container: Repo };
  "read" if "reader";
}

# A role on an org extends to the org's resources
# (seed fix: has_relation(resource, "container", organization) = "resource's container is organization")
has_role(actor: Actor, role: String, resource: Resource) if
  has_relation(resource, "container", organization) and
  has_role(actor, role, organization);
