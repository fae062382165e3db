# Blocks: actor/resource/global, extends, every declaration and shorthand form.
actor User {}

actor Team extends User {
  roles = ["member"];
}

resource Org {
  roles = ["member", "admin",];
  permissions = ["read"];
  relations = {};
  "member" if "admin";
  "read" if "member";
}

resource Repo extends Resource1, Resource2, {
  permissions = ["read", "write", "delete"];
  roles = ["reader", "writer"];
  relations = { parent: Org, creator: User, };
  "read" if "reader";
  "reader" if "member" on "parent";
  "read" if "read" on "parent";
  "write" if global "admin";
  "reader" if "creator";
  role if role on "parent";
  permission if permission on parent_var;
  "read" if is_public(resource);
  "delete" if is_owner(actor, resource) and "writer";
  "write" if "writer" or ("reader" and has_flag(resource, "open"));
  "read" if "a" and "b" and "c" or "d" or global "e";
  @internal "write" if "admin" on "parent";
}

global {
  roles = ["admin"];
  permissions = ["create_org"];
  "create_org" if "admin";
}

# Declaration keys and value kinds are recorded as written; the checker judges them.
resource Odd {
  relations = ["parent"];
  roles = { r: Role };
  colors = [];
}
