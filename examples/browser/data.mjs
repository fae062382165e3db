// The example's data: two tenants (orgs), their people, repos and issues, and the facts the
// policy needs. The server keeps issue titles itself; only relationships become facts.
const user = (id) => ({ type: "User", id });
const org = (id) => ({ type: "Org", id });
const repo = (id) => ({ type: "Repo", id });
const issue = (id) => ({ type: "Issue", id });

/** Who may log in, with what the README says about them. */
export const USERS = {
  alice: "admin of acme",
  bob: "member of acme (reads everything, changes nothing)",
  carol: "member of acme, maintainer of acme/rockets, creator of acme/anvil#1",
  erin: "admin of globex",
  frank: "member of globex, creator of globex/hammock#1",
};

export const REPOS = { "acme/anvil": "acme", "acme/rockets": "acme", "globex/hammock": "globex" };

export function seedIssues() {
  return new Map([
    ["acme/anvil#1", { title: "Anvil falls too slowly", repo: "acme/anvil", creator: "carol", closed: false }],
    ["acme/anvil#2", { title: "Anvil too heavy to carry", repo: "acme/anvil", creator: "alice", closed: false }],
    ["acme/rockets#1", { title: "Rocket skates veer left", repo: "acme/rockets", creator: "alice", closed: false }],
    ["globex/hammock#1", { title: "Hammock district is flooding", repo: "globex/hammock", creator: "frank", closed: false }],
    ["globex/hammock#2", { title: "Doomsday device lacks a manual", repo: "globex/hammock", creator: "erin", closed: false }],
  ]);
}

/** The facts for one issue (inserted with it, deleted with it). */
export function issueFacts(id, { repo: r, creator }) {
  return [
    ["has_relation", issue(id), "parent", repo(r)],
    ["has_relation", issue(id), "creator", user(creator)],
  ];
}

export function seedFacts(issues) {
  return [
    ["has_role", user("alice"), "admin", org("acme")],
    ["has_role", user("bob"), "member", org("acme")],
    ["has_role", user("carol"), "member", org("acme")],
    ["has_role", user("carol"), "maintainer", repo("acme/rockets")],
    ["has_role", user("erin"), "admin", org("globex")],
    ["has_role", user("frank"), "member", org("globex")],
    ...Object.entries(REPOS).map(([r, o]) => ["has_relation", repo(r), "parent", org(o)]),
    ...[...issues].flatMap(([id, i]) => issueFacts(id, i)),
  ];
}
