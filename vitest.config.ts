import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // as-pect specs under assembly/__tests__ run through `npm run test:as`, not vitest.
    exclude: ["node_modules/**", "assembly/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
