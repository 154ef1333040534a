// The two databases' schemas and migration histories stay in step
// (docs/decisions/0007-postgresql.md): the PostgreSQL schema is derived from the
// SQLite one, every SQLite migration after the PostgreSQL baseline has a twin,
// and the PostgreSQL migrations build the schema that prisma/postgres/schema.prisma describes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { dialect } from "~/db.server";

const BASELINE_COVERS = "20261123140000_order_totals_index";
const folders = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, "migration.sql")))
    .sort();

it("keeps prisma/postgres/schema.prisma derived from prisma/schema.prisma", () => {
  expect(() =>
    execFileSync(process.execPath, ["scripts/postgres-schema.mjs", "--check"], {
      stdio: "pipe",
    })
  ).not.toThrow();
});

it("gives every SQLite migration after the baseline a PostgreSQL twin of the same name", () => {
  const sqlite = folders("prisma/migrations").filter(
    (name) => name > BASELINE_COVERS
  );
  const postgres = folders("prisma/postgres/migrations").filter(
    (name) => !name.endsWith("_baseline")
  );
  expect(postgres).toEqual(sqlite);
  expect(folders("prisma/migrations")).toContain(BASELINE_COVERS);
});

describe.runIf(dialect() === "postgresql")("on PostgreSQL", () => {
  const shape = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_membercare_migrations' ORDER BY 1, 2`
    );
    const indexes = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_membercare_migrations' ORDER BY 1`
    );
    await client.end();
    return {
      columns: columns.rows,
      indexes: indexes.rows.map((row) => ({
        ...row,
        indexdef: row.indexdef.replace(/ON public\./, "ON "),
      })),
    };
  };

  it(
    "builds from its migrations the tables, columns and indexes the schema describes",
    { timeout: 60_000 },
    async () => {
      const script = execFileSync(
        path.resolve("node_modules/.bin/prisma"),
        [
          "migrate",
          "diff",
          "--from-empty",
          "--to-schema-datamodel",
          "prisma/postgres/schema.prisma",
          "--script",
        ],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          // prisma.config.ts opens the embedded database's adapter; this diff reads no database.
          env: { ...process.env, DATABASE_URL: "file:./prisma/dev.sqlite" },
        }
      );
      const admin = process.env.MEMBERCARE_TEST_PG_ADMIN_URL!;
      const fresh = `mc_${process.env.MEMBERCARE_TEST_PG_TEMPLATE!.replace(
        "mc_template_",
        ""
      )}_fromschema`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${fresh}`);
      await client.query(`CREATE DATABASE ${fresh}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${fresh}`;
      const target = new pg.Client({ connectionString: url.toString() });
      await target.connect();
      await target.query(script);
      await target.end();
      // This file's database was built by scripts/migrate-postgres.mjs from prisma/postgres/migrations.
      expect(await shape(process.env.DATABASE_URL!)).toEqual(
        await shape(url.toString())
      );
    }
  );
});
