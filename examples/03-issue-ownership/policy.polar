actor User {}

# A shareable resource
resource Issue {
  roles = ["reader", "writer", "owner"];
  permissions = ["read", "write", "add_reader_role"];
  "reader" if "writer";
  "writer" if "owner";
  "read" if "reader";
  "write" if "writer";
  "add_reader_role" if "owner";
}

resource Repo {
  roles = ["owner"];
  permissions = ["read", "add_reader_role"];
  "read" if "owner";
  "add_reader_role" if "owner";
}
