import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
// The same models generated for PostgreSQL (prisma/postgres/schema.prisma).
import { PrismaClient as PostgresPrismaClient } from "@membercare/postgres-client";
import type { Client, Config, TransactionMode } from "@libsql/client";
import { createClient } from "@libsql/client";
import { isPostgresUrl, sqliteFileUrl } from "./db-url";

/**
 * Per-connection SQLite settings. libsql opens a new connection after every
 * transaction and its default busy timeout is 0, so without this a second
 * process (the separate worker) would fail at once on a locked database instead
 * of waiting for it. WAL lets readers work while one writer writes.
 */
const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA busy_timeout = 10000",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
];

/** Wraps the libsql client so each new underlying connection is tuned before use. */
function tunedClient(inner: Client): Client {
  let needsTuning = true;
  const tune = async () => {
    if (!needsTuning) return;
    needsTuning = false;
    for (const pragma of CONNECTION_PRAGMAS) await inner.execute(pragma);
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === "transaction") {
        return async (mode?: TransactionMode) => {
          await tune();
          const transaction = await target.transaction(mode);
          needsTuning = true; // the client hands this connection to the transaction and opens a new one next
          return transaction;
        };
      }
      if (property === "execute" || property === "batch" || property === "executeMultiple") {
        const method = target[property] as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await tune();
          return method.apply(target, args);
        };
      }
      // Everything else runs on the client itself: its methods use private fields.
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

class TunedPrismaLibSQL extends PrismaLibSQL {
  createClient(config: Config): Client {
    return tunedClient(createClient(config));
  }
}

export type Db = PrismaClient;

/**
 * The database client for DATABASE_URL: PostgreSQL for a postgres:// URL (the
 * scale path: many app instances and workers on one database), else the
 * embedded SQLite file. Both clients are generated from one schema, so the
 * SQLite client's types describe both (docs/decisions/0007-postgresql.md).
 */
export function createDb(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  if (isPostgresUrl(databaseUrl)) {
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
    return client as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter: new TunedPrismaLibSQL({ url: sqliteFileUrl(databaseUrl) }) });
}

/** Which database this process talks to: raw SQL that differs between them asks this. */
export const dialect = (): "postgresql" | "sqlite" => (isPostgresUrl(process.env.DATABASE_URL) ? "postgresql" : "sqlite");

declare global {
  var __membercareDb: PrismaClient | undefined;
}

// One client per process; in development it also survives Remix rebuilds.
const db: PrismaClient =
  process.env.NODE_ENV === "development" ? (globalThis.__membercareDb ??= createDb()) : createDb();

export default db;
