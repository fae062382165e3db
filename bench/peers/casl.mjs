// CASL 7 (@casl/ability): per-user abilities with $in conditions over denormalized resources.
// CASL is not a relational engine: as its docs recommend, the app denormalizes what rules need
// (issue.orgId / issue.repoId, folder.ancestors) and builds one Ability per user in advance.
// Ingest = denormalization + every user's Ability. list = scan every resource with can().
import { AbilityBuilder, createMongoAbility } from "@casl/ability";

export const name = "casl";
export const description = "CASL 7: one precomputed Ability per user with $in conditions; resources denormalized app-side (issue.orgId, folder.ancestors); list = scan with can()";

class Repo { constructor(id, orgId) { this.id = id; this.orgId = orgId; } }
class Issue { constructor(id) { this.id = id; this.repoIds = []; this.orgIds = []; this.creatorIds = []; } }
class Folder { constructor(id) { this.id = id; this.parents = []; this.ancestors = null; } }

function gitclub() {
  const repos = new Map(), issues = new Map(), abilities = new Map();
  return {
    sync: true,
    ingest(facts) {
      const roles = new Map(); // user -> { member:[], admin:[], reader:[], maintainer:[] }
      const issueRepo = [];
      const repoOrgs = new Map();
      const userRoles = (u) => { let r = roles.get(u); if (!r) roles.set(u, (r = { member: [], admin: [], reader: [], maintainer: [] })); return r; };
      for (const [pred, a, rel, b] of facts) {
        if (pred === "has_relation") {
          if (a.type === "Repo" && rel === "parent") { let s = repoOrgs.get(a.id); if (!s) repoOrgs.set(a.id, (s = [])); s.push(b.id); }
          else if (a.type === "Issue" && rel === "parent") issueRepo.push([a.id, b.id]);
          else if (a.type === "Issue" && rel === "creator") { let i = issues.get(a.id); if (!i) issues.set(a.id, (i = new Issue(a.id))); i.creatorIds.push(b.id); }
        } else if (pred === "has_role" && a.type === "User") {
          const r = userRoles(a.id)[rel];
          if (r) r.push(b.id);
        }
      }
      for (const [id, orgs] of repoOrgs) repos.set(id, new Repo(id, orgs.length === 1 ? orgs[0] : orgs));
      for (const [iid, rid] of issueRepo) {
        let i = issues.get(iid);
        if (!i) issues.set(iid, (i = new Issue(iid)));
        i.repoIds.push(rid);
        const orgs = repoOrgs.get(rid) ?? [];
        for (const o of orgs) i.orgIds.push(o);
      }
      for (const [u, r] of roles) {
        const { can, build } = new AbilityBuilder(createMongoAbility);
        const orgs = [...r.member, ...r.admin];
        const repoRoles = [...r.reader, ...r.maintainer];
        if (orgs.length) { can("read", "Repo", { orgId: { $in: orgs } }); can("read", "Issue", { orgIds: { $in: orgs } }); }
        if (repoRoles.length) { can("read", "Repo", { id: { $in: repoRoles } }); can("read", "Issue", { repoIds: { $in: repoRoles } }); }
        if (r.admin.length) can("delete", "Repo", { orgId: { $in: r.admin } });
        if (r.maintainer.length) can("delete", "Repo", { id: { $in: r.maintainer } });
        can("close", "Issue", { creatorIds: u });
        abilities.set(u, build());
      }
      return { abilities: abilities.size };
    },
    check(actor, action, resource) {
      const ability = abilities.get(actor.id);
      if (ability === undefined) return false;
      const obj = resource.type === "Issue" ? issues.get(resource.id) : resource.type === "Repo" ? repos.get(resource.id) : undefined;
      return obj !== undefined && ability.can(action, obj);
    },
    actions(actor, resource) {
      const ability = abilities.get(actor.id);
      if (ability === undefined) return [];
      const obj = resource.type === "Issue" ? issues.get(resource.id) : resource.type === "Repo" ? repos.get(resource.id) : undefined;
      if (obj === undefined) return [];
      const acts = resource.type === "Issue" ? ["read", "close"] : ["read", "delete"];
      return acts.filter((a) => ability.can(a, obj));
    },
    list(actor, action, type) {
      const ability = abilities.get(actor.id);
      if (ability === undefined) return [];
      const table = type === "Issue" ? issues : type === "Repo" ? repos : null;
      const out = [];
      if (table) for (const obj of table.values()) if (ability.can(action, obj)) out.push(obj.id);
      return out;
    },
  };
}

function folders() {
  const all = new Map(), abilities = new Map();
  return {
    sync: true,
    ingest(facts) {
      const roles = new Map();
      const folder = (id) => { let f = all.get(id); if (!f) all.set(id, (f = new Folder(id))); return f; };
      for (const [pred, a, rel, b] of facts) {
        if (pred === "has_relation" && a.type === "Folder" && rel === "parent") folder(a.id).parents.push(folder(b.id));
        else if (pred === "has_role" && a.type === "User" && b.type === "Folder") {
          let r = roles.get(a.id);
          if (!r) roles.set(a.id, (r = { viewer: [], editor: [] }));
          if (r[rel]) r[rel].push(b.id);
        }
      }
      // materialized ancestors (self included), cycle-safe
      for (const f of all.values()) {
        const seen = new Set([f]);
        const stack = [f];
        while (stack.length) for (const p of stack.pop().parents) if (!seen.has(p)) { seen.add(p); stack.push(p); }
        f.ancestors = [...seen].map((x) => x.id);
      }
      for (const f of all.values()) f.parents = undefined;
      for (const [u, r] of roles) {
        const { can, build } = new AbilityBuilder(createMongoAbility);
        const any = [...r.viewer, ...r.editor];
        if (any.length) can("read", "Folder", { ancestors: { $in: any } });
        if (r.editor.length) can("write", "Folder", { ancestors: { $in: r.editor } });
        abilities.set(u, build());
      }
      return { abilities: abilities.size };
    },
    check(actor, action, resource) {
      const ability = abilities.get(actor.id);
      if (ability === undefined) return false;
      const obj = resource.type === "Folder" ? all.get(resource.id) : undefined;
      return obj !== undefined && ability.can(action, obj);
    },
    actions(actor, resource) {
      const ability = abilities.get(actor.id);
      const obj = resource.type === "Folder" ? all.get(resource.id) : undefined;
      if (ability === undefined || obj === undefined) return [];
      return ["read", "write"].filter((a) => ability.can(a, obj));
    },
    list(actor, action, type) {
      const ability = abilities.get(actor.id);
      if (ability === undefined || type !== "Folder") return [];
      const out = [];
      for (const obj of all.values()) if (ability.can(action, obj)) out.push(obj.id);
      return out;
    },
  };
}

export async function open({ family }) {
  return family === "gitclub" ? gitclub() : folders();
}
