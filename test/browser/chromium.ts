// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or BOREAL_CHROMIUM)
// through playwright-core. Where none is installed the tests skip with the reason, unless
// BOREAL_REQUIRE_BROWSER=1 (set by .ci/run), which makes them fail instead.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = process.env["BOREAL_CHROMIUM"] ?? "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env["BOREAL_REQUIRE_BROWSER"] === "1") throw new Error(`no Chromium at ${CHROMIUM}, but BOREAL_REQUIRE_BROWSER=1`);

/** The describe() title suffix saying which browser runs, or why the block is skipped. */
export const chromiumLabel = haveChromium ? CHROMIUM : "skipped: no Chromium installed";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
