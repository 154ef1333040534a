#!/usr/bin/env node
// Applies prisma/postgres/migrations to a PostgreSQL database, in name order,
// each in its own transaction, recorded with a checksum in
// "_membercare_migrations". An advisory lock makes app instances and workers
// starting together apply each migration once. Why not `prisma migrate deploy`:
// docs/decisions/0007-postgresql.md (prisma/orm#27403).
//
//   DATABASE_URL=postgresql://... node scripts/migrate-postgres.mjs
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
export const POSTGRES_MIGRATIONS = path.join(root, "prisma", "postgres", "migrations");
const LOCK_KEY = 73_620_011; // any constant; the same in every process

export async function migratePostgres(databaseUrl, { dir = POSTGRES_MIGRATIONS, log = () => {} } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_membercare_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Map((await client.query(`SELECT "name", "checksum" FROM "_membercare_migrations"`)).rows.map((row) => [row.name, row.checksum]));
    const names = fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, "migration.sql"))).sort();
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (done.has(name)) {
        if (done.get(name) !== checksum) throw new Error(`migration ${name} was edited after it was applied (checksum differs): add a new migration instead`);
        continue;
      }
      log(`applying ${name}`);
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(`INSERT INTO "_membercare_migrations" ("name", "checksum") VALUES ($1, $2)`, [name, checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${error.message}`);
      }
      applied.push(name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return applied;
}

if (process.argv[1] === import.meta.filename) {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("DATABASE_URL must be a postgresql:// URL");
    process.exit(2);
  }
  const applied = await migratePostgres(url, { log: (line) => console.log(line) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : "no pending migrations");
}
