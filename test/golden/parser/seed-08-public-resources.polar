actor User {}

resource Org {
  roles = ["member", "admin"];
  permissions = ["read", "update"];
  "member" if "admin";
  "read" if "member";
  "update" if "admin";
}

resource Repo {
  roles = ["reader"];
  permissions = ["read", "write"];
  "read" if "reader";
}

# Anyone may read a public resource (the seed's rule body was cut off;
# completed with the is_public attribute from the seed's CLI example)
has_permission(_: Actor, "read", resource: Resource) if
  is_public(resource);
