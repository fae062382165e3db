// node-casbin 5.51: RBAC with resource roles, as its docs recommend.
//   g  = user -> role-object ("member:Org:o1") and role -> role (maintainer => reader, admin => member)
//   g2 = resource -> parent resource (Issue -> Repo -> Org, Folder -> Folder)
//   g3 = issue -> creator
//   p-lines: one set per role-bearing object, with typed actions ("issue.read").
// Ingest = facts -> policy CSV -> StringAdapter -> loadPolicy() (role links built by casbin).
// list = getImplicitPermissionsForUser() + reverse g2 expansion (an app-side child index built at ingest).
import { newEnforcer, newModelFromString, StringAdapter, DefaultRoleManager } from "casbin";

export const name = "casbin";
export const description = "node-casbin 5.51: g (user->role-object, role->role), g2 (resource->parent), g3 (issue->creator), p-lines per role-bearing object, typed actions; enforceSync";

const MODEL = `
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _
g2 = _, _
g3 = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = (g(r.sub, p.sub) && g2(r.obj, p.obj) && r.act == p.act) || (p.sub == "creator" && r.act == p.act && g3(r.obj, r.sub))
`;

const ACTS = { Repo: ["read", "delete"], Issue: ["read", "close"], Folder: ["read", "write"] };
const key = (v) => `${v.type}:${v.id}`;
const act = (type, a) => `${type.toLowerCase()}.${a}`;

function csvFor(family, facts, children) {
  const lines = [];
  const roleObjs = new Set();
  for (const [pred, a, rel, b] of facts) {
    if (pred === "has_relation") {
      if (rel === "parent") {
        lines.push(`g2, ${key(a)}, ${key(b)}`);
        // app-side reverse index for list (casbin's getUsers() scans every role: O(N) per call)
        const p = key(b);
        let c = children.get(p);
        if (!c) children.set(p, (c = []));
        c.push(key(a));
      }
      else if (rel === "creator") lines.push(`g3, ${key(a)}, ${key(b)}`);
    } else if (pred === "has_role") {
      lines.push(`g, ${key(a)}, ${rel}:${key(b)}`);
      roleObjs.add(key(b));
    }
  }
  for (const o of roleObjs) {
    const t = o.slice(0, o.indexOf(":"));
    if (t === "Org") {
      lines.push(`g, admin:${o}, member:${o}`);
      lines.push(`p, member:${o}, ${o}, repo.read`, `p, member:${o}, ${o}, issue.read`, `p, admin:${o}, ${o}, repo.delete`);
    } else if (t === "Repo") {
      lines.push(`g, maintainer:${o}, reader:${o}`);
      lines.push(`p, reader:${o}, ${o}, repo.read`, `p, reader:${o}, ${o}, issue.read`, `p, maintainer:${o}, ${o}, repo.delete`);
    } else if (t === "Folder") {
      lines.push(`g, editor:${o}, viewer:${o}`);
      lines.push(`p, viewer:${o}, ${o}, folder.read`, `p, editor:${o}, ${o}, folder.write`);
    }
  }
  if (family === "gitclub") lines.push("p, creator, *, issue.close");
  return { csv: lines.join("\n"), pLines: lines.filter((l) => l.startsWith("p,")).length };
}

export async function open({ family, params }) {
  const e = await newEnforcer(newModelFromString(MODEL));
  // The default role manager stops at 10 levels: enough for depth-10 folders, not for depth 50 or
  // for walking around a cycle. Size it from the data's depth (an app knows its hierarchy).
  const depth = family === "gitclub" ? 2 : params.depth;
  const g2Levels = Math.max(10, params?.cycles ? 2 * depth + 2 : depth);
  e.setNamedRoleManager("g2", new DefaultRoleManager(g2Levels));
  let pLines = 0;
  const children = new Map();
  return {
    sync: true,
    listSync: false,
    async ingest(facts) {
      const c = csvFor(family, facts, children);
      pLines = c.pLines;
      e.setAdapter(new StringAdapter(c.csv));
      await e.loadPolicy();
      return { pLines, g2Levels };
    },
    check: (actor, action, resource) => e.enforceSync(key(actor), key(resource), act(resource.type, action)),
    actions(actor, resource) {
      const s = key(actor), o = key(resource);
      return (ACTS[resource.type] ?? []).filter((a) => e.enforceSync(s, o, act(resource.type, a)));
    },
    async list(actor, action, type) {
      // every (role, object, action) the user holds, then every resource of `type` below those objects
      const perms = await e.getImplicitPermissionsForUser(key(actor));
      const want = act(type, action);
      const out = new Set();
      const seen = new Set();
      const stack = [];
      for (const [, obj, a] of perms) if (a === want && !seen.has(obj)) { seen.add(obj); stack.push(obj); }
      while (stack.length) {
        const o = stack.pop();
        if (o.startsWith(type + ":")) out.add(o.slice(type.length + 1));
        for (const child of children.get(o) ?? []) if (!seen.has(child)) { seen.add(child); stack.push(child); }
      }
      return [...out];
    },
  };
}
