// js-floor: a hand-tuned plain-JS evaluator written only for the bench policies (gitclub, folders).
// Interned ints (one Map<string,int> per type, no concatenated keys), typed arrays, CSR adjacency,
// epoch-stamped visited marks for the folder walk (cycle-safe). This is the bar a general engine must beat.

class IdTable {
  constructor() { this.map = new Map(); this.names = []; }
  intern(id) {
    let n = this.map.get(id);
    if (n === undefined) { n = this.names.length; this.map.set(id, n); this.names.push(id); }
    return n;
  }
  get(id) { return this.map.get(id); }
  get size() { return this.names.length; }
}

/** Growable list of (src, dst, tag) edges, turned into CSR once. */
class EdgeList {
  constructor() { this.cap = 1024; this.n = 0; this.src = new Int32Array(this.cap); this.dst = new Int32Array(this.cap); this.tag = new Uint8Array(this.cap); }
  push(s, d, t) {
    if (this.n === this.cap) {
      this.cap *= 2;
      const a = new Int32Array(this.cap); a.set(this.src); this.src = a;
      const b = new Int32Array(this.cap); b.set(this.dst); this.dst = b;
      const c = new Uint8Array(this.cap); c.set(this.tag); this.tag = c;
    }
    this.src[this.n] = s; this.dst[this.n] = d; this.tag[this.n] = t; this.n++;
  }
  /** CSR keyed by src (or by dst when reverse): { start, to, tag }. Duplicate edges have their tags OR-ed. */
  csr(nNodes, reverse = false) {
    const from = reverse ? this.dst : this.src, to = reverse ? this.src : this.dst;
    const start = new Int32Array(nNodes + 1);
    for (let i = 0; i < this.n; i++) start[from[i] + 1]++;
    for (let i = 0; i < nNodes; i++) start[i + 1] += start[i];
    const fill = start.slice(0, nNodes);
    const out = new Int32Array(this.n), tag = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) { const k = fill[from[i]]++; out[k] = to[i]; tag[k] = this.tag[i]; }
    return { start, to: out, tag };
  }
}

const ORG_ROLE = { member: 1, admin: 2 };
const REPO_ROLE = { reader: 1, maintainer: 2 };
const FOLDER_ROLE = { viewer: 1, editor: 2 };

function idOf(v) {
  return v !== null && typeof v === "object" ? v : { type: "String", id: String(v) };
}

class GitclubFloor {
  constructor() {
    this.users = new IdTable(); this.orgs = new IdTable(); this.repos = new IdTable(); this.issues = new IdTable();
  }
  ingest(facts) {
    const { users, orgs, repos, issues } = this;
    const repoOrg = new EdgeList(), issueRepo = new EdgeList(), issueCreator = new EdgeList();
    const userOrg = new EdgeList(), userRepo = new EdgeList();
    for (let i = 0; i < facts.length; i++) {
      const f = facts[i];
      const pred = f[0], a = f[1], rel = f[2], b = f[3];
      if (pred === "has_relation") {
        if (a.type === "Repo" && rel === "parent" && b.type === "Org") repoOrg.push(repos.intern(a.id), orgs.intern(b.id), 1);
        else if (a.type === "Issue" && rel === "parent" && b.type === "Repo") issueRepo.push(issues.intern(a.id), repos.intern(b.id), 1);
        else if (a.type === "Issue" && rel === "creator" && b.type === "User") issueCreator.push(issues.intern(a.id), users.intern(b.id), 1);
      } else if (pred === "has_role" && a.type === "User") {
        if (b.type === "Org") { const r = ORG_ROLE[rel]; if (r) userOrg.push(users.intern(a.id), orgs.intern(b.id), r); }
        else if (b.type === "Repo") { const r = REPO_ROLE[rel]; if (r) userRepo.push(users.intern(a.id), repos.intern(b.id), r); }
      }
    }
    const nU = users.size, nO = orgs.size, nR = repos.size, nI = issues.size;
    this.repoOrg = repoOrg.csr(nR);
    this.orgRepos = repoOrg.csr(nO, true);
    this.issueRepo = issueRepo.csr(nI);
    this.repoIssues = issueRepo.csr(nR, true);
    this.issueCreator = issueCreator.csr(nI);
    this.userOrg = userOrg.csr(nU);
    this.userRepo = userRepo.csr(nU);
    this.mark = new Uint32Array(nR); this.epoch = 0;
  }
  /** Role bits u holds on repo r, directly or through r's orgs (admin => maintainer, member => reader; maintainer => reader). */
  repoBits(u, r) {
    let bits = 0;
    const ur = this.userRepo, ro = this.repoOrg, uo = this.userOrg;
    for (let k = ur.start[u], e = ur.start[u + 1]; k < e; k++) if (ur.to[k] === r) bits |= ur.tag[k];
    for (let k = ro.start[r], e = ro.start[r + 1]; k < e; k++) {
      const o = ro.to[k];
      for (let j = uo.start[u], f = uo.start[u + 1]; j < f; j++) if (uo.to[j] === o) bits |= uo.tag[j];
    }
    return bits; // 1 = reader, 2 = maintainer (both imply read)
  }
  check(actor, action, resource) {
    if (actor.type !== "User") return false;
    const u = this.users.get(actor.id);
    if (u === undefined) return false;
    const t = resource.type;
    if (t === "Issue") {
      const i = this.issues.get(resource.id);
      if (i === undefined) return false;
      if (action === "read") {
        const ir = this.issueRepo;
        for (let k = ir.start[i], e = ir.start[i + 1]; k < e; k++) if (this.repoBits(u, ir.to[k]) !== 0) return true;
        return false;
      }
      if (action === "close") {
        const ic = this.issueCreator;
        for (let k = ic.start[i], e = ic.start[i + 1]; k < e; k++) if (ic.to[k] === u) return true;
      }
      return false;
    }
    if (t === "Repo") {
      const r = this.repos.get(resource.id);
      if (r === undefined) return false;
      if (action === "read") return this.repoBits(u, r) !== 0;
      if (action === "delete") return (this.repoBits(u, r) & 2) !== 0;
    }
    return false;
  }
  actions(actor, resource) {
    const t = resource.type;
    const out = [];
    if (t === "Repo") { if (this.check(actor, "delete", resource)) out.push("delete"); if (this.check(actor, "read", resource)) out.push("read"); }
    else if (t === "Issue") { if (this.check(actor, "close", resource)) out.push("close"); if (this.check(actor, "read", resource)) out.push("read"); }
    return out;
  }
  list(actor, action, type) {
    if (actor.type !== "User") return [];
    const u = this.users.get(actor.id);
    if (u === undefined) return [];
    const out = [];
    if (type === "Issue" && action === "close") {
      const ic = this.issueCreator;
      for (let i = 0; i < this.issues.size; i++) for (let k = ic.start[i]; k < ic.start[i + 1]; k++) if (ic.to[k] === u) { out.push(this.issues.names[i]); break; }
      return out;
    }
    if (!(action === "read" && (type === "Issue" || type === "Repo")) && !(action === "delete" && type === "Repo")) return out;
    const need = action === "delete" ? 2 : 3;
    const ep = ++this.epoch, mark = this.mark, ur = this.userRepo, uo = this.userOrg, or = this.orgRepos, ri = this.repoIssues;
    const repos = [];
    for (let k = ur.start[u]; k < ur.start[u + 1]; k++) if ((ur.tag[k] & need) && mark[ur.to[k]] !== ep) { mark[ur.to[k]] = ep; repos.push(ur.to[k]); }
    for (let k = uo.start[u]; k < uo.start[u + 1]; k++) {
      if (!(uo.tag[k] & need)) continue;
      const o = uo.to[k];
      for (let j = or.start[o]; j < or.start[o + 1]; j++) { const r = or.to[j]; if (mark[r] !== ep) { mark[r] = ep; repos.push(r); } }
    }
    if (type === "Repo") { for (const r of repos) out.push(this.repos.names[r]); return out; }
    const names = this.issues.names;
    for (const r of repos) for (let j = ri.start[r], e = ri.start[r + 1]; j < e; j++) out.push(names[ri.to[j]]);
    // an issue with two parent repos could appear twice
    return ri.to.length === this.issues.size ? out : [...new Set(out)];
  }
}

class FolderFloor {
  constructor() { this.users = new IdTable(); this.folders = new IdTable(); }
  ingest(facts) {
    const { users, folders } = this;
    const parent = new EdgeList(), userFolder = new EdgeList();
    for (let i = 0; i < facts.length; i++) {
      const f = facts[i];
      const pred = f[0], a = f[1], rel = f[2], b = f[3];
      if (pred === "has_relation") {
        if (a.type === "Folder" && rel === "parent" && b.type === "Folder") parent.push(folders.intern(a.id), folders.intern(b.id), 1);
      } else if (pred === "has_role" && a.type === "User" && b.type === "Folder") {
        const r = FOLDER_ROLE[rel];
        if (r) userFolder.push(users.intern(a.id), folders.intern(b.id), r);
      }
    }
    const nF = folders.size;
    this.parent = parent.csr(nF);
    this.children = parent.csr(nF, true);
    this.userFolder = userFolder.csr(users.size);
    this.mark = new Uint32Array(nF); this.epoch = 0;
    this.stack = new Int32Array(1024);
  }
  /** Does u hold (a role in `need`) on f or any ancestor of f? Iterative, cycle-safe. */
  reach(u, f, need) {
    const uf = this.userFolder, us = uf.start[u], ue = uf.start[u + 1];
    if (us === ue) return false;
    const par = this.parent, mark = this.mark;
    const ep = ++this.epoch;
    let stack = this.stack, sp = 0;
    stack[sp++] = f; mark[f] = ep;
    while (sp > 0) {
      const x = stack[--sp];
      for (let k = us; k < ue; k++) if (uf.to[k] === x && (uf.tag[k] & need)) return true;
      for (let k = par.start[x], e = par.start[x + 1]; k < e; k++) {
        const p = par.to[k];
        if (mark[p] === ep) continue;
        mark[p] = ep;
        if (sp === stack.length) { const s = new Int32Array(stack.length * 2); s.set(stack); this.stack = stack = s; }
        stack[sp++] = p;
      }
    }
    return false;
  }
  check(actor, action, resource) {
    if (actor.type !== "User" || resource.type !== "Folder") return false;
    const u = this.users.get(actor.id);
    if (u === undefined) return false;
    const f = this.folders.get(resource.id);
    if (f === undefined) return false;
    if (action === "read") return this.reach(u, f, 3);
    if (action === "write") return this.reach(u, f, 2);
    return false;
  }
  actions(actor, resource) {
    const out = [];
    if (resource.type !== "Folder") return out;
    if (this.check(actor, "read", resource)) out.push("read");
    if (this.check(actor, "write", resource)) out.push("write");
    return out;
  }
  list(actor, action, type) {
    if (actor.type !== "User" || type !== "Folder") return [];
    const u = this.users.get(actor.id);
    if (u === undefined) return [];
    const need = action === "read" ? 3 : action === "write" ? 2 : 0;
    if (!need) return [];
    const uf = this.userFolder, ch = this.children, mark = this.mark, names = this.folders.names;
    const ep = ++this.epoch;
    const out = [];
    const stack = [];
    for (let k = uf.start[u]; k < uf.start[u + 1]; k++) if ((uf.tag[k] & need) && mark[uf.to[k]] !== ep) { mark[uf.to[k]] = ep; stack.push(uf.to[k]); }
    while (stack.length) {
      const x = stack.pop();
      out.push(names[x]);
      for (let k = ch.start[x], e = ch.start[x + 1]; k < e; k++) { const c = ch.to[k]; if (mark[c] !== ep) { mark[c] = ep; stack.push(c); } }
    }
    return out;
  }
}

export const name = "js-floor";
export const description = "hand-tuned plain JS for this one policy: per-type Map<string,int> interning, CSR typed arrays, epoch-stamped cycle-safe walks";
export const speed = "fast";

export async function open({ family }) {
  const impl = family === "gitclub" ? new GitclubFloor() : new FolderFloor();
  return {
    ingest: (facts) => impl.ingest(facts),
    check: (actor, action, resource) => impl.check(idOf(actor), action, idOf(resource)),
    actions: (actor, resource) => impl.actions(actor, resource),
    list: (actor, action, type) => impl.list(actor, action, type),
    sync: true,
  };
}
