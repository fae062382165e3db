// The UI-gating example end to end: examples/browser/server.mjs on a loopback port, its page in
// headless Chromium, logged in as different users; each sees exactly the controls the policy
// gives them, the server refuses what the page hides, and a user's slice holds no other
// tenant's ids. Skipped (with the reason) where no Chromium is installed, unless
// BOREAL_REQUIRE_BROWSER=1 (as in test/browser/engine.test.ts).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumLabel, haveChromium, launchChromium } from "./chromium.js";

const root = new URL("../../", import.meta.url).pathname;

const ALL = ["edit", "close", "delete"];
const ACME = { "acme/anvil#1": ALL, "acme/anvil#2": ALL, "acme/rockets#1": ALL };

/** Starts the example server on a free loopback port; resolves with its base URL. */
function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [join(root, "examples/browser/server.mjs"), "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m !== null) resolve({ child, base: m[1]! });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`the example server exited (${String(code)}): ${out}`)));
  });
}

interface View {
  page: Page;
  /** issue id -> the controls shown on its row, in page order */
  controls: Record<string, string[]>;
}

describe.skipIf(!haveChromium)(`the UI-gating example in headless Chromium (${chromiumLabel})`, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let base = "";
  const errors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, "scripts/ensure-built.mjs")], { cwd: root, stdio: "pipe" });
    ({ child: server, base } = await startServer());
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  async function controlsOf(page: Page, renders: number): Promise<Record<string, string[]>> {
    await page.waitForFunction((n) => Number(document.body.dataset["renders"] ?? 0) >= n || document.body.dataset["error"] !== undefined, renders, { timeout: 30_000 });
    expect(await page.evaluate(() => document.body.dataset["error"])).toBeUndefined();
    return page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll<HTMLElement>("#issues li")].map((li) => [li.dataset["issue"]!, [...li.querySelectorAll<HTMLElement>("button")].map((b) => b.dataset["action"]!)])),
    );
  }

  /** Logs in as `user` in a fresh browser context (its own cookies) and reads the rendered controls. */
  async function view(user: string): Promise<View> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`${user}: ${e.message}`));
    page.on("dialog", (d) => void d.dismiss());
    await page.goto(`${base}?user=${user}`);
    const controls = await controlsOf(page, 1);
    return { page, controls };
  }

  it("an org admin sees edit, close and delete on every issue of their org, and nothing of the other org", async () => {
    expect((await view("alice")).controls).toEqual(ACME);
    expect((await view("erin")).controls).toEqual({ "globex/hammock#1": ALL, "globex/hammock#2": ALL });
    expect(errors).toEqual([]);
  });

  it("a reader sees every issue of their org with no edit, close or delete", async () => {
    expect((await view("bob")).controls).toEqual({ "acme/anvil#1": [], "acme/anvil#2": [], "acme/rockets#1": [] });
    expect(errors).toEqual([]);
  });

  it("a maintainer and a creator see edit and close exactly where their role or authorship reaches", async () => {
    expect((await view("carol")).controls).toEqual({ "acme/anvil#1": ["edit", "close"], "acme/anvil#2": [], "acme/rockets#1": ["edit", "close"] });
    expect((await view("frank")).controls).toEqual({ "globex/hammock#1": ["edit", "close"], "globex/hammock#2": [] });
    expect(errors).toEqual([]);
  });

  it("the server refuses the writes the page hides: 403 to a reader, 404 to another tenant", async () => {
    const post = (page: Page, path: string): Promise<number> => page.evaluate(async (p) => (await fetch(p, { method: "POST", body: "{}" })).status, path);
    const bob = (await view("bob")).page;
    const erin = (await view("erin")).page;
    expect(await post(bob, "/api/issues/acme%2Fanvil%231/delete")).toBe(403);
    expect(await post(bob, "/api/issues/acme%2Fanvil%231/close")).toBe(403);
    expect(await post(erin, "/api/issues/acme%2Fanvil%231/delete")).toBe(404);
    expect(await post(erin, "/api/issues/no-such-issue/delete")).toBe(404);
    expect((await view("alice")).controls).toEqual(ACME); // nothing changed
  });

  it("a user's slice holds none of another tenant's ids", async () => {
    const sliceOf = async (user: string): Promise<Buffer> => {
      const res = await fetch(`${base}slice`, { headers: { Cookie: `user=${user}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
      return Buffer.from(await res.arrayBuffer());
    };
    // Ids are looked for as UTF-8 (the slice format) and UTF-16 (the engine's text pool); own ids must be found.
    const holds = (bytes: Buffer, text: string): boolean => bytes.includes(Buffer.from(text, "utf8")) || bytes.includes(Buffer.from(text, "utf16le"));
    const erin = await sliceOf("erin");
    const alice = await sliceOf("alice");
    expect([erin.subarray(0, 4).toString(), alice.subarray(0, 4).toString()]).toEqual(["BRSL", "BRSL"]); // docs/slices.md
    expect(["globex/hammock#1", "globex/hammock#2", "erin"].filter((id) => !holds(erin, id))).toEqual([]);
    expect(["acme", "alice", "bob", "carol"].filter((id) => holds(erin, id))).toEqual([]);
    expect(["acme/anvil#1", "acme/rockets#1", "alice"].filter((id) => !holds(alice, id))).toEqual([]);
    expect(["globex", "erin", "frank"].filter((id) => holds(alice, id))).toEqual([]);
    const bob = await sliceOf("bob");
    expect(["acme/anvil#1", "bob"].filter((id) => !holds(bob, id))).toEqual([]);
    expect(["globex", "erin", "frank"].filter((id) => holds(bob, id))).toEqual([]);
    expect((await fetch(`${base}slice`)).status).toBe(401);
  });

  it("after a delete the page loads a new slice: the row is gone for the admin and for a reader", async () => {
    const alice = await view("alice");
    await alice.page.click(`li[data-issue="acme/anvil#2"] button[data-action="delete"]`);
    expect(await controlsOf(alice.page, 2)).toEqual({ "acme/anvil#1": ALL, "acme/rockets#1": ALL });
    expect((await view("bob")).controls).toEqual({ "acme/anvil#1": [], "acme/rockets#1": [] });
    expect(errors).toEqual([]);
  });
});
