/**
 * The acceptance cases in test/conformance/cases/ are a copy of the shared ones
 * (`../shared/conformance` next to the repository). When the shared directory is present,
 * the two must be byte-identical, file for file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CASES_DIR } from "./runner.js";

const ROOT = resolve(CASES_DIR, "../../..");
const SHARED = resolve(ROOT, "../shared/conformance");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
}

describe("conformance cases are in sync with ../shared/conformance", () => {
  if (!existsSync(SHARED)) {
    it.skip(`skipped: ${SHARED} does not exist (the shared cases are not checked out next to the repository)`, () => {});
    return;
  }
  it("has the same files", () => {
    expect(files(CASES_DIR)).toEqual(files(SHARED));
  });
  it.each(files(SHARED))("%s is byte-identical", (name) => {
    const local = join(CASES_DIR, name);
    expect(existsSync(local), `${name} is missing from test/conformance/cases`).toBe(true);
    expect(readFileSync(local).equals(readFileSync(join(SHARED, name))), `${name} differs from ${SHARED}/${name}`).toBe(true);
  });
});
