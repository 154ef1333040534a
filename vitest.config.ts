import { defineConfig } from "vitest/config";
import path from "node:path";

// The suite runs in three groups, one after the other (sequence.groupOrder), so
// the heaviest files never share the 2-core machine with each other: the
// browser tests drive a real Chromium against a built server and wait for what
// a person would see; the load tests (a 10,000-webhook burst, workers killed
// mid-claim on PostgreSQL, the whole demo, every admin page's Web Vitals on the
// demo's store) saturate both cores for minutes. Run
// beside each other, a page that takes 2 s alone took over 60 s.
const BROWSER = ["tests/browser/**/*.test.ts"];
const LOAD = ["tests/webhook-burst.test.ts", "tests/postgres-scale.test.ts", "tests/demo.test.ts", "tests/web-vitals.test.ts"];

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    globals: true,
    exclude: ["**/node_modules/**", "build/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/per-file-db.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over the CPU and the SQLite files.
    maxWorkers: 2,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret",
      SHOPIFY_APP_URL: "https://membercare.test",
      // As shopify.app.toml asks (tests that need a shop without a scope say so to the simulator).
      SCOPES: "read_customers,write_customers,read_orders,read_fulfillments,read_locations",
      INBOX_WORKER_IN_PROCESS: "false",
      LOG_LEVEL: "warn",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["app/**/*.test.{ts,tsx}", "tests/**/*.test.ts", "tools/**/*.test.ts", "scripts/**/*.test.ts", "extensions/**/*.test.ts", "extensions/**/*.test.tsx"],
          exclude: ["**/node_modules/**", "build/**", ...BROWSER, ...LOAD],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: "browser", include: BROWSER, sequence: { groupOrder: 1 } } },
      // One at a time: each of these alone keeps both cores busy.
      { extends: true, test: { name: "load", include: LOAD, maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
