// Gives every test file its own migrated database, before any app module (and
// so any Prisma client) is imported: a copy of the run's SQLite template, or a
// PostgreSQL database cloned from the run's template database.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";

const dir = process.env.MEMBERCARE_TEST_DB_DIR;
if (!dir) throw new Error("MEMBERCARE_TEST_DB_DIR is not set: tests/support/global-setup.ts did not run");
const adminUrl = process.env.MEMBERCARE_TEST_PG_ADMIN_URL;
if (adminUrl) {
  const template = process.env.MEMBERCARE_TEST_PG_TEMPLATE!;
  const database = `mc_${template.replace("mc_template_", "")}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
} else {
  const file = path.join(dir, `${process.env.VITEST_POOL_ID ?? "0"}-${randomUUID()}.sqlite`);
  fs.copyFileSync(path.join(dir, "template.sqlite"), file);
  process.env.DATABASE_URL = `file:${file}`;
}
