# First file of a two-file policy: the block.
resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  relations = { parent: Org };
  "read" if "reader";
  "reader" if "member" on "parent";
}
