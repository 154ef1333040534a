// Raw SQL fragments (sql, join, raw, empty) for the database this process
// uses. Each generated Prisma client carries its own copy of Prisma's runtime,
// and a fragment built with one client's `Prisma.sql` is not recognised by the
// other client's raw-query tag: it would be sent as a parameter. So fragments
// come from the client in use (app/db.server.ts picks it from DATABASE_URL).
import { Prisma as PostgresPrisma } from "@membercare/postgres-client";
import { Prisma as SqlitePrisma } from "@prisma/client";
import { dialect } from "~/db.server";

const runtime = (dialect() === "postgresql" ? PostgresPrisma : SqlitePrisma) as unknown as typeof SqlitePrisma;

export const sql = runtime.sql;
export const join = runtime.join;
export const raw = runtime.raw;
export const empty = runtime.empty;

type Fragment = ReturnType<typeof sql>;

/**
 * A value PostgreSQL must be told the type of (a parameter inside CASE has
 * none and is taken as text); SQLite keeps what it is given, and a CAST there
 * would change dates into numbers, so it is left alone.
 */
export const typed = (fragment: Fragment, postgresType: "INTEGER" | "DOUBLE PRECISION" | "TIMESTAMP(3)" | "TEXT" | "BOOLEAN"): Fragment =>
  dialect() === "postgresql" ? sql`CAST(${fragment} AS ${raw(postgresType)})` : fragment;
