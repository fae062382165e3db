// The one-authorize app every packaging project runs (Node and browser): the caller passes the
// `boreal` module (or an entry of it) and gets back what the engine answered.
export async function run(boreal, loadOptions) {
  const { loadEngine, parseValue } = boreal;
  const oso = await loadEngine(loadOptions);
  oso.policy(`actor User {}
resource Doc {
  permissions = ["read", "delete"];
  roles = ["viewer", "owner"];
  "read" if "viewer";
  "viewer" if "owner";
  "delete" if "owner";
}`);
  oso.insert(["has_role", parseValue("User:alice"), parseValue("owner"), parseValue("Doc:1")]);
  oso.insert(["has_role", parseValue("User:bob"), parseValue("viewer"), parseValue("Doc:1")]);
  return {
    engine: oso.constructor.name,
    aliceDelete: oso.authorize(parseValue("User:alice"), "delete", parseValue("Doc:1")),
    bobRead: oso.authorize(parseValue("User:bob"), "read", parseValue("Doc:1")),
    bobDelete: oso.authorize(parseValue("User:bob"), "delete", parseValue("Doc:1")),
  };
}
