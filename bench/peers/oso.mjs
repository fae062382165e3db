// oso 0.27.3 (open-source Polar compiled to Wasm): resource blocks over JS host classes.
// oso keeps no facts: the app holds objects, Polar reads their fields. Checks and actions run on an
// Oso instance with plain getters (issue.repo is an object); list runs on a second instance whose
// classes register `Relation` fields, so authorizedResources() works through an in-memory
// data-filtering adapter that scans the root table (primary-key lookups for joins).
// Ingest = building the host objects (loadStr/registration is counted in "open").
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const name = "oso";
/** Known, documented limitation: reported as INVALID (figures struck out) but not a harness failure. */
export const knownInvalid = {
  deep50: "oso 0.27 has no tabling: Polar recursion over cyclic parent data does not terminate (oso's own 30 s query timeout, or the bench's call limit, ends the check with an error)",
};
/** Wait for V8's background compilation of the big .wasm before ingesting (child.mjs). */
export const settle = true;
export const description = "oso 0.27.3: Polar resource blocks over JS host classes (plain getters for checks/actions; Relation fields + in-memory data-filtering adapter for list)";

// Polar recursion does not terminate on cyclic data: oso's own query timeout (30 s, fixed in its
// Wasm build) ends such a check with an error. To keep the run short, the app side gives every call
// a deadline (ctx.callLimitMs) that Folder.parents enforces; a check past it fails with an error
// either way, and any error marks the peer INVALID for that workload.
let deadline = Infinity;
let callLimitMs = 30_000;
function withDeadline(p) {
  deadline = performance.now() + callLimitMs;
  return p().finally(() => { deadline = Infinity; });
}

const GITCLUB = `actor User {}

resource Org {
  roles = ["member", "admin"];
}

resource Repo {
  permissions = ["read", "delete"];
  roles = ["reader", "maintainer"];
  relations = { parent: Org };

  "reader" if "member" on "parent";
  "maintainer" if "admin" on "parent";
  "reader" if "maintainer";

  "read" if "reader";
  "delete" if "maintainer";
}

resource Issue {
  permissions = ["read", "close"];
  relations = { parent: Repo, creator: User };

  "read" if "read" on "parent";
  "close" if "creator";
}

has_relation(org: Org, "parent", repo: Repo) if org in repo.orgs;
has_relation(repo: Repo, "parent", issue: Issue) if repo in issue.repos;
has_relation(user: User, "creator", issue: Issue) if user in issue.creators;

has_role(user: User, name: String, org: Org) if
  role in user.orgRoles and
  role matches { name: name, org: org };

has_role(user: User, name: String, repo: Repo) if
  role in user.repoRoles and
  role matches { name: name, repo: repo };

allow(actor, action, resource) if has_permission(actor, action, resource);
`;

// Data filtering needs single-valued Relation fields; the generated data has one parent per issue/repo.
const GITCLUB_REL = GITCLUB
  .replace('has_relation(org: Org, "parent", repo: Repo) if org in repo.orgs;', 'has_relation(org: Org, "parent", repo: Repo) if repo.org = org;')
  .replace('has_relation(repo: Repo, "parent", issue: Issue) if repo in issue.repos;', 'has_relation(repo: Repo, "parent", issue: Issue) if issue.repo = repo;')
  .replace('has_relation(user: User, "creator", issue: Issue) if user in issue.creators;', 'has_relation(user: User, "creator", issue: Issue) if issue.creator = user;');

const FOLDERS = `actor User {}

resource Folder {
  roles = ["viewer", "editor"];
  permissions = ["read", "write"];
  relations = { parent: Folder };

  "viewer" if "editor";
  "viewer" if "viewer" on "parent";
  "editor" if "editor" on "parent";

  "read" if "viewer";
  "write" if "editor";
}

has_relation(parent: Folder, "parent", child: Folder) if parent in child.parents;

has_role(user: User, name: String, folder: Folder) if
  role in user.folderRoles and
  role matches { name: name, folder: folder };

allow(actor, action, resource) if has_permission(actor, action, resource);
`;

class User { constructor(id) { this.id = id; this.orgRoles = []; this.repoRoles = []; this.folderRoles = []; } }
class Org { constructor(id) { this.id = id; } }
class Repo { constructor(id) { this.id = id; this.orgs = []; this.org = undefined; this.orgId = undefined; } }
class Issue { constructor(id) { this.id = id; this.repos = []; this.creators = []; this.repo = undefined; this.repoId = undefined; this.creator = undefined; this.creatorId = undefined; } }
class Folder {
  constructor(id) { this.id = id; this.parentList = []; }
  get parents() {
    if (performance.now() > deadline) throw new Error(`oso call exceeded the ${callLimitMs} ms call limit (on cyclic data Polar recursion does not terminate)`);
    return this.parentList;
  }
}

function table() {
  return new Map();
}

/** In-memory data-filtering adapter: scan the root table, follow `one` relations by primary key. */
function memoryAdapter(tables, relations) {
  const sameRow = (a, b) => a === b || (a != null && b != null && typeof a === "object" && typeof b === "object" && a.constructor === b.constructor && a.id === b.id);
  return {
    buildQuery: (filter) => filter,
    executeQuery: async (filter) => {
      const rels = filter.relations.map((r) => ({ ...r, spec: relations[r.fromTypeName]?.[r.fromFieldName] }));
      const datum = (d, env) => ("value" in d ? d.value : d.fieldName === undefined ? env[d.typeName] : env[d.typeName]?.[d.fieldName]);
      const test = (c, env) => {
        const l = datum(c.lhs, env), r = datum(c.rhs, env);
        switch (c.cmp) {
          case "Eq": return sameRow(l, r);
          case "Neq": return !sameRow(l, r);
          case "In": return Array.isArray(r) && r.some((x) => sameRow(l, x));
          case "Nin": return !(Array.isArray(r) && r.some((x) => sameRow(l, x)));
          default: throw new Error(`unsupported filter op ${c.cmp}`);
        }
      };
      const out = [];
      const env = {};
      for (const row of tables[filter.model].values()) {
        env[filter.model] = row;
        for (const r of rels) {
          const from = env[r.fromTypeName];
          const s = r.spec;
          env[r.toTypeName] = from === undefined || s === undefined ? undefined
            : s.otherField === "id" ? tables[s.otherType].get(from[s.myField])
            : [...tables[s.otherType].values()].find((x) => x[s.otherField] === from[s.myField]);
        }
        if (filter.conditions.length === 0 || filter.conditions.some((and) => and.every((c) => test(c, env)))) out.push(row);
      }
      return out;
    },
  };
}

export async function open({ family, callLimitMs: limit }) {
  if (limit) callLimitMs = limit;
  const { Oso, Relation } = require("oso");
  const oso = new Oso();
  const tables = { User: table(), Org: table(), Repo: table(), Issue: table(), Folder: table() };
  let osoRel = null;
  if (family === "gitclub") {
    for (const c of [User, Org, Repo, Issue]) oso.registerClass(c);
    await oso.loadStr(GITCLUB);
    osoRel = new Oso();
    const relations = {
      Repo: { org: new Relation("one", "Org", "orgId", "id") },
      Issue: { repo: new Relation("one", "Repo", "repoId", "id"), creator: new Relation("one", "User", "creatorId", "id") },
    };
    osoRel.registerClass(User, { fields: { id: String } });
    osoRel.registerClass(Org, { fields: { id: String } });
    osoRel.registerClass(Repo, { fields: { id: String, orgId: String, ...relations.Repo } });
    osoRel.registerClass(Issue, { fields: { id: String, repoId: String, creatorId: String, ...relations.Issue } });
    osoRel.setDataFilteringAdapter(memoryAdapter(tables, relations));
    await osoRel.loadStr(GITCLUB_REL);
  } else {
    for (const c of [User, Folder]) oso.registerClass(c);
    await oso.loadStr(FOLDERS);
  }
  const get = (type, id, Cls) => {
    const t = tables[type];
    let o = t.get(id);
    if (o === undefined) t.set(id, (o = new Cls(id)));
    return o;
  };
  const lookup = (v) => tables[v.type]?.get(v.id);
  return {
    sync: false,
    ingest(facts) {
      for (const [pred, a, rel, b] of facts) {
        if (pred === "has_relation") {
          if (a.type === "Repo" && rel === "parent") { const r = get("Repo", a.id, Repo), o = get("Org", b.id, Org); r.orgs.push(o); r.org ??= o; r.orgId ??= o.id; }
          else if (a.type === "Issue" && rel === "parent") { const i = get("Issue", a.id, Issue), r = get("Repo", b.id, Repo); i.repos.push(r); i.repo ??= r; i.repoId ??= r.id; }
          else if (a.type === "Issue" && rel === "creator") { const i = get("Issue", a.id, Issue), u = get("User", b.id, User); i.creators.push(u); i.creator ??= u; i.creatorId ??= u.id; }
          else if (a.type === "Folder" && rel === "parent") get("Folder", a.id, Folder).parentList.push(get("Folder", b.id, Folder));
        } else if (pred === "has_role") {
          const u = get("User", a.id, User);
          if (b.type === "Org") u.orgRoles.push({ name: rel, org: get("Org", b.id, Org) });
          else if (b.type === "Repo") u.repoRoles.push({ name: rel, repo: get("Repo", b.id, Repo) });
          else if (b.type === "Folder") u.folderRoles.push({ name: rel, folder: get("Folder", b.id, Folder) });
        }
      }
    },
    async check(actor, action, resource) {
      const u = lookup(actor), r = lookup(resource);
      if (u === undefined || r === undefined) return false;
      return withDeadline(() => oso.isAllowed(u, action, r));
    },
    async actions(actor, resource) {
      const u = lookup(actor), r = lookup(resource);
      if (u === undefined || r === undefined) return [];
      return [...(await withDeadline(() => oso.authorizedActions(u, r)))];
    },
    canList: (type) => osoRel !== null && type === "Issue",
    async list(actor, action, type) {
      const u = lookup(actor);
      if (u === undefined) return [];
      const rows = await osoRel.authorizedResources(u, action, type);
      return rows.map((x) => x.id);
    },
  };
}
