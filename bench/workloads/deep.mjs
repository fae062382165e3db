// deep: trees of folders; roles granted near the roots, checks at the deepest leaves.
//   deep10: complete binary trees of depth 10 (2,047 folders each), acyclic (as in perf-anchors.md §1.2).
//   deep50: trees of depth 50 (widths 1,2,4,8,16, then 20 per level, random parents),
//           plus a few cycles (a tree's root gets a parent: one of its own depth-50 leaves).
import { makeRng } from "../lib/prng.mjs";

export const VARIANTS = {
  deep10: {
    depth: 10,
    width: (k) => 2 ** k,
    binary: true,
    usersPerTree: 150,
    scales: { XS: { T: 3, cycles: 0, users: 40, widthCap: 4 }, S: { T: 4, cycles: 0 }, M: { T: 40, cycles: 0 }, L: { T: 400, cycles: 0 } },
  },
  deep50: {
    depth: 50,
    width: (k) => Math.min(2 ** k, 20),
    binary: false,
    usersPerTree: 70,
    scales: { XS: { T: 2, cycles: 1, users: 40, widthCap: 4 }, S: { T: 9, cycles: 2 }, M: { T: 90, cycles: 4 }, L: { T: 900, cycles: 8 } },
  },
};

export const ACTIONS = { Folder: ["read", "write"] };

export const POLAR = `actor User {}

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
`;

export function generate(variant, scale) {
  const v = VARIANTS[variant];
  if (!v) throw new Error(`unknown deep variant ${variant}`);
  const sp = v.scales[scale];
  if (!sp) throw new Error(`unknown ${variant} scale ${scale}`);
  const rng = makeRng(`${variant}/${scale}`);
  const D = v.depth;
  // XS (validation) uses narrow trees (full depth) so the reference evaluator stays fast
  const widths = Array.from({ length: D + 1 }, (_, k) => Math.min(v.width(k), sp.widthCap ?? Infinity));
  const binary = v.binary && !sp.widthCap;
  const levelOffset = [0];
  for (let k = 0; k < D; k++) levelOffset.push(levelOffset[k] + widths[k]);
  const perTree = levelOffset[D] + widths[D];
  const T = sp.T;
  const nFolders = T * perTree;
  const folders = new Array(nFolders);
  for (let f = 0; f < nFolders; f++) folders[f] = { type: "Folder", id: `f${f}` };
  // children lists (local index within a tree), identical shape for binary trees, random otherwise
  const parent = new Int32Array(nFolders).fill(-1);
  const level = new Uint8Array(nFolders);
  const children = new Array(nFolders);
  const facts = [];
  for (let t = 0; t < T; t++) {
    const base = t * perTree;
    for (let k = 0; k <= D; k++) {
      for (let j = 0; j < widths[k]; j++) {
        const f = base + levelOffset[k] + j;
        level[f] = k;
        children[f] = [];
        if (k === 0) continue;
        const pj = binary ? j >> 1 : rng.int(widths[k - 1]);
        const pf = base + levelOffset[k - 1] + pj;
        parent[f] = pf;
        children[pf].push(f);
        facts.push(["has_relation", folders[f], "parent", folders[pf]]);
      }
    }
  }
  // reach[f] = 1 when some depth-D leaf lies below f (random-parent trees have dead branches)
  const reach = new Uint8Array(nFolders);
  for (let f = nFolders - 1; f >= 0; f--) reach[f] = level[f] === D || children[f].some((c) => reach[c] === 1) ? 1 : 0;
  const leafBase = (t) => t * perTree + levelOffset[D];
  const cyclic = [];
  for (let c = 0; c < sp.cycles; c++) {
    const t = Math.floor(((c + 0.5) * T) / sp.cycles);
    const leaf = leafBase(t) + rng.int(widths[D]);
    facts.push(["has_relation", folders[t * perTree], "parent", folders[leaf]]);
    cyclic.push(t);
  }
  const U = sp.users ?? v.usersPerTree * T;
  const users = new Array(U);
  const userRoles = new Array(U);
  for (let u = 0; u < U; u++) {
    users[u] = { type: "User", id: `u${u}` };
    const k = 1 + rng.int(3);
    const mine = [];
    while (mine.length < k) {
      const t = rng.int(T);
      let f;
      if (rng.chance(0.5)) f = t * perTree;
      else {
        const lv = 1 + rng.int(D - 1);
        f = t * perTree + levelOffset[lv] + rng.int(widths[lv]);
        if (!reach[f]) continue; // roles sit above some depth-D leaf (always true in binary trees)
      }
      if (mine.some((m) => m.f === f)) continue;
      mine.push({ f, role: rng.chance(0.5) ? "editor" : "viewer" });
    }
    for (const m of mine) facts.push(["has_role", users[u], m.role, folders[m.f]]);
    userRoles[u] = mine;
  }
  return {
    workload: variant,
    family: "deep",
    scale,
    params: { depth: D, trees: T, foldersPerTree: perTree, users: U, cycles: sp.cycles },
    facts,
    listType: "Folder",
    listAction: "read",
    actions: ACTIONS,
    counts: { users: U, folders: nFolders, trees: T, cyclicTrees: cyclic.length },
    _gen: { D, T, U, perTree, widths, levelOffset, children, level, reach, userRoles, leafBase },
  };
}

/** Every request targets a depth-D leaf: half near one of the user's roles, half uniform. */
export function requests(w, n, seed) {
  const rng = makeRng(`${w.workload}/${w.scale}/requests/${seed}`);
  const { D, T, U, widths, children, level, reach, userRoles, leafBase } = w._gen;
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const u = rng.int(U);
    let leaf = -1;
    if (rng.chance(0.5)) {
      let f = rng.pick(userRoles[u]).f;
      if (reach[f]) {
        while (level[f] < D) {
          const live = children[f].filter((c) => reach[c] === 1);
          f = live.length === 1 ? live[0] : rng.pick(live);
        }
        leaf = f;
      }
    }
    if (leaf < 0) leaf = leafBase(rng.int(T)) + rng.int(widths[D]);
    out[k] = {
      actor: { type: "User", id: "u" + String(u) },
      action: rng.chance(0.6) ? "read" : "write",
      resource: { type: "Folder", id: "f" + String(leaf) },
    };
  }
  return out;
}

export function listUsers(w, n, seed) {
  const rng = makeRng(`${w.workload}/${w.scale}/list/${seed}`);
  return Array.from({ length: n }, () => ({ type: "User", id: "u" + String(rng.int(w._gen.U)) }));
}
