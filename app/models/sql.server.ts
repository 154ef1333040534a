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

/**
 * A timestamp as whole milliseconds since the epoch (an integer on both
 * databases). SQLite holds Prisma's ISO text ("...+00:00"); julianday keeps
 * whole milliseconds, so the rounding is exact.
 */
export const epochMs = (fragment: Fragment): Fragment =>
  dialect() === "postgresql"
    ? sql`CAST(ROUND(EXTRACT(EPOCH FROM ${fragment}) * 1000) AS BIGINT)`
    : sql`CAST(ROUND((julianday(${fragment}) - 2440587.5) * 86400000) AS INTEGER)`;

/**
 * An aggregate joining the group's values (text) with `separator`, in the
 * order given; NULL values are skipped, and a group of only NULLs gives NULL.
 * (PostgreSQL's string_agg; SQLite's group_concat, ORDER BY since 3.44.)
 */
export const stringAgg = (value: Fragment, separator: "," | ";", orderBy?: Fragment): Fragment => {
  const rest = sql`${raw(`'${separator}'`)}${orderBy ? sql` ORDER BY ${orderBy}` : empty}`;
  return dialect() === "postgresql" ? sql`string_agg(${value}, ${rest})` : sql`group_concat(${value}, ${rest})`;
};

/** An aggregate joining the group's distinct non-NULL values (text) with ",", in no particular order. */
export const distinctList = (value: Fragment): Fragment =>
  dialect() === "postgresql" ? sql`string_agg(DISTINCT ${value}, ',')` : sql`group_concat(DISTINCT ${value})`;

/**
 * An instant as the text Prisma's SQLite adapter stores ("...+00:00"): a
 * value compared with a stored date as text (SQLite has no date type) must be
 * written the same way; PostgreSQL reads the same text as the same instant.
 */
export const storedDateText = (date: Date): string => date.toISOString().replace("Z", "+00:00");

/**
 * Rows from one JSON parameter holding an array of arrays, as a FROM item
 * named `alias` (one row per inner array; `jsonField(alias, i, type)` reads
 * its i-th value). Many rows in one statement with one bound parameter: the
 * SQLite adapter allows 999 parameters, which caps a VALUES list at ~70 rows.
 * Dates go as the text Prisma's SQLite adapter stores ("...+00:00"), which
 * PostgreSQL reads as the same UTC instant.
 */
export const jsonRows = (rows: unknown[][], alias: string): Fragment => {
  const json = JSON.stringify(rows.map((row) => row.map((value) => (value instanceof Date ? storedDateText(value) : value))));
  return dialect() === "postgresql"
    ? sql`json_array_elements(CAST(${json} AS json)) AS ${raw(`"${alias}"`)}("value")`
    : sql`json_each(${json}) AS ${raw(`"${alias}"`)}`;
};

/** The i-th value of a `jsonRows` row, typed for PostgreSQL (where `->>` gives text); a JSON null is NULL. */
export const jsonField = (alias: string, index: number, postgresType: Parameters<typeof typed>[1]): Fragment =>
  typed(sql`${raw(`"${alias}"."value" ->> ${Math.trunc(index)}`)}`, postgresType);

/** A column's PostgreSQL type, by column name: what insertJsonRows writes. */
export type ColumnTypes<Row> = Record<keyof Row & string, Parameters<typeof typed>[1]>;

/**
 * A multi-row INSERT of `rows` into `table`, in one statement with one JSON
 * parameter however many rows (jsonRows), each row written in the columns
 * `columns` names (with their PostgreSQL types). Typing `columns` as
 * ColumnTypes<Row> makes the typecheck refuse a row field left unwritten.
 * Prisma's createMany spent about half a millisecond per order row in its
 * query compiler on the inbox drain's path (issue 19, ADR 0036); this costs
 * a few microseconds. What Prisma fills in by itself (@default ids and times,
 * @updatedAt) the caller must give. `onConflict`: e.g. `ON CONFLICT (...) DO
 * NOTHING` (SQLite needs the WHERE before it, which is why it is always there).
 */
export function insertJsonRows<Row>(table: string, columns: ColumnTypes<Row>, rows: Row[], onConflict: Fragment = empty): Fragment {
  const names = Object.keys(columns) as Array<keyof Row & string>;
  const values = rows.map((row) => names.map((name) => row[name]));
  return sql`INSERT INTO ${raw(`"${table}"`)} (${raw(names.map((name) => `"${name}"`).join(", "))})
    SELECT ${join(names.map((name, i) => jsonField("row", i, columns[name])), ", ")} FROM ${jsonRows(values, "row")} WHERE true ${onConflict}`;
}
