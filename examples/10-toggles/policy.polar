actor User {}

resource Repo {
  roles = ["member", "admin"];
  permissions = ["read", "delete"];
  "member" if "admin";
  "read" if "member";
  "delete" if "admin";
}

resource Org {
  roles = ["member"];
  permissions = ["read", "delete"];
  "read" if "member";
}

# Members may delete a resource unless it is protected
has_permission(actor: Actor, "delete", resource: Resource) if
   has_role(actor, "member", resource) and
   is_protected(resource, false);

# Only here so that the deliberately mistyped fact is_protected(Repo:typo, "false")
# (a String, not a Boolean) is storable; the rule above still requires Boolean false.
declare is_protected(Repo, String);
