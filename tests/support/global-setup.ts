// Builds one migrated SQLite template per test run, from the same migrations as
// production; each test file then works on its own copy (per-file-db.ts). Each
// run has its own folder, so runs side by side never touch each other's files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export default function setup() {
  // Dependencies and the Prisma client (a no-op under `npm test`, which has just
  // done this and the server build).
  execFileSync(process.execPath, [path.resolve("scripts/ensure-ready.mjs"), "--quiet", "--no-build"], { stdio: ["ignore", "ignore", "inherit"] });
  const runDir = path.resolve("tmp/test-db", `run-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${path.join(runDir, "template.sqlite")}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Test workers start after this and inherit the variable.
  process.env.MEMBERCARE_TEST_DB_DIR = runDir;
  return () => fs.rmSync(runDir, { recursive: true, force: true });
}
