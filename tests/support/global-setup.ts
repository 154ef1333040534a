// Builds one migrated SQLite template per test run, from the same migrations as
// production; each test file then works on its own copy (per-file-db.ts).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const TEST_DB_DIR = path.resolve("tmp/test-db");
export const TEMPLATE_DB = path.join(TEST_DB_DIR, "template.sqlite");

export default function setup() {
  // Dependencies and the Prisma client (a no-op under `npm test`, which has just
  // done this and the server build).
  execFileSync(process.execPath, [path.resolve("scripts/ensure-ready.mjs"), "--quiet", "--no-build"], { stdio: ["ignore", "ignore", "inherit"] });
  fs.rmSync(TEST_DB_DIR, { recursive: true, force: true });
  fs.mkdirSync(TEST_DB_DIR, { recursive: true });
  execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return () => fs.rmSync(TEST_DB_DIR, { recursive: true, force: true });
}
