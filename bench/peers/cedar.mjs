// Cedar 4.13 through @cedar-policy/cedar-wasm: the resource hierarchy lives in entity `parents`
// (Issue -> Repo -> Org, Folder -> Folder); role facts become principal attributes holding entity
// sets (`resource in principal.memberOrgs`). Cedar is stateless, so the app keeps an entity store
// (JSON, built at ingest) and passes each call a slice: principal + resource + its ancestors.
// Policies are pre-parsed once (preparsePolicySet + statefulIsAuthorized).
// Cedar rejects cyclic hierarchies; when the ancestor walk meets a cycle, the slice is flattened
// (resource.parents = all its ancestors), which keeps `in` exact.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const name = "cedar";
/** Wait for V8's background compilation of the big .wasm before ingesting (child.mjs). */
export const settle = true;
export const description = "Cedar 4.13 (cedar-wasm): parents for the hierarchy, role sets as principal attributes, pre-parsed policies, per-call entity slice (principal + resource + ancestors); no list API";

const GITCLUB = `
permit (principal is User, action == Action::"read", resource is Repo)
when { resource in principal.memberOrgs || resource in principal.adminOrgs ||
       resource in principal.readerRepos || resource in principal.maintainerRepos };

permit (principal is User, action == Action::"read", resource is Issue)
when { resource in principal.memberOrgs || resource in principal.adminOrgs ||
       resource in principal.readerRepos || resource in principal.maintainerRepos };

permit (principal is User, action == Action::"delete", resource is Repo)
when { resource in principal.adminOrgs || resource in principal.maintainerRepos };

permit (principal is User, action == Action::"close", resource is Issue)
when { resource.creators.contains(principal) };
`;

const FOLDERS = `
permit (principal is User, action == Action::"read", resource is Folder)
when { resource in principal.viewerFolders || resource in principal.editorFolders };

permit (principal is User, action == Action::"write", resource is Folder)
when { resource in principal.editorFolders };
`;

const ROLE_ATTR = { member: "memberOrgs", admin: "adminOrgs", reader: "readerRepos", maintainer: "maintainerRepos", viewer: "viewerFolders", editor: "editorFolders" };
const ACTS = { Repo: ["read", "delete"], Issue: ["read", "close"], Folder: ["read", "write"] };

export async function open({ family, scale }) {
  const cedar = require("@cedar-policy/cedar-wasm/nodejs");
  const psId = `bench-${family}`;
  const r = cedar.preparsePolicySet(psId, { staticPolicies: family === "gitclub" ? GITCLUB : FOLDERS });
  if (r.type !== "success") throw new Error(`cedar policy: ${JSON.stringify(r.errors)}`);
  const attrsTemplate = family === "gitclub" ? ["memberOrgs", "adminOrgs", "readerRepos", "maintainerRepos"] : ["viewerFolders", "editorFolders"];
  // entity store: one Map per type, id -> EntityJson
  const store = new Map();
  const tableOf = (type) => { let t = store.get(type); if (!t) store.set(type, (t = new Map())); return t; };
  const entity = (type, id) => {
    const t = tableOf(type);
    let e = t.get(id);
    if (e === undefined) {
      const attrs = {};
      if (type === "User") for (const a of attrsTemplate) attrs[a] = [];
      if (type === "Issue") attrs.creators = [];
      t.set(id, (e = { uid: { type, id }, attrs, parents: [] }));
    }
    return e;
  };
  let facts = 0;

  function slice(actor, resource) {
    const p = store.get(actor.type)?.get(actor.id);
    const res = store.get(resource.type)?.get(resource.id);
    const out = [p ?? { uid: { type: actor.type, id: actor.id }, attrs: {}, parents: [] }];
    if (res === undefined) return out;
    // walk the ancestors; flatten the slice if the walk meets an ancestor twice (a cycle, or a
    // diamond: flattening is exact for `in` either way)
    const seen = new Set([res]);
    const order = [];
    const stack = [res];
    let cyclic = false;
    while (stack.length) {
      const e = stack.pop();
      for (const pu of e.parents) {
        const pe = store.get(pu.type)?.get(pu.id);
        if (pe === undefined) continue;
        if (seen.has(pe)) { cyclic = true; continue; }
        seen.add(pe);
        order.push(pe);
        stack.push(pe);
      }
    }
    if (!cyclic) { out.push(res, ...order); return out; }
    out.push({ uid: res.uid, attrs: res.attrs, parents: order.filter((x) => x !== res).map((x) => x.uid) });
    for (const a of order) if (a !== res) out.push({ uid: a.uid, attrs: a.attrs, parents: [] });
    return out;
  }

  function authorize(actor, action, resource) {
    const ans = cedar.statefulIsAuthorized({
      principal: { type: actor.type, id: actor.id },
      action: { type: "Action", id: action },
      resource: { type: resource.type, id: resource.id },
      context: {},
      preparsedPolicySetId: psId,
      entities: slice(actor, resource),
    });
    if (ans.type !== "success") throw new Error(`cedar: ${ans.errors.map((e) => e.message).join("; ")}`);
    return ans.response.decision === "allow";
  }

  return {
    sync: true,
    ingest(input) {
      facts = input.length;
      for (const [pred, a, rel, b] of input) {
        if (pred === "has_relation") {
          if (rel === "parent") { entity(b.type, b.id); entity(a.type, a.id).parents.push({ type: b.type, id: b.id }); }
          else if (rel === "creator") { entity(b.type, b.id); entity(a.type, a.id).attrs.creators.push({ __entity: { type: b.type, id: b.id } }); }
        } else if (pred === "has_role") {
          entity(b.type, b.id);
          const attr = ROLE_ATTR[rel];
          if (attr) entity(a.type, a.id).attrs[attr].push({ __entity: { type: b.type, id: b.id } });
        }
      }
      return { note: "app-side entity JSON store" };
    },
    check: authorize,
    actions(actor, resource) {
      return (ACTS[resource.type] ?? []).filter((a) => authorize(actor, a, resource));
    },
    /** Cedar's own bulk parse of the whole store (checkParseEntities), run last; small scales only. */
    extra() {
      if (facts > 20_000) return { cedarParse: null };
      const all = [];
      for (const t of store.values()) for (const e of t.values()) all.push(e);
      const t0 = performance.now();
      const res = cedar.checkParseEntities({ entities: all });
      const ms = performance.now() - t0;
      return { cedarParse: { ms, factsPerSec: facts / (ms / 1000), ok: res.type === "success", error: res.type === "success" ? undefined : res.errors?.[0]?.message?.slice(0, 200) } };
    },
  };
}
