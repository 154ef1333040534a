// Builds one migrated template database per test run, from the same migrations
// as production; each test file then works on its own copy (per-file-db.ts).
// SQLite by default; MEMBERCARE_TEST_DB=postgres runs the suite on a private
// PostgreSQL cluster (scripts/postgres.mjs) instead, with template databases.
// Each run has its own files or databases, so runs side by side never collide.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export default async function setup() {
  // Vitest runs the global setup once for each project (main, browser, load)
  // in this one process: the first builds the run's template, the others use it.
  if (process.env.MEMBERCARE_TEST_DB_DIR && fs.existsSync(process.env.MEMBERCARE_TEST_DB_DIR)) return;
  // Dependencies and the Prisma clients (a no-op under `npm test`, which has just
  // done this and the server build).
  execFileSync(process.execPath, [path.resolve("scripts/ensure-ready.mjs"), "--quiet", "--no-build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (process.env.MEMBERCARE_TEST_DB === "postgres") return setupPostgres();
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

async function setupPostgres() {
  const { startPostgres, postgresUrl } = await import("../../scripts/postgres.mjs");
  const { migratePostgres } = await import("../../scripts/migrate-postgres.mjs");
  const admin = startPostgres() as string;
  const template = `mc_template_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${template}`);
  await client.query(`CREATE DATABASE ${template}`);
  await client.end();
  await migratePostgres(postgresUrl(template));
  // Files still need a folder for SQLite files some tests make themselves (the demo's).
  const runDir = path.resolve("tmp/test-db", `run-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });
  Object.assign(process.env, { MEMBERCARE_TEST_DB_DIR: runDir, MEMBERCARE_TEST_PG_ADMIN_URL: admin, MEMBERCARE_TEST_PG_TEMPLATE: template });
  return async () => {
    const cleanup = new pg.Client({ connectionString: admin });
    await cleanup.connect();
    const { rows } = await cleanup.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`mc_${process.pid}_%`]);
    for (const row of rows) await cleanup.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await cleanup.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await cleanup.end();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
