import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    globals: true,
    include: ["app/**/*.test.{ts,tsx}", "tests/**/*.test.ts", "tools/**/*.test.ts", "scripts/**/*.test.ts", "extensions/**/*.test.ts", "extensions/**/*.test.tsx"],
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
      SCOPES: "read_customers,write_customers,read_orders,read_fulfillments",
      INBOX_WORKER_IN_PROCESS: "false",
      LOG_LEVEL: "warn",
    },
  },
});
